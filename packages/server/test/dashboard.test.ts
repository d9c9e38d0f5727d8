// The live session dashboard (#17 item 5): one pure function puts each candidate at one step of the funnel, at any
// time (counts now, the chart over time); the dashboard is pushed to the session's admin and support — coalesced —
// and never to a proctor, of this session or another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { restrictedPushEvents, type Dashboard, type FunnelStage } from '@invigil/contracts';
import { cookieOf, makeApp, seed, type TestApp } from './helpers/app.ts';
import { socketOf } from './helpers/socket.ts';
import { dashboardChanged, funnelAt, funnelStages, sampleTimes, stageAt, PUSH_MS, type CandidateFacts, type FunnelOptions } from '../src/services/dashboard.ts';
import { MemoryBus } from '../src/services/bus.ts';
import { seedDemo } from '../src/services/demo.ts';
import { dialects } from './helpers/db.ts';

const NONE: CandidateFacts = { loggedInAt: null, facePassedAt: null, proofBoundAt: null, enteredAt: null, waitingAt: null, answeringAt: null, endedAt: null, uploadedAt: null, proofUploadedAt: null };
const BOTH: FunnelOptions = { face: true, proof: true, proofDeadlineMs: 3_600_000 };
const PLAIN: FunnelOptions = { face: false, proof: false, proofDeadlineMs: 3_600_000 };
const f = (o: Partial<CandidateFacts>): CandidateFacts => ({ ...NONE, ...o });

describe('stageAt: each candidate at the furthest step reached by time t', () => {
  const full = f({ loggedInAt: 10, facePassedAt: 20, proofBoundAt: 30, enteredAt: 40, waitingAt: 50, answeringAt: 60, endedAt: 70, uploadedAt: 80, proofUploadedAt: 90 });
  const table: Array<[string, CandidateFacts, FunnelOptions, number, FunnelStage]> = [
    ['nobody logged in', NONE, BOTH, 1000, 'not-logged-in'],
    ['before the login', full, BOTH, 9, 'not-logged-in'],
    ['logged in, face pending', full, BOTH, 10, 'logged-in'],
    ['face passed', full, BOTH, 20, 'face-passed'],
    ['phone bound', full, BOTH, 30, 'proof-bound'],
    ['phone bound before the face passed stays 已登录', f({ loggedInAt: 10, proofBoundAt: 15, facePassedAt: 20 }), BOTH, 16, 'logged-in'],
    ['phone bound, no face login in the session', f({ loggedInAt: 10, proofBoundAt: 15 }), { ...BOTH, face: false }, 16, 'proof-bound'],
    ['face passed, no proof camera in the session', f({ loggedInAt: 10, facePassedAt: 20, proofBoundAt: 30 }), { ...BOTH, proof: false }, 30, 'face-passed'],
    ['neither face nor proof: 已登录 until entered', f({ loggedInAt: 10, facePassedAt: 20, proofBoundAt: 30 }), PLAIN, 30, 'logged-in'],
    ['entered', full, BOTH, 40, 'entered'],
    ['waiting', full, BOTH, 55, 'waiting'],
    ['answering', full, BOTH, 60, 'answering'],
    ['ended, nothing uploaded yet', full, BOTH, 70, 'ended'],
    ['desktop uploaded, proof still on its way', full, BOTH, 85, 'uploaded'],
    ['both uploaded', full, BOTH, 90, 'proof-uploaded'],
    ['uploaded, session without proof', full, PLAIN, 95, 'uploaded'],
    ['proof video past its deadline', f({ ...full, proofUploadedAt: null }), BOTH, 70 + 3_600_001, 'proof-overdue'],
    ['exactly at the deadline is not overdue yet', f({ ...full, proofUploadedAt: null }), BOTH, 70 + 3_600_000, 'uploaded'],
    ['overdue even with the desktop upload missing', f({ ...full, uploadedAt: null, proofUploadedAt: null }), BOTH, 70 + 3_600_001, 'proof-overdue'],
    ['no proof deadline in a session without proof', f({ ...full, uploadedAt: null, proofUploadedAt: null }), PLAIN, 70 + 3_600_001, 'ended'],
    ['proof uploaded late still counts as uploaded', f({ ...full, proofUploadedAt: 70 + 3_700_000 }), BOTH, 70 + 3_800_000, 'proof-uploaded'],
  ];
  it.each(table)('%s', (_name, facts, o, t, stage) => expect(stageAt(facts, o, t)).toBe(stage));

  it('leaves out the steps a session does not have', () => {
    expect(funnelStages(PLAIN)).toEqual(['not-logged-in', 'logged-in', 'entered', 'waiting', 'answering', 'ended', 'uploaded']);
    expect(funnelStages({ face: true, proof: false })).toContain('face-passed');
    expect(funnelStages({ face: false, proof: true })).toEqual([
      'not-logged-in',
      'logged-in',
      'proof-bound',
      'entered',
      'waiting',
      'answering',
      'ended',
      'uploaded',
      'proof-uploaded',
      'proof-overdue',
    ]);
  });

  it('counts add up to the candidates at every time', () => {
    const facts = [NONE, full, f({ loggedInAt: 35 }), f({ ...full, proofUploadedAt: null })];
    for (const t of [0, 10, 36, 60, 90, 5_000_000]) expect(Object.values(funnelAt(facts, BOTH, t)).reduce((a, b) => a + b, 0)).toBe(4);
    expect(funnelAt(facts, BOTH, 36)).toMatchObject({ 'not-logged-in': 1, 'logged-in': 1, 'proof-bound': 2 });
  });

  it('samples every minute up to now, at most 120 points for a long window', () => {
    expect(sampleTimes(null, 1000)).toEqual([1000]);
    expect(sampleTimes(0, 150_000)).toEqual([0, 60_000, 120_000, 150_000]);
    const week = sampleTimes(0, 7 * 86_400_000);
    expect(week.length).toBeLessThanOrEqual(121);
    expect(week.at(-1)).toBe(7 * 86_400_000);
    // The moments of change are samples too (so a step within a minute shows), in order, once.
    expect(sampleTimes(0, 150_000, 120, [30_000, 30_000, 90_000, 200_000])).toEqual([0, 30_000, 60_000, 90_000, 120_000, 150_000]);
  });
});

