// The attempt-event vocabulary, end to end: every type has a severity and a zh-CN and an en label, and raising it
// reaches a proctor of the candidate's room live over a real socket.io client — and no proctor of another room.
// Two producers are driven through their real entry points too (browser signals, a refused second login).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { socketOf } from './helpers/socket.ts';
import { EVENT_LABELS, EventType, FlagSeverity, SEVERITY, eventTypeOf, type EventPush } from '@invigil/contracts';
import { cookieOf, makeApp, seed, type TestApp } from './helpers/app.ts';
import { createCandidate, createStaff, saveRoom } from '../src/services/admin.ts';
import { raise } from '../src/services/events.ts';

let t: TestApp;
let url: string;
let attemptR1: string;
let attemptR2: string;
let second: { idNumber: string; ticket: string };
const feed: Record<'p1' | 'p2', EventPush[]> = { p1: [], p2: [] };
const sockets: Socket[] = [];

const socket = (cookie: string) => socketOf(url, cookie, sockets);

/** Resolves with the first pushed event on this feed that matches, however late it comes. */
function waitFor(who: 'p1' | 'p2', s: Socket, match: (e: EventPush) => boolean): Promise<EventPush> {
  const found = feed[who].find(match);
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

let p1: Socket;
let p2: Socket;

beforeAll(async () => {
  t = await makeApp('sqlite');
  const demo = await seed(t, 600, 1500, 2);
  second = demo.candidates[1]!;
  // A second room of the same session, with its own proctor and one candidate.
  const ctx = t.app.ctx;
  const proctor2 = await createStaff(ctx, 'test', { username: 'proctor-r2', displayName: 'P2', role: 'proctor', password: 'password-r2' });
  const room2 = await saveRoom(ctx, 'test', demo.sessionId, null, { name: '第2考场', proctorIds: [proctor2.id] });
  await createCandidate(ctx, 'test', demo.sessionId, { name: '李四', idNumber: '11010519491231002X', ticket: 'R2-1', roomId: room2.id });
  const c1 = cookieOf(await t.candidateLogin(demo.candidates[0]!.idNumber, demo.candidates[0]!.ticket, 'client-ev-0000'));
  attemptR1 = (await t.req('GET', '/api/attempt', c1)).json().attemptId;
  const c2 = cookieOf(await t.candidateLogin('11010519491231002X', 'R2-1', 'client-ev-0002'));
  attemptR2 = (await t.req('GET', '/api/attempt', c2)).json().attemptId;

  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  p1 = await socket(await t.login(demo.proctor.username, demo.proctor.password));
  p2 = await socket(await t.login('proctor-r2', 'password-r2'));
  p1.on('attempt:signal', (e: EventPush) => feed.p1.push(e));
  p2.on('attempt:signal', (e: EventPush) => feed.p2.push(e));
  expect(await p1.emitWithAck('staff:watch', { sessionId: demo.sessionId })).toEqual({ ok: true });
  expect(await p2.emitWithAck('staff:watch', { sessionId: demo.sessionId })).toEqual({ ok: true });
});
afterAll(async () => {
  sockets.forEach((s) => s.disconnect());
  await t.cleanup();
});

describe('every attempt event type', () => {
  it.each(EventType.options)('%s has a severity and a label in zh-CN and en', (type) => {
    expect(FlagSeverity.options).toContain(SEVERITY[type]);
    expect(EVENT_LABELS[type]['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    expect(EVENT_LABELS[type].en).toMatch(/^[A-Z][\x20-\x7e]+$/);
    expect(eventTypeOf(type)).toBe(type);
  });

  it('reaches the proctor of the room live, as the feed row, and no proctor of another room', async () => {
    for (const type of EventType.options) {
      const [raised] = await raise(t.app.ctx, t.app.realtime, { attemptId: attemptR1, type, at: t.app.ctx.clock.now(), data: { n: 1 } });
      const got = await waitFor('p1', p1, (e) => e.id === raised!.id);
      expect(got).toMatchObject({ attemptId: attemptR1, type, severity: SEVERITY[type], candidateName: expect.any(String), data: { n: 1 }, review: null });
    }
    // A last event in the other room: once its proctor has it, everything emitted before has arrived too.
    const [sentinel] = await raise(t.app.ctx, t.app.realtime, { attemptId: attemptR2, type: 'page-hidden', at: t.app.ctx.clock.now() });
    await waitFor('p2', p2, (e) => e.id === sentinel!.id);
    expect(feed.p2.map((e) => e.attemptId)).toEqual([attemptR2]);
    expect(feed.p1.some((e) => e.attemptId === attemptR2)).toBe(false);
  });

  it('reads the legacy name multiple-faces as several-faces', () => {
    expect(eventTypeOf('multiple-faces')).toBe('several-faces');
    expect(eventTypeOf('made-up')).toBeNull();
  });
});

describe('producers reach the proctor live through the same pipeline', () => {
  it('browser signals', async () => {
    const c1 = cookieOf(await t.candidateLogin('11010519491231002X', 'R2-1', 'client-ev-0002'));
    const at = t.app.ctx.clock.now();
    expect((await t.req('POST', '/api/attempt/events', c1, { signals: [{ type: 'window-blur', at, data: {} }] })).statusCode).toBe(200);
    expect(await waitFor('p2', p2, (e) => e.type === 'window-blur')).toMatchObject({ attemptId: attemptR2, severity: 'medium' });
  });

  it('a refused second login (someone else may be answering)', async () => {
    expect((await t.candidateLogin(second.idNumber, second.ticket, 'client-ev-first')).statusCode).toBe(200);
    const refused = await t.candidateLogin(second.idNumber, second.ticket, 'client-ev-other');
    expect(refused.json().error.code).toBe('ALREADY_LOGGED_IN_ELSEWHERE');
    expect(await waitFor('p1', p1, (e) => e.type === 'second-login' && (e.data as { clientId?: string }).clientId === 'client-ev-other')).toMatchObject({ severity: 'high' });
  });
});
