// The candidate journey through the API with a controlled clock: the server's clock rules every gate.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cookieOf, makeApp, seed, type TestApp } from './helpers/app.ts';
import { tick } from '../src/services/timekeeper.ts';
import { MemoryBus } from '../src/realtime/bus.ts';
import type { EntryGate } from '../src/services/attempts.ts';
import { AppError } from '../src/http/errors.ts';

let t: TestApp;
let demo: Awaited<ReturnType<typeof seed>>;
const ENTER = { singleMonitor: true, displaySurface: 'monitor' };

beforeEach(async () => {
  t = await makeApp('sqlite', { env: { HEARTBEAT_TIMEOUT_SEC: '30' } });
  demo = await seed(t, 30 * 60, 25 * 60, 3); // start in 30 min, 25 min long; entry opens 15 min before
});
afterEach(() => t.cleanup());

async function loginCandidate(i = 0, clientId = 'client-aaaaaaaa') {
  const c = demo.candidates[i]!;
  const res = await t.candidateLogin(c.idNumber, c.ticket, clientId);
  expect(res.statusCode, res.body).toBe(200);
  return cookieOf(res);
}
async function readAll(cookie: string) {
  const state = (await t.req('GET', '/api/attempt', cookie)).json();
  for (const d of state.documents) expect((await t.req('POST', `/api/attempt/documents/${d.id}/read`, cookie)).statusCode).toBe(200);
}

describe('candidate login', () => {
  it('refuses a wrong ticket with a clear message, in both languages', async () => {
    const c = demo.candidates[0]!;
    const res = await t.req('POST', '/api/auth/candidate-login', undefined, { idNumber: c.idNumber, ticket: 'nope', clientId: 'client-aaaaaaaa' });
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toEqual({ code: 'LOGIN_REFUSED', message: '考生信息有误，或当前不在登录时间内。' });
  });

  it('refuses login before it opens with the same answer as a wrong pair; the opening time is in the public schedule', async () => {
    t.clock.advance(-2 * 3600_000);
    const c = demo.candidates[0]!;
    const res = await t.candidateLogin(c.idNumber, c.ticket);
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toEqual({ code: 'LOGIN_REFUSED', message: '考生信息有误，或当前不在登录时间内。' });
    const schedule = (await t.req('GET', '/api/public/schedule')).json();
    expect(schedule.now).toBe(t.clock.now());
    expect(schedule.sessions.map((s: { loginOpensAt: number }) => s.loginOpensAt)).toEqual([demo.startsAt - 3600_000]);
    expect(schedule.sessions[0].loginOpensAt).toBeGreaterThan(t.clock.now());
  });

  it('allows one live client: a second browser is refused while the first heart-beats, and resumes after it falls silent', async () => {
    const first = await loginCandidate(0, 'client-first-1');
    const c = demo.candidates[0]!;
    const second = await t.candidateLogin(c.idNumber, c.ticket, 'client-second-2');
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('ALREADY_LOGGED_IN_ELSEWHERE');
    // The refusal is recorded for proctors.
    const admin = await t.login(demo.admin.username, demo.admin.password);
    const attemptId = (await t.req('GET', '/api/attempt', first)).json().attemptId;
    const events = (await t.req('GET', `/api/attempts/${attemptId}/events`, admin)).json();
    expect(events.map((e: { type: string }) => e.type)).toContain('second-login');
    // The same browser reloading (same clientId) is not a second login.
    expect((await t.candidateLogin(c.idNumber, c.ticket, 'client-first-1')).statusCode).toBe(200);
    // The first client crashes: 31 s of silence, then the new device takes over; the old one is logged out.
    t.clock.advance(31_000);
    const taken = await t.candidateLogin(c.idNumber, c.ticket, 'client-second-2');
    expect(taken.statusCode).toBe(200);
    expect((await t.req('GET', '/api/attempt', first)).statusCode).toBe(401);
    expect((await t.req('GET', '/api/attempt', cookieOf(taken))).json().attemptId).toBe(attemptId);
  });
});

