// The fuzzing tier (issue #13): every JSON route from the live route table, fuzzed from its own zod schemas, as
// every principal kind (anonymous, each staff role, a candidate's desktop, a bound phone); every inbound socket
// event, for every principal kind, with no payload, null, wrong types, nested objects and huge strings.
// Asserted: no 5xx, no crash (no unhandled rejection, no handler failure), /api/health still answers, and no
// rejected batch changed state (audit head and row counts of the main tables compared before and after).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { inboundSocketEvents } from '@invigil/contracts';
import { inboundCounters } from '../../src/realtime/inbound.ts';
import { allowedRoles } from '../../src/http/access.ts';
import { KINDS, world, type Kind, type World } from './world.ts';
import { hostile, payloadArb, schemaArb } from './arbitrary.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 1307);
const figures = { requests: 0, fiveXX: 0, rejectedBatches: 0, stateChangesOnRejection: 0, socketMessages: 0, socketAcks: 0, crashes: 0, handlerErrors: 0 };
const failures: string[] = [];

let w: World;
let pool: string[];
const crashes: unknown[] = [];
const onCrash = (e: unknown) => crashes.push(e);

beforeAll(async () => {
  process.on('unhandledRejection', onCrash);
  process.on('uncaughtException', onCrash);
  w = await world();
  pool = [w.demo.sessionId, w.demo.examId, w.demo.roomId, w.attemptId, 'x', '../../etc/passwd', '%00', '1 OR 1=1'];
});
afterAll(async () => {
  process.off('unhandledRejection', onCrash);
  process.off('uncaughtException', onCrash);
  await w?.close();
});

type Who = Kind | 'anonymous';
const LAST = ['/api/attempt/end', '/api/attempts/:attemptId/end', '/api/auth/logout'];

function requestArb(route: { url: string; schema?: { body?: unknown; querystring?: unknown; params?: unknown; headers?: unknown } }) {
  const s = route.schema ?? {};
  return fc.record({
    params: s.params ? fc.oneof(schemaArb(s.params, pool), fc.record({ id: fc.string({ maxLength: 300 }) })) : fc.constant({}),
    query: s.querystring ? payloadArb(s.querystring, pool) : fc.constant(undefined),
    headers: s.headers ? schemaArb(s.headers, pool) : fc.constant({}),
    body: s.body ? payloadArb(s.body, pool) : fc.oneof(fc.constant(undefined), hostile),
  });
}

function urlOf(template: string, params: unknown, query: unknown): string {
  const p = (params && typeof params === 'object' ? params : {}) as Record<string, unknown>;
  let url = template.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(String(p[name] ?? pool[0]) || 'x'));
  if (query && typeof query === 'object' && !Array.isArray(query)) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query as Record<string, unknown>)) if (v !== undefined && typeof v !== 'object') qs.set(k, String(v));
    const q = qs.toString();
    if (q) url += `?${q}`;
  }
  return url;
}

