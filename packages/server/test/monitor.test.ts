// The in-exam monitor's routes (issue #19) through the real app on a real port, with real socket.io proctor
// clients: a batch with an absence raises `face-absent` to the proctor of the candidate's room with the batch's
// frame as evidence, and to no proctor of another room; the episode's end is recorded; a retried batch raises
// nothing new; bad batches are refused with a stable code; the rate limit holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { DEFAULT_MONITOR_RULES, type EventPush, type MonitorSample } from '@invigil/contracts';
import { socketOf } from './helpers/socket.ts';
import { cookieOf, makeApp, seed, type TestApp } from './helpers/app.ts';
import { createCandidate, createStaff, saveRoom } from '../src/services/admin.ts';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]);
const ENTER = { singleMonitor: true, displaySurface: 'monitor' };

let t: TestApp;
let url: string;
let demo: Awaited<ReturnType<typeof seed>>;
const cookies: Record<string, string> = {};
const attempt: Record<string, string> = {};
const feed: Record<'p1' | 'p2', EventPush[]> = { p1: [], p2: [] };
const sockets: Socket[] = [];
let p1: Socket;

beforeAll(async () => {
  t = await makeApp('sqlite');
  demo = await seed(t, 600, 1500, 2);
  const ctx = t.app.ctx;
  const proctor2 = await createStaff(ctx, 'test', { username: 'proctor-m2', displayName: 'P2', role: 'proctor', password: 'password-m2' });
  const room2 = await saveRoom(ctx, 'test', demo.sessionId, null, { name: '第2考场', proctorIds: [proctor2.id] });
  await createCandidate(ctx, 'test', demo.sessionId, { name: '李四', idNumber: '11010519491231002X', ticket: 'M2-1', roomId: room2.id });
  const logins: Array<[string, string, string]> = [
    ['c1', demo.candidates[0]!.idNumber, demo.candidates[0]!.ticket],
    ['c2', '11010519491231002X', 'M2-1'],
    ['c3', demo.candidates[1]!.idNumber, demo.candidates[1]!.ticket],
  ];
  for (const [who, id, ticket] of logins) {
    cookies[who] = cookieOf(await t.candidateLogin(id, ticket, `client-mon-${who}-000`));
    attempt[who] = (await t.req('GET', '/api/attempt', cookies[who])).json().attemptId;
  }
  cookies.admin = await t.login(demo.admin.username, demo.admin.password);
  cookies.proctor = await t.login(demo.proctor.username, demo.proctor.password);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  p1 = await socketOf(url, cookies.proctor, sockets);
  const p2 = await socketOf(url, await t.login('proctor-m2', 'password-m2'), sockets);
  p1.on('attempt:signal', (e: EventPush) => feed.p1.push(e));
  p2.on('attempt:signal', (e: EventPush) => feed.p2.push(e));
  expect(await p1.emitWithAck('staff:watch', { sessionId: demo.sessionId })).toEqual({ ok: true });
  expect(await p2.emitWithAck('staff:watch', { sessionId: demo.sessionId })).toEqual({ ok: true });
  await enter('c1');
  await enter('c2');
  t.clock.advance(60_000);
});
afterAll(async () => {
  sockets.forEach((s) => s.disconnect());
  await t.cleanup();
});

async function enter(who: string) {
  const state = (await t.req('GET', '/api/attempt', cookies[who])).json() as { documents: Array<{ id: string }> };
  for (const d of state.documents) expect((await t.req('POST', `/api/attempt/documents/${d.id}/read`, cookies[who])).statusCode).toBe(200);
  const res = await t.req('POST', '/api/attempt/enter', cookies[who], ENTER);
  expect(res.statusCode, res.body).toBe(200);
}

const present = (t0: number): MonitorSample => ({ t: t0, faces: 1, match: 0.8, yaw: 3, pitch: -2, occlusion: 0.05, luma: 110, contrast: 40, motion: 3, phone: null });
const absent = (t0: number): MonitorSample => ({ ...present(t0), faces: 0, match: null, yaw: null, pitch: null, occlusion: null });
/** Samples at 1 Hz from `from` (ms), each from the pattern: 'P' present, 'A' absent. */
const run = (from: number, pattern: string) => [...pattern].map((ch, i) => (ch === 'A' ? absent : present)(from + i * 1000));