describe('entry, waiting room and the question', () => {
  it('locks entry until every document is read, and before the entry time', async () => {
    const cookie = await loginCandidate();
    t.clock.advance(16 * 60_000); // entry opens 15 min before start → 1 min after now+15
    let res = await t.req('POST', '/api/attempt/enter', cookie, ENTER);
    expect(res.json().error.code).toBe('DOCUMENTS_NOT_READ');
    await readAll(cookie);
    expect((await t.req('GET', '/api/attempt', cookie)).json().allDocumentsRead).toBe(true);
    t.clock.advance(-10 * 60_000);
    res = await t.req('POST', '/api/attempt/enter', cookie, ENTER);
    expect(res.json().error.code).toBe('ENTRY_NOT_OPEN');
  });

  it('refuses a second monitor and a window share', async () => {
    const cookie = await loginCandidate();
    await readAll(cookie);
    t.clock.advance(16 * 60_000);
    expect((await t.req('POST', '/api/attempt/enter', cookie, { singleMonitor: false, displaySurface: 'monitor' })).json().error.code).toBe('SECOND_MONITOR');
    expect((await t.req('POST', '/api/attempt/enter', cookie, { singleMonitor: true, displaySurface: 'window' })).json().error.code).toBe('SCREEN_NOT_WHOLE');
  });

  it('runs the whole timeline: enter → ready → question at start → auto-end', async () => {
    const cookie = await loginCandidate();
    await readAll(cookie);
    t.clock.advance(16 * 60_000);
    let res = await t.req('POST', '/api/attempt/enter', cookie, ENTER);
    expect(res.json().status).toBe('entered');
    res = await t.req('POST', '/api/attempt/ready', cookie);
    expect(res.json().status).toBe('waiting');
    // 1 ms before start: nobody gets the question.
    t.clock.t = demo.startsAt - 1;
    res = await t.req('GET', '/api/attempt/question', cookie);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('QUESTION_NOT_RELEASED');
    t.clock.t = demo.startsAt;
    res = await t.req('GET', '/api/attempt/question', cookie);
    expect(res.statusCode).toBe(200);
    expect(res.json().questions[0].body).toContain('回答完毕');
    const bus = new MemoryBus();
    expect(await tick(t.app.ctx, bus)).toEqual({ started: 1, ended: 0 });
    expect((await t.req('GET', '/api/attempt', cookie)).json().status).toBe('answering');
    t.clock.t = demo.endsAt;
    expect(await tick(t.app.ctx, bus)).toEqual({ started: 0, ended: 1 });
    const state = (await t.req('GET', '/api/attempt', cookie)).json();
    expect(state).toMatchObject({ status: 'ended', endReason: 'time-up' });
    expect(bus.sent.some((m) => m.event === 'attempt:changed' && (m.payload as { status: string }).status === 'ended')).toBe(true);
    expect((await t.req('GET', '/api/attempt/question', cookie)).json().error.code).toBe('QUESTION_NOT_RELEASED');
  });

  it('refuses first entry after the cut-off but lets an entered candidate resume', async () => {
    const a = await loginCandidate(0);
    const b = await loginCandidate(1, 'client-bbbbbbbb');
    await readAll(a);
    await readAll(b);
    t.clock.advance(16 * 60_000);
    expect((await t.req('POST', '/api/attempt/enter', a, ENTER)).statusCode).toBe(200);
    t.clock.t = demo.startsAt; // entry closes at start by default
    const late = await t.req('POST', '/api/attempt/enter', b, ENTER);
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('ENTRY_CLOSED');
    expect((await t.req('POST', '/api/attempt/enter', a, ENTER)).json().status).toBe('entered');
  });

  it('keeps the question from every staff role before the start, admins included', async () => {
    for (const role of ['admin', 'proctor', 'examiner', 'support'] as const) {
      const cookie = await t.login(demo[role].username, demo[role].password);
      const res = await t.req('GET', `/api/sessions/${demo.sessionId}/questions`, cookie);
      if (role === 'admin') {
        expect(res.statusCode).toBe(200);
        expect(res.json()[0]).toMatchObject({ sealed: true, body: null });
      } else expect(res.statusCode).toBe(403);
      // The candidate route is closed to staff altogether.
      expect((await t.req('GET', '/api/attempt/question', cookie)).statusCode).toBe(403);
    }
    t.clock.t = demo.startsAt;
    const admin = await t.login(demo.admin.username, demo.admin.password);
    expect((await t.req('GET', `/api/sessions/${demo.sessionId}/questions`, admin)).json()[0].sealed).toBe(false);
  });

  it('seals question titles like bodies before the start, for admins too; an edit replaces both', async () => {
    const admin = await t.login(demo.admin.username, demo.admin.password);
    const url = `/api/sessions/${demo.sessionId}/questions`;
    const created = await t.req('POST', url, admin, { title: '秘密标题：关于基层治理', body: '第二题正文', position: 2 });
    expect(created.statusCode, created.body).toBe(200);
    expect(created.json()).toMatchObject({ sealed: true, title: null, body: null });
    const listed = await t.req('GET', url, admin);
    expect(listed.json().every((q: { title: string | null; body: string | null }) => q.title === null && q.body === null)).toBe(true);
    expect(listed.body).not.toContain('秘密标题');
    const edited = await t.req('PUT', `${url}/${created.json().id}`, admin, { title: '新标题', body: '新正文', position: 2 });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ sealed: true, title: null, body: null });
    t.clock.t = demo.startsAt;
    const open = (await t.req('GET', url, admin)).json();
    expect(open.find((q: { id: string }) => q.id === created.json().id)).toMatchObject({ sealed: false, title: '新标题', body: '新正文' });
  });

  it('asks entry gates (face login, proof camera) before letting a candidate in', async () => {
    await t.cleanup();
    const gate: EntryGate = { name: 'face', check: async () => new AppError('STEP_REQUIRED', { step: '人脸登录' }) };
    t = await makeApp('sqlite', { deps: { entryGates: [gate] } });
    demo = await seed(t, 30 * 60, 25 * 60, 1);
    const cookie = await loginCandidate();
    await readAll(cookie);
    t.clock.advance(16 * 60_000);
    const res = await t.req('POST', '/api/attempt/enter', cookie, ENTER);
    expect(res.json().error).toEqual({ code: 'STEP_REQUIRED', message: '请先完成“人脸登录”环节。' });
  });
});

