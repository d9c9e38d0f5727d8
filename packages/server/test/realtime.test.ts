// Realtime across server processes: a candidate on instance A, a proctor on instance B.
// With REDIS_URL the socket.io Redis adapter carries A's events to B; without it they would be lost —
// the second test proves the adapter is what makes it work. Needs TEST_REDIS_URL (CI sets it).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase, migrate, type OpenedDb } from '../src/adapters/db/database.ts';
import { seedDemo } from '../src/services/demo.ts';

const REDIS = process.env.TEST_REDIS_URL;
if (!REDIS) console.warn('[tests] multi-process realtime skipped: TEST_REDIS_URL is not set (.ci/run sets it)');

interface Instance {
  app: FastifyInstance;
  db: OpenedDb;
  url: string;
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'invigil-rt-'));
const file = path.join(dir, 'shared.db');

async function instance(redis: string | undefined): Promise<Instance> {
  const db = await openDatabase({ kind: 'sqlite', file });
  await migrate(db.db);
  const config = loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: dir, ...(redis ? { REDIS_URL: redis } : {}) });
  const app = await buildApp(config, { db });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, db, url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` };
}

async function login(url: string, path: string, body: unknown): Promise<string> {
  const res = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.headers.getSetCookie()[0]!.split(';')[0]!;
}

function socket(url: string, cookie: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie }, reconnection: false });
    s.on('connect', () => resolve(s));
    s.on('connect_error', reject);
  });
}

const nextEvent = (s: Socket, event: string, ms: number) =>
  new Promise<unknown>((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    s.once(event, (p: unknown) => {
      clearTimeout(timer);
      resolve(p);
    });
  });

async function scenario(redis: string | undefined) {
  const a = await instance(redis);
  const b = await instance(redis);
  const sockets: Socket[] = [];
  try {
    const demo = await seedDemo(
      { db: a.db.db, dbKind: 'sqlite', config: a.app.ctx.config, clock: { now: () => Date.now() } },
      { startsInSec: 600, durationSec: 600, candidates: 1, kind: 'real', face: false, proof: false, baseUrl: a.url },
    );
    const c = demo.candidates[0]!;
    const candidateCookie = await login(a.url, '/api/auth/candidate-login', { idNumber: c.idNumber, ticket: c.ticket, clientId: 'client-rt-0001' });
    const proctorCookie = await login(b.url, '/api/auth/login', demo.proctor);
    const proctor = await socket(b.url, proctorCookie);
    const candidate = await socket(a.url, candidateCookie);
    sockets.push(proctor, candidate);
    expect(await proctor.emitWithAck('staff:watch', { sessionId: demo.sessionId })).toEqual({ ok: true });
    // Clock sync works on either instance.
    const pong = nextEvent(candidate, 'time:pong', 2000);
    candidate.emit('time:ping', { t0: 1 });
    expect(await pong).toMatchObject({ t0: 1, serverNow: expect.any(Number) });
    // Candidate asks for help through instance A; the proctor is connected to instance B.
    const received = nextEvent(proctor, 'help:message', 3000);
    const sent = await fetch(`${a.url}/api/attempt/help`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: candidateCookie }, body: JSON.stringify({ body: '听不到声音' }) });
    expect(sent.status).toBe(200);
    // And the proctor's reply through B reaches the candidate on A.
    const reply = nextEvent(candidate, 'help:message', 3000);
    const msg = (await received) as { attemptId: string; body: string } | null;
    if (msg)
      await fetch(`${b.url}/api/help/threads/${msg.attemptId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: proctorCookie },
        body: JSON.stringify({ body: '请检查麦克风' }),
      });
    return { toProctor: msg, toCandidate: (await reply) as { body: string } | null };
  } finally {
    for (const s of sockets) s.disconnect();
    await a.app.close();
    await b.app.close();
    await a.db.close();
    await b.db.close();
  }
}

describe.skipIf(!REDIS)('realtime across two server processes', () => {
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('carries help messages both ways through Redis', async () => {
    const r = await scenario(REDIS);
    expect(r.toProctor).toMatchObject({ from: 'candidate', body: '听不到声音' });
    expect(r.toCandidate).toMatchObject({ from: 'staff', body: '请检查麦克风' });
  });

  it('loses them without the Redis adapter (so the adapter is what carries them)', async () => {
    const r = await scenario(undefined);
    expect(r.toProctor).toBeNull();
  });
});