describe('fuzzing tier', () => {
  it('every socket event × every principal kind: answered or ignored, never a crash', async () => {
    const events = Object.entries(inboundSocketEvents) as Array<[string, { payload: unknown; ack: boolean }]>;
    events.push(['no:such-event', { payload: undefined, ack: true }]);
    const handlerErrorsBefore = inboundCounters.handlerErrors;
    let seed = SEED * 31;
    const sockets: Socket[] = [];
    for (const kind of KINDS) {
      for (const [event, def] of events) {
        const s = await w.socket(kind);
        sockets.push(s);
        const before = await w.snapshot();
        const samples = fc.sample(fc.oneof(payloadArb(def.payload, pool), hostile), { numRuns: 26, seed: seed++ });
        let accepted = false;
        const acks: Array<Promise<void>> = [];
        const pending = new Set<() => void>();
        for (const [i, p] of samples.entries()) {
          figures.socketMessages++;
          // Some with no payload at all, some with an acknowledgement and some without.
          if (i % 7 === 0) s.emit(event);
          else if (i % 3 === 0) s.emit(event, p);
          else
            acks.push(
              new Promise<void>((resolve) => {
                const timer = setTimeout(resolve, 3000);
                pending.add(resolve);
                s.emit(event, p, (r: { ok?: boolean } | null) => {
                  clearTimeout(timer);
                  pending.delete(resolve);
                  figures.socketAcks++;
                  if (r?.ok) accepted = true;
                  resolve();
                });
              }),
            );
        }
        // Events with an acknowledgement answer each message; the others answer only refusals, which come before
        // the round trip below — after it, nothing more will be answered.
        if (def.ack) await Promise.all(acks);
        // A round trip after the batch: everything sent before it has been handled.
        const pong = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), 3000);
          s.once('time:pong', () => {
            clearTimeout(timer);
            resolve(true);
          });
          s.emit('time:ping', { t0: 1 });
        });
        if (!pong) failures.push(`no pong after ${event} as ${kind} (connected: ${s.connected})`);
        for (const resolve of pending) resolve();
        await Promise.all(acks);
        if (!accepted) {
          const after = await w.snapshot();
          if (after !== before) failures.push(`state changed by socket ${event} as ${kind}`);
        }
        expect(await w.health()).toBe(200);
        s.disconnect();
      }
    }
    figures.handlerErrors = inboundCounters.handlerErrors - handlerErrorsBefore;
    figures.crashes = crashes.length;
    expect(failures).toEqual([]);
    expect(crashes).toEqual([]);
    expect(figures.handlerErrors).toBe(0);
    expect(figures.socketMessages).toBeGreaterThanOrEqual(1000);
  }, 200_000);
  it('every route × every principal kind: no 5xx, no crash, rejected requests change nothing', async () => {
    const routes = [...w.t.app.routeTable].sort((a, b) => LAST.indexOf(a.url) - LAST.indexOf(b.url));
    const whos: Who[] = ['anonymous', ...KINDS];
    let seed = SEED;
    for (const route of routes) {
      const roles = allowedRoles(route.access);
      const isAllowed = (who: Who) => roles === 'public' || (who !== 'anonymous' && (roles as readonly string[]).includes(who));
      // One batch of everyone the route refuses (401/403 at the gate), then one batch per principal it serves.
      const batches: Who[][] = [whos.filter((x) => !isAllowed(x)), ...whos.filter(isAllowed).map((x) => [x])].filter((b) => b.length);
      for (const batch of batches) {
        const before = await w.snapshot();
        const t0 = Date.now();
        let rejected = true;
        for (const who of batch) {
          const samples = fc.sample(requestArb(route), { numRuns: isAllowed(who) ? 22 : 4, seed: seed++ });
          for (const s of samples) {
            const binary = Buffer.isBuffer(s.body);
            const headers: Record<string, string> = { 'content-type': binary ? 'application/octet-stream' : 'application/json' };
            for (const [k, v] of Object.entries((s.headers ?? {}) as Record<string, unknown>)) if (v !== undefined && v !== null) headers[k] = String(v).replace(/[^\x20-\x7e]/g, '');
            if (who !== 'anonymous') headers.cookie = w.cookies[who];
            const payload = s.body === undefined ? undefined : binary ? (s.body as Buffer) : JSON.stringify(s.body);
            const res = await w.t.app.inject({ method: route.method as 'POST', url: urlOf(route.url, s.params, s.query), headers, ...(payload === undefined ? {} : { payload }) });
            figures.requests++;
            if (res.statusCode >= 500) {
              figures.fiveXX++;
              failures.push(`${res.statusCode} ${route.method} ${route.url} as ${who}: ${res.body.slice(0, 200)} ← ${String(payload).slice(0, 200)}`);
            }
            if (res.statusCode < 400) rejected = false;
          }
        }
        if (process.env.FUZZ_TIMING && Date.now() - t0 > 300) console.log(`[fuzz] ${route.method} ${route.url} as ${batch.join(',')}: ${Date.now() - t0} ms`);
        if (rejected) {
          figures.rejectedBatches++;
          const after = await w.snapshot();
          if (after !== before) {
            figures.stateChangesOnRejection++;
            failures.push(`state changed by rejected ${route.method} ${route.url} as ${batch.join(',')}: ${before} → ${after}`);
          }
        }
      }
      expect(await w.health()).toBe(200);
    }
    figures.crashes = crashes.length;
    console.log(`[security tier] ${JSON.stringify({ seed: SEED, ...figures })}`);
    expect(failures).toEqual([]);
    expect(crashes).toEqual([]);
    expect(figures.requests).toBeGreaterThanOrEqual(5000);
  }, 400_000);
});