describe('device check', () => {
  it('stores the device check for support and times an upload for the speed estimate', async () => {
    const cookie = await loginCandidate();
    const check = { camera: 'ok', microphone: 'denied', speaker: 'ok', browser: { ok: true, userAgent: 'Chrome/156' }, singleMonitor: true, storageFreeMb: 5000, uploadKbps: 8000 };
    expect((await t.req('POST', '/api/attempt/device-check', cookie, check)).statusCode).toBe(200);
    const row = await t.app.ctx.db.selectFrom('attempts').select(['device_check', 'device_checked_at']).executeTakeFirstOrThrow();
    expect(JSON.parse(row.device_check!)).toEqual(check);
    const res = await t.app.inject({ method: 'POST', url: '/api/attempt/speed-test', payload: Buffer.alloc(300_000, 1), headers: { cookie, 'content-type': 'application/octet-stream' } });
    expect(res.json()).toEqual({ bytes: 300_000 });
    const big = await t.app.inject({ method: 'POST', url: '/api/attempt/speed-test', payload: Buffer.alloc(3 * 1024 * 1024), headers: { cookie, 'content-type': 'application/octet-stream' } });
    expect(big.statusCode).toBe(413);
  });
});

describe('help chat and signals', () => {
  it('round-trips a 求助 message, scoped to the room’s proctor', async () => {
    const cookie = await loginCandidate();
    const sent = await t.req('POST', '/api/attempt/help', cookie, { body: '摄像头黑屏了' });
    expect(sent.json()).toMatchObject({ from: 'candidate', body: '摄像头黑屏了' });
    const proctor = await t.login(demo.proctor.username, demo.proctor.password);
    const threads = (await t.req('GET', `/api/help/threads?sessionId=${demo.sessionId}`, proctor)).json();
    expect(threads).toHaveLength(1);
    expect(threads[0]).toMatchObject({ unanswered: true, lastBody: '摄像头黑屏了' });
    await t.req('POST', `/api/help/threads/${threads[0].attemptId}`, proctor, { body: '请刷新页面后重试。' });
    const msgs = (await t.req('GET', '/api/attempt/help', cookie)).json();
    expect(msgs.map((m: { from: string }) => m.from)).toEqual(['candidate', 'staff']);
    expect(msgs[1].staffName).toBe('监考员');
    // A proctor of another room sees nothing and cannot reply.
    const admin = await t.login(demo.admin.username, demo.admin.password);
    await t.req('POST', '/api/staff', admin, { username: 'p2', displayName: 'P2', role: 'proctor', password: 'password22' });
    const p2 = await t.login('p2', 'password22');
    expect((await t.req('GET', `/api/help/threads?sessionId=${demo.sessionId}`, p2)).json()).toEqual([]);
    // Each proctor lists only the sessions of their rooms.
    expect((await t.req('GET', '/api/staff/sessions', proctor)).json().map((s: { id: string }) => s.id)).toEqual([demo.sessionId]);
    expect((await t.req('GET', '/api/staff/sessions', p2)).json()).toEqual([]);
    expect(threads[0].sessionId).toBe(demo.sessionId);
    expect((await t.req('POST', `/api/help/threads/${threads[0].attemptId}`, p2, { body: 'x' })).statusCode).toBe(404);
  });

  it('stores browser signals with their time for staff', async () => {
    const cookie = await loginCandidate();
    const at = t.clock.now();
    const res = await t.req('POST', '/api/attempt/events', cookie, {
      signals: [
        { type: 'page-hidden', at },
        { type: 'window-blur', at: at + 5 },
      ],
    });
    expect(res.statusCode).toBe(200);
    const attemptId = (await t.req('GET', '/api/attempt', cookie)).json().attemptId;
    const support = await t.login(demo.support.username, demo.support.password);
    const events = (await t.req('GET', `/api/attempts/${attemptId}/events`, support)).json();
    expect(events.map((e: { type: string; at: number }) => [e.type, e.at])).toEqual([
      ['page-hidden', at],
      ['window-blur', at + 5],
    ]);
    expect((await t.req('POST', '/api/attempt/events', cookie, { signals: [{ type: 'made-up', at }] })).statusCode).toBe(400);
  });
});
