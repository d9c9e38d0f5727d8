// The in-exam monitor's routes (issue #19) through the real app on a real port, with real socket.io proctor
// clients: a batch with an absence raises `face-absent` to the proctor of the candidate's room with the batch's
// frame as evidence, and to no proctor of another room; the episode's end is recorded; a retried batch raises
// nothing new; bad batches are refused with a stable code; the rate limit holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { DEFAULT_MONITOR_RULES, type EventPush, type MonitorSample } from '@invigil/contracts';
import { socketOf } from './helpers/socket.ts';
import { cookieOf, makeApp, seed, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/db.ts';
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

describe.each(dialects)('on %s', (kind) => {
  beforeAll(async () => {
    feed.p1 = [];
    feed.p2 = [];
    sockets.length = 0;
    t = await makeApp(kind);
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

  const ID_MISMATCH_MATCH = 0.45; // below the default identity-mismatch threshold 0.65, above 0.4
  const present = (t0: number): MonitorSample => ({ t: t0, faces: 1, match: 0.8, yaw: 3, pitch: -2, occlusion: 0.05, luma: 110, contrast: 40, motion: 3, phone: null });
  const absent = (t0: number): MonitorSample => ({ ...present(t0), faces: 0, match: null, yaw: null, pitch: null, occlusion: null });
  const stranger = (t0: number): MonitorSample => ({ ...present(t0), match: ID_MISMATCH_MATCH });
  /** Samples at 1 Hz from `from` (ms), each from the pattern: 'P' present, 'A' absent, 'S' a face below the match. */
  const run = (from: number, pattern: string) => [...pattern].map((ch, i) => (ch === 'A' ? absent : ch === 'S' ? stranger : present)(from + i * 1000));

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
      const before = await t.app.ctx.db
        .selectFrom('monitor_batches')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
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
      const after = await t.app.ctx.db
        .selectFrom('monitor_batches')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
    });

    it('limits batches per attempt and minute', async () => {
      const codes: number[] = [];
      for (let i = 0; i < 32; i++) codes.push((await post('c2', { samples: run(t.clock.now() - 1000, 'P') })).statusCode);
      expect(codes).toContain(429);
      expect(codes.filter((c) => c === 200).length).toBeLessThanOrEqual(30);
    });
  });

  describe('re-weighting a threshold after the exam', () => {
    const db = () => t.app.ctx.db;
    const events = (who: string) =>
      db().selectFrom('attempt_events').selectAll().where('attempt_id', '=', attempt[who]!).where('type', 'in', ['face-absent', 'identity-mismatch']).orderBy('received_at').execute();
    const priority = async (who: string) => (await db().selectFrom('attempts').select('review_priority').where('id', '=', attempt[who]!).executeTakeFirstOrThrow()).review_priority;
    const auditHead = async () =>
      (
        await db()
          .selectFrom('audit_log')
          .select((eb) => eb.fn.max('seq').as('seq'))
          .executeTakeFirstOrThrow()
      ).seq;
    const rules = (threshold: number) => ({ ...DEFAULT_MONITOR_RULES, 'identity-mismatch': { ...DEFAULT_MONITOR_RULES['identity-mismatch'], threshold } });
    const sid = () => demo.sessionId;

    it('an identity-mismatch stretch raises its event during the exam; the exam ends', async () => {
      t.clock.advance(60_000);
      const from = t.clock.now() - 12_000;
      const res = await post('c1', { samples: run(from, 'PPSSSSSSPPPP') });
      expect(res.statusCode, res.body).toBe(200);
      expect((await events('c1')).map((e) => e.type)).toEqual(['face-absent', 'identity-mismatch']);
      expect(await priority('c1')).toBeGreaterThan(50); // a high and a medium event
      expect((await t.req('POST', '/api/attempt/end', cookies.c1)).statusCode).toBe(200);
      expect((await post('c1', { samples: run(t.clock.now(), 'P') })).json().error.code).toBe('ATTEMPT_ENDED');
    });

    it('the admin reads the rules (the defaults) and previews a lower threshold: counts per condition, nothing changed', async () => {
      const got = await t.req('GET', `/api/sessions/${sid()}/monitor-rules`, cookies.admin);
      expect(got.json()).toEqual({ rules: DEFAULT_MONITOR_RULES, custom: false, updatedAt: null });
      const head = await auditHead();
      const res = await t.req('POST', `/api/sessions/${sid()}/monitor-rules/preview`, cookies.admin, { rules: rules(0.4) });
      expect(res.statusCode, res.body).toBe(200);
      const p = res.json();
      expect(p).toMatchObject({ attempts: 2, current: { 'identity-mismatch': 1, 'face-absent': 2 }, proposed: { 'identity-mismatch': 0, 'face-absent': 2 }, currentTotal: 3, proposedTotal: 2 });
      expect(p.samples).toBeGreaterThan(20);
      expect(await auditHead()).toBe(head);
      expect((await events('c1')).every((e) => e.superseded_at === null)).toBe(true);
    });

    it('a proctor may not preview or apply, and a bad rule set is refused with a stable code', async () => {
      expect((await t.req('PUT', `/api/sessions/${sid()}/monitor-rules`, cookies.proctor, { rules: rules(0.4) })).statusCode).toBe(403);
      const bad = await t.req('PUT', `/api/sessions/${sid()}/monitor-rules`, cookies.admin, { rules: { ...rules(0.4), 'face-absent': { on: 'yes' } } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    });

    it('applying it supersedes the old events (kept), raises the new ones, lowers the review priority, and is audited', async () => {
      const before = await events('c1');
      const priorityBefore = await priority('c1');
      const res = await t.req('PUT', `/api/sessions/${sid()}/monitor-rules`, cookies.admin, { rules: rules(0.4) });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ proposedTotal: 2, superseded: 3, raised: 2 });

      const after = await events('c1');
      // The old rows are all still there, marked; the new face-absent has the same stretch and the same evidence frame.
      expect(after.filter((e) => before.some((b) => b.id === e.id)).every((e) => e.superseded_at !== null)).toBe(true);
      const current = after.filter((e) => e.superseded_at === null);
      expect(current.map((e) => e.type)).toEqual(['face-absent']);
      const oldAbsent = before.find((e) => e.type === 'face-absent')!;
      expect(JSON.parse(current[0]!.data)).toMatchObject({ start: JSON.parse(oldAbsent.data).start, end: JSON.parse(oldAbsent.data).end, threshold: 0 });
      const ev = await t.req('GET', `/api/flags/${current[0]!.id}/evidence`, cookies.proctor);
      expect(ev.statusCode).toBe(200);
      expect(Buffer.compare(ev.rawPayload, JPEG)).toBe(0);

      const priorityAfter = await priority('c1');
      expect(priorityAfter).toBeLessThan(priorityBefore);
      expect(priorityAfter).toBeGreaterThan(0);
      // The feed and the grid show the current events only; the grid carries the new priority.
      const flags = (await t.req('GET', `/api/sessions/${sid()}/flags`, cookies.proctor)).json() as Array<{ attemptId: string; type: string }>;
      expect(flags.filter((f) => f.attemptId === attempt.c1).map((f) => f.type)).toEqual(['face-absent']);
      const grid = (await t.req('GET', `/api/sessions/${sid()}/monitor`, cookies.proctor)).json() as { tiles: Array<{ attemptId: string; priority: number }> };
      expect(grid.tiles.find((x) => x.attemptId === attempt.c1)!.priority).toBe(priorityAfter);

      const audit = await db().selectFrom('audit_log').select(['actor', 'action', 'target', 'data']).where('action', 'in', ['monitor.rules', 'monitor.reweight-events']).execute();
      const adminId = (await db().selectFrom('users').select('id').where('username', '=', demo.admin.username).executeTakeFirstOrThrow()).id;
      expect(audit.find((a) => a.action === 'monitor.rules')).toMatchObject({ actor: `user:${adminId}`, target: `session:${sid()}` });
      const rw = audit.find((a) => a.action === 'monitor.reweight-events' && a.target === `attempt:${attempt.c1}`)!;
      expect(JSON.parse(rw.data).superseded.sort()).toEqual(before.map((b) => b.id).sort());
      expect((await t.req('GET', `/api/sessions/${sid()}/monitor-rules`, cookies.admin)).json()).toMatchObject({ custom: true, rules: { 'identity-mismatch': { threshold: 0.4 } } });
    });

    it('putting the threshold back raises the mismatch again, from the same stored scores', async () => {
      const res = await t.req('PUT', `/api/sessions/${sid()}/monitor-rules`, cookies.admin, { rules: DEFAULT_MONITOR_RULES });
      expect(res.json()).toMatchObject({ proposed: { 'identity-mismatch': 1 }, superseded: 2, raised: 3 });
      const current = (await events('c1')).filter((e) => e.superseded_at === null);
      expect(current.map((e) => e.type).sort()).toEqual(['face-absent', 'identity-mismatch']);
      expect(JSON.parse(current.find((e) => e.type === 'identity-mismatch')!.data).scores.map((s: { v: number }) => s.v)).toContain(ID_MISMATCH_MATCH);
      expect(await priority('c1')).toBeGreaterThan(50);
    });

    it('a proctor dismissing the flag lowers the review priority; confirming raises it', async () => {
      const mismatch = (await events('c1')).find((e) => e.type === 'identity-mismatch' && e.superseded_at === null)!;
      const before = await priority('c1');
      expect((await t.req('POST', `/api/flags/${mismatch.id}/review`, cookies.proctor, { decision: 'dismissed', note: '光线原因' })).statusCode).toBe(200);
      const dismissed = await priority('c1');
      expect(dismissed).toBeLessThan(before);
      expect((await t.req('POST', `/api/flags/${mismatch.id}/review`, cookies.proctor, { decision: 'confirmed', note: '' })).statusCode).toBe(200);
      expect(await priority('c1')).toBeGreaterThan(before);
    });
  });
});