function waitFor(s: Socket, match: (e: EventPush) => boolean): Promise<EventPush> {
  const found = feed.p1.find(match);
  if (found) return Promise.resolve(found);
  return new Promise((resolve) => {
    const on = (e: EventPush) => {
      if (!match(e)) return;
      s.off('attempt:signal', on);
      resolve(e);
    };
    s.on('attempt:signal', on);
  });
}
const post = (who: string, body: unknown) => t.req('POST', '/api/attempt/monitor', cookies[who], body);

describe('GET /api/attempt/monitor/config', () => {
  it('gives the session rules (the defaults), no reference without a registered face, and the rate', async () => {
    const res = await t.req('GET', '/api/attempt/monitor/config', cookies.c1);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ on: true, rules: DEFAULT_MONITOR_RULES, reference: null, sampleHz: 1 });
  });
});

describe('POST /api/attempt/monitor', () => {
  let eventId = '';
  let from = 0;

  it('refuses a candidate who has not entered the exam', async () => {
    const res = await post('c3', { samples: run(t.clock.now() - 5000, 'PPP') });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('NOT_ENTERED');
  });

  it('an absence raises face-absent to the proctor of the room, with the batch frame as evidence, and not to another room', async () => {
    from = t.clock.now() - 20_000;
    const samples = run(from, 'PPPAAAAAAA');
    const res = await post('c1', { samples, evidence: [{ t: from + 3000, jpeg: JPEG.toString('base64') }] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ ok: true, open: ['face-absent'] });
    const got = await waitFor(p1, (e) => e.attemptId === attempt.c1 && e.type === 'face-absent');
    expect(got).toMatchObject({ severity: 'medium', evidence: true, at: from + 3000, data: { source: 'monitor', start: from + 3000, end: null, holdSec: 2 } });
    eventId = got.id;
    const ev = await t.req('GET', `/api/flags/${eventId}/evidence`, cookies.proctor);
    expect(ev.statusCode).toBe(200);
    expect(Buffer.compare(ev.rawPayload, JPEG)).toBe(0);
    // A barrier on the other room: once its proctor has this, it would have had the first one too.
    const other = await post('c2', { samples: run(from, 'AAAAAA') });
    expect(other.statusCode, other.body).toBe(200);
    await new Promise<void>((resolve) => {
      const check = () => (feed.p2.some((e) => e.attemptId === attempt.c2) ? resolve() : setTimeout(check, 20));
      check();
    });
    expect(feed.p2.filter((e) => e.attemptId === attempt.c1)).toEqual([]);
    expect(feed.p1.filter((e) => e.attemptId === attempt.c2)).toEqual([]);
  });

  it('a retried batch raises nothing new; the end of the episode is recorded when the face is back', async () => {
    const again = await post('c1', { samples: run(from, 'PPPAAAAAAA') });
    expect(again.json()).toEqual({ ok: true, open: ['face-absent'] });
    const back = await post('c1', { samples: run(from + 10_000, 'PPPP') });
    expect(back.json()).toEqual({ ok: true, open: [] });
    const rows = await t.app.ctx.db.selectFrom('attempt_events').selectAll().where('attempt_id', '=', attempt.c1!).where('type', '=', 'face-absent').execute();
    expect(rows.length).toBe(1);
    expect(JSON.parse(rows[0]!.data)).toMatchObject({ start: from + 3000, end: from + 9000 });
    const ep = await t.app.ctx.db.selectFrom('monitor_episodes').selectAll().where('attempt_id', '=', attempt.c1!).execute();
    expect(ep).toMatchObject([{ condition: 'face-absent', start_at: from + 3000, end_at: from + 9000, event_id: eventId, superseded_at: null }]);
  });

  it('refuses bad batches with a stable code and stores nothing', async () => {
    const before = await t.app.ctx.db.selectFrom('monitor_batches').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const cases: unknown[] = [
      {},
      { samples: [] },
      { samples: [{ ...present(t.clock.now()), faces: -1 }] },
      { samples: run(t.clock.now() + 3_600_000, 'P') },
      { samples: run(t.clock.now(), 'P'), evidence: [{ t: t.clock.now(), jpeg: Buffer.from('not a jpeg at all').toString('base64') }] },
    ];
    for (const body of cases) {
      const res = await post('c1', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(res.json().error.message).toMatch(/[\u4e00-\u9fff]/);
    }
    const after = await t.app.ctx.db.selectFrom('monitor_batches').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('limits batches per attempt and minute', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 32; i++) codes.push((await post('c2', { samples: run(t.clock.now() - 1000, 'P') })).statusCode);
    expect(codes).toContain(429);
    expect(codes.filter((c) => c === 200).length).toBeLessThanOrEqual(30);
  });
});
