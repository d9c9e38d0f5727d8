// Rate limits and lockouts, keyed on the real client address (`req.ip`: Fastify's trustProxy is the TRUST_PROXY
// list, so a forged X-Forwarded-For from anyone else is ignored). Counters live in one process, or in Redis when
// REDIS_URL is set, so every server process behind a balancer sees the same counts (issue #13).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Config } from '../config.ts';
import { AppError } from './errors.ts';

/** Fixed-window counters: `hit` adds `by` and returns the new total within the window. */
export interface Counters {
  hit(key: string, windowMs: number, by?: number): Promise<{ count: number; ttlMs: number }>;
  get(key: string): Promise<number>;
  reset(key: string): Promise<void>;
  close(): Promise<void>;
}

export function memoryCounters(): Counters {
  const m = new Map<string, { n: number; until: number }>();
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [k, v] of m) if (v.until <= now) m.delete(k);
  }, 60_000);
  sweep.unref();
  return {
    async hit(key, windowMs, by = 1) {
      const now = Date.now();
      let e = m.get(key);
      if (!e || e.until <= now) m.set(key, (e = { n: 0, until: now + windowMs }));
      e.n += by;
      return { count: e.n, ttlMs: e.until - now };
    },
    async get(key) {
      const e = m.get(key);
      return e && e.until > Date.now() ? e.n : 0;
    },
    async reset(key) {
      m.delete(key);
    },
    async close() {
      clearInterval(sweep);
    },
  };
}

// INCRBY and set the expiry on the first hit of a window, in one round trip, atomically.
const HIT = `local n = redis.call('INCRBY', KEYS[1], ARGV[1])
if n == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]); ttl = tonumber(ARGV[2]) end
return {n, ttl}`;

export async function redisCounters(url: string): Promise<Counters> {
  const { createClient } = await import('redis');
  const client = createClient({ url });
  client.on('error', () => undefined); // reconnects by itself; a failing call below is answered by the caller
  await client.connect();
  const k = (key: string) => `invigil:limit:${key}`;
  return {
    async hit(key, windowMs, by = 1) {
      const [count, ttl] = (await client.eval(HIT, { keys: [k(key)], arguments: [String(by), String(windowMs)] })) as [number, number];
      return { count: Number(count), ttlMs: Number(ttl) };
    },
    async get(key) {
      return Number((await client.get(k(key))) ?? 0);
    },
    async reset(key) {
      await client.del(k(key));
    },
    async close() {
      await client.quit().catch(() => undefined);
    },
  };
}

/** @fastify/rate-limit's store interface on our counters (its own Redis store needs ioredis; we use `redis`). */
function storeOn(counters: Counters, prefix = '') {
  return class CountersStore {
    incr(key: string, cb: (err: Error | null, r?: { current: number; ttl: number }) => void, timeWindow: number) {
      counters.hit(`rl:${prefix}${key}`, timeWindow).then(
        (r) => cb(null, { current: r.count, ttl: r.ttlMs }),
        (e: Error) => cb(e),
      );
    }
    child(routeOptions: { routeInfo: { method: string; url: string } }) {
      return new (storeOn(counters, `${prefix}${routeOptions.routeInfo.method}${routeOptions.routeInfo.url}:`))();
    }
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    counters: Counters;
  }
}

/** Registers @fastify/rate-limit (per-route limits, keyed on the real address) on shared counters. */
export async function registerLimits(app: FastifyInstance, config: Config): Promise<void> {
  const counters = config.redisUrl ? await redisCounters(config.redisUrl) : memoryCounters();
  app.decorate('counters', counters);
  app.addHook('onClose', () => counters.close());
  await app.register(rateLimit, { global: false, store: storeOn(counters) as never, skipOnError: false });
}

/** Fastify's trustProxy from TRUST_PROXY: the listed proxy addresses (CIDR allowed), or trust nobody. */
export const trustProxyOf = (list: readonly string[]) => (list.length ? [...list] : false);

// ---- Staff login: per account, with a growing lockout after repeated failures.

const FAILS_BEFORE_LOCK = 5;
const FAIL_WINDOW_MS = 15 * 60_000;
const LOCK_BASE_MS = 30_000;
const LOCK_MAX_MS = 15 * 60_000;

/** Throws LOCKED_OUT while the account is locked. The lock doubles with every failure past the fifth. */
export async function checkLockout(counters: Counters, account: string): Promise<void> {
  const lockedFor = await counters.get(`lock:${account}`);
  if (lockedFor > 0) throw new AppError('LOCKED_OUT', { seconds: Math.ceil(lockedFor / 1000) });
}

export async function loginFailed(counters: Counters, account: string): Promise<void> {
  const { count } = await counters.hit(`fail:${account}`, FAIL_WINDOW_MS);
  if (count < FAILS_BEFORE_LOCK) return;
  const ms = Math.min(LOCK_MAX_MS, LOCK_BASE_MS * 2 ** (count - FAILS_BEFORE_LOCK));
  // The value is the lock's length (for the message); the key expires when the lock does.
  await counters.reset(`lock:${account}`);
  await counters.hit(`lock:${account}`, ms, ms);
}

export async function loginSucceeded(counters: Counters, account: string): Promise<void> {
  await counters.reset(`fail:${account}`);
}

// ---- Candidate signals: count and bytes per attempt and minute.

export const EVENT_LIMITS = { perMinute: 300, bytesPerMinute: 512 * 1024 };

/** preHandler of POST /api/attempt/events: one candidate cannot flood the proctors' feed or the database. */
export async function limitEvents(req: FastifyRequest, attemptId: string, signals: number): Promise<void> {
  const counters = req.server.counters;
  // Measured on the parsed body: a chunked request has no content-length to trust.
  const bytes = Buffer.byteLength(JSON.stringify(req.body ?? null));
  const n = await counters.hit(`ev:n:${attemptId}`, 60_000, signals);
  const b = await counters.hit(`ev:b:${attemptId}`, 60_000, bytes);
  if (n.count > EVENT_LIMITS.perMinute || b.count > EVENT_LIMITS.bytesPerMinute) throw new AppError('EVENTS_QUOTA', {}, { retryAfterMs: Math.max(n.ttlMs, b.ttlMs) });
}

// ---- The in-exam monitor: batches per attempt and minute (the browser posts about one every 5 s).

export const MONITOR_LIMITS = { batchesPerMinute: 30, samplesPerMinute: 240, bytesPerMinute: 2 * 1024 * 1024 };

/** POST /api/attempt/monitor: one candidate cannot flood the database or the blob store with frames. */
export async function limitMonitor(req: FastifyRequest, attemptId: string, samples: number): Promise<void> {
  const counters = req.server.counters;
  const bytes = Buffer.byteLength(JSON.stringify(req.body ?? null));
  const n = await counters.hit(`mon:n:${attemptId}`, 60_000);
  const s = await counters.hit(`mon:s:${attemptId}`, 60_000, samples);
  const b = await counters.hit(`mon:b:${attemptId}`, 60_000, bytes);
  if (n.count > MONITOR_LIMITS.batchesPerMinute || s.count > MONITOR_LIMITS.samplesPerMinute || b.count > MONITOR_LIMITS.bytesPerMinute) {
    throw new AppError('EVENTS_QUOTA', {}, { retryAfterMs: Math.max(n.ttlMs, s.ttlMs, b.ttlMs) });
  }
}