describe.each(dialects)('the live push (%s)', (kind) => {
  let t: TestApp;
  let demo: Awaited<ReturnType<typeof seed>>;
  let other: Awaited<ReturnType<typeof seedDemo>>;
  let url: string;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    t = await makeApp(kind);
    demo = await seed(t, 600, 1500, 3);
    // Another session, login not open yet (so the same ID numbers log in to the first one).
    other = await seedDemo(t.app.ctx, { startsInSec: 6 * 3600, durationSec: 1500, candidates: 1, kind: 'real', face: false, proof: false, baseUrl: 'http://test' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    sockets.forEach((s) => s.disconnect());
    await t.cleanup();
  });

  async function watcher(username: string, password: string, sessionId: string) {
    const s = await socketOf(url, await t.login(username, password), sockets);
    expect(await s.emitWithAck('staff:watch', { sessionId })).toMatchObject({ ok: true });
    const got: Dashboard[] = [];
    s.on('dashboard:changed', (d: Dashboard) => got.push(d));
    return { s, got };
  }
  /** Everything the server sent this socket before now has arrived once the pong is back (one ordered stream). */
  const drained = (s: Socket) =>
    new Promise<void>((resolve) => {
      s.once('time:pong', () => resolve());
      s.emit('time:ping', { t0: 0 });
    });
  const until = async (cond: () => boolean) => {
    for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(cond()).toBe(true);
  };

  it("reaches the session's admin and support, not its proctor nor another session's", async () => {
    const admin = await watcher(demo.admin.username, demo.admin.password, demo.sessionId);
    const support = await watcher(demo.support.username, demo.support.password, demo.sessionId);
    const proctor = await watcher(demo.proctor.username, demo.proctor.password, demo.sessionId);
    const otherProctor = await watcher(other.proctor.username, other.proctor.password, other.sessionId);
    const otherAdmin = await watcher(other.admin.username, other.admin.password, other.sessionId);

    const c = demo.candidates[0]!;
    const login = await t.candidateLogin(c.idNumber, c.ticket, 'client-dash-0001');
    expect(login.statusCode, login.body).toBe(200);
    await until(() => admin.got.length > 0 && support.got.length > 0);
    for (const d of [admin.got[0]!, support.got[0]!]) {
      expect(d.sessionId).toBe(demo.sessionId);
      expect(d.counts).toMatchObject({ 'not-logged-in': 2, 'logged-in': 1 });
    }
    // Exactly the roles contracts declare for the event, and no one else.
    expect(restrictedPushEvents['dashboard:changed'].to).toEqual(['admin', 'support']);
    await Promise.all([proctor, otherProctor, otherAdmin].map((w) => drained(w.s)));
    expect(proctor.got).toEqual([]);
    expect(otherProctor.got).toEqual([]);
    // A session's push is that session's: another session's admin, watching that one, hears nothing of it.
    expect(otherAdmin.got).toEqual([]);

    // The candidate enters: the next push moves the count along without anyone asking.
    const cookie = cookieOf(login);
    t.clock.advance(590_000); // entry opens 15 min before the start (10 min away)
    for (const d of (await t.req('GET', '/api/attempt', cookie)).json().documents as Array<{ id: string }>) await t.req('POST', `/api/attempt/documents/${d.id}/read`, cookie);
    const before = admin.got.length;
    const entered = await t.req('POST', '/api/attempt/enter', cookie, { singleMonitor: true, displaySurface: 'monitor' });
    expect(entered.statusCode, entered.body).toBe(200);
    await until(() => admin.got.length > before);
    expect(admin.got.at(-1)!.counts).toMatchObject({ 'logged-in': 0, entered: 1 });
    // The chart carries the step over time: 已登录 at the first sample after the login, 已进入 at the last.
    const series = admin.got.at(-1)!.series;
    const stages = admin.got.at(-1)!.stages;
    expect(series.at(-1)!.counts[stages.indexOf('entered')]).toBe(1);
    expect(series.some((p) => p.counts[stages.indexOf('logged-in')] === 1)).toBe(true);

    // Clicking the count lists that candidate.
    const list = await t.req('GET', `/api/sessions/${demo.sessionId}/dashboard/candidates?stage=entered`, await t.login(demo.support.username, demo.support.password));
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items.map((i: { ticket: string }) => i.ticket)).toEqual([c.ticket]);
  });

  it('refuses a step that does not exist, in words, and a session that does not', async () => {
    const admin = await t.login(demo.admin.username, demo.admin.password);
    const bad = await t.req('GET', `/api/sessions/${demo.sessionId}/dashboard/candidates?stage=nonsense`, admin);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    const missing = await t.req('GET', '/api/sessions/00000000-0000-4000-8000-000000000000/dashboard', admin);
    expect(missing.statusCode).toBe(404);
  });

  it('a session with the proof camera: binding the phone moves the candidate to 佐证已绑定, pushed', async () => {
    const proofDemo = await seedDemo(t.app.ctx, { startsInSec: 600, durationSec: 1500, candidates: 1, kind: 'real', face: false, proof: true, baseUrl: 'http://test' });
    const admin = await watcher(proofDemo.admin.username, proofDemo.admin.password, proofDemo.sessionId);
    const c = proofDemo.candidates[0]!;
    const login = await t.candidateLogin(c.idNumber, c.ticket, 'client-dash-proof');
    expect(login.statusCode, login.body).toBe(200);
    await until(() => admin.got.some((d) => d.counts['logged-in'] === 1));
    expect(admin.got.at(-1)!.stages).toEqual(['not-logged-in', 'logged-in', 'proof-bound', 'entered', 'waiting', 'answering', 'ended', 'uploaded', 'proof-uploaded', 'proof-overdue']);
    const issued = await t.req('POST', '/api/proof/bind-code', cookieOf(login));
    expect(issued.statusCode, issued.body).toBe(200);
    const bound = await t.req('POST', '/api/proof/bind', undefined, { code: issued.json().code }, { 'user-agent': 'Mozilla/5.0 (Linux; Android 14; Pixel 7) Mobile' });
    expect(bound.statusCode, bound.body).toBe(200);
    await until(() => admin.got.some((d) => d.counts['proof-bound'] === 1));
    expect(admin.got.at(-1)!.counts).toMatchObject({ 'logged-in': 0, 'proof-bound': 1 });
  });

  it('coalesces a burst into one push per session', async () => {
    const bus = new MemoryBus();
    for (let i = 0; i < 20; i++) dashboardChanged(t.app.ctx, bus, demo.sessionId);
    dashboardChanged(t.app.ctx, bus, other.sessionId);
    await until(() => bus.sent.length >= 2);
    await new Promise((r) => setTimeout(r, PUSH_MS + 200)); // nothing more may come after the window closed
    expect(bus.sent.map((s) => s.to).sort()).toEqual([[`session:${demo.sessionId}`], [`session:${other.sessionId}`]].sort());
  });
});
