// 自助试测 through the API with a controlled clock: a window, repeated practice attempts each with its own timeline,
// no flags, playback of one's own recordings only, the readiness list and its export; and extra time.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cookieOf, makeApp, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/db.ts';
import { seedDemo } from '../src/services/demo.ts';
import { createSession } from '../src/services/sessions.ts';
import { tick } from '../src/services/timekeeper.ts';
import { MemoryBus } from '../src/realtime/bus.ts';
import { chunk, finalizeAssembled, liveWebm, openRec, putSegment, segmentsOf } from './support/recording-fixtures.ts';

let t: TestApp;
let demo: Awaited<ReturnType<typeof seedDemo>>;
const ENTER = { singleMonitor: true, displaySurface: 'monitor' };
const DEVICE = {
  camera: 'ok',
  microphone: 'ok',
  speaker: 'ok',
  browser: { ok: true, userAgent: 'test' },
  singleMonitor: true,
  storageFreeMb: 9000,
  uploadKbps: 4000,
};
const LEAD = 30;
const DURATION = 180;

async function login(i = 0) {
  const c = demo.candidates[i]!;
  const res = await t.candidateLogin(c.idNumber, c.ticket, `client-${i}-aaaaaa`);
  expect(res.statusCode, res.body).toBe(200);
  return cookieOf(res);
}
async function throughEntry(cookie: string) {
  expect((await t.req('POST', '/api/attempt/device-check', cookie, DEVICE)).statusCode).toBe(200);
  const state = (await t.req('GET', '/api/attempt', cookie)).json();
  for (const d of state.documents) await t.req('POST', `/api/attempt/documents/${d.id}/read`, cookie);
  const entered = await t.req('POST', '/api/attempt/enter', cookie, ENTER);
  expect(entered.statusCode, entered.body).toBe(200);
  expect((await t.req('POST', '/api/attempt/ready', cookie)).json().status).toBe('waiting');
  return entered.json();
}

// The window, the repeated attempts and the migration that allows them run on both databases.
describe.each(dialects)('%s', (DB) => {
  beforeEach(async () => {
    t = await makeApp(DB);
    demo = await seedDemo(t.app.ctx, {
      startsInSec: 0,
      durationSec: DURATION,
      candidates: 2,
      kind: 'mock-self',
      face: false,
      proof: true,
      baseUrl: 'http://test',
      windowSec: 2 * 86400,
      leadSec: LEAD,
    });
  });
  afterEach(() => t.cleanup());
  describe('自助试测 window', () => {
    it('runs practice attempts whenever the candidate starts them, each with its own start and end, and again after finishing', async () => {
      const bus = new MemoryBus();
      const cookie = await login();
      t.clock.advance(5 * 3600_000); // any time inside the window
      const enteredAt = t.clock.now();
      const first = await throughEntry(cookie); // the proof camera is not bound: a practice is not refused for it
      expect(first.timeline.startsAt).toBe(enteredAt + LEAD * 1000);
      expect(first.timeline.endsAt).toBe(enteredAt + (LEAD + DURATION) * 1000);
      expect((await t.req('GET', '/api/attempt/question', cookie)).statusCode).toBe(403);
      t.clock.advance(LEAD * 1000);
      await tick(t.app.ctx, bus);
      expect((await t.req('GET', '/api/attempt', cookie)).json().status).toBe('answering');
      expect((await t.req('GET', '/api/attempt/question', cookie)).statusCode).toBe(200);
      // Not finished yet: another practice cannot start.
      expect((await t.req('POST', '/api/attempt/practice/again', cookie)).json().error.code).toBe('PRACTICE_IN_PROGRESS');
      t.clock.advance(DURATION * 1000 - 1);
      await tick(t.app.ctx, bus);
      expect((await t.req('GET', '/api/attempt', cookie)).json().status).toBe('answering');
      t.clock.advance(1);
      await tick(t.app.ctx, bus);
      const ended = (await t.req('GET', '/api/attempt', cookie)).json();
      expect([ended.status, ended.endReason]).toEqual(['ended', 'time-up']);

      // 【再次试测】 a day later: a new attempt on the same login, its own timeline.
      t.clock.advance(86400_000 - 7200_000);
      const again = await t.req('POST', '/api/attempt/practice/again', cookie);
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json().attemptId).not.toBe(first.attemptId);
      expect(again.json().status).toBe('logged-in');
      const second = await throughEntry(cookie);
      expect(second.timeline.startsAt).toBe(t.clock.now() + LEAD * 1000);
      const list = (await t.req('GET', '/api/attempt/practice', cookie)).json();
      expect(list.attempts.map((a: { number: number; current: boolean }) => [a.number, a.current])).toEqual([
        [1, false],
        [2, true],
      ]);
      expect(list.attempts[0].verdict).toEqual({ success: false, problems: ['camera-stream-missing', 'screen-stream-missing', 'phone-stream-missing'] });
      // Staff see the candidate's current attempt only in the session list.
      const admin = await t.login(demo.admin.username, demo.admin.password);
      const attempts = (await t.req('GET', `/api/sessions/${demo.sessionId}/attempts`, admin)).json();
      expect(attempts.filter((a: { ticket: string }) => a.ticket === demo.candidates[0]!.ticket).map((a: { attemptId: string }) => a.attemptId)).toEqual([second.attemptId]);
      // Logging in again (another day, same browser) resumes the current practice attempt.
      const relog = await login();
      expect((await t.req('GET', '/api/attempt', relog)).json().attemptId).toBe(second.attemptId);
    });

    it('before the window opens, login gets the uniform refusal and the public schedule says when the window opens', async () => {
      t.clock.advance(-3600_000);
      const c = demo.candidates[0]!;
      const refused = await t.candidateLogin(c.idNumber, c.ticket);
      expect([refused.statusCode, refused.json().error.code]).toEqual([401, 'LOGIN_REFUSED']);
      const schedule = (await t.req('GET', '/api/public/schedule')).json();
      expect(schedule.sessions).toEqual([{ examName: expect.any(String), loginOpensAt: demo.startsAt, startsAt: demo.startsAt }]);
      t.clock.advance(3600_000);
      expect((await t.candidateLogin(c.idNumber, c.ticket)).statusCode).toBe(200);
      // The window stays listed while it is open; once it has closed (and its last practice could end) it is gone.
      expect((await t.req('GET', '/api/public/schedule')).json().sessions).toHaveLength(1);
      t.clock.advance((2 * 86400 + LEAD + DURATION) * 1000);
      expect((await t.req('GET', '/api/public/schedule')).json().sessions).toEqual([]);
    });

    it('refuses login and new practices once the window has closed', async () => {
      const cookie = await login();
      await throughEntry(cookie);
      t.clock.advance((LEAD + DURATION) * 1000);
      await tick(t.app.ctx, new MemoryBus());
      t.clock.advance(2 * 86400_000);
      expect((await t.req('POST', '/api/attempt/practice/again', cookie)).json().error.code).toBe('PRACTICE_WINDOW_CLOSED');
      const c = demo.candidates[1]!;
      expect((await t.candidateLogin(c.idNumber, c.ticket)).json().error.code).toBe('LOGIN_REFUSED');
    });

    it('raises no flag for anything in a practice attempt', async () => {
      const cookie = await login();
      const state = await throughEntry(cookie);
      const sent = await t.req('POST', '/api/attempt/events', cookie, {
        signals: [
          { type: 'page-hidden', at: t.clock.now(), data: {} },
          { type: 'window-blur', at: t.clock.now(), data: {} },
        ],
      });
      expect(sent.statusCode).toBe(200);
      // A second browser is still refused (one login), but that is not a violation in a practice either.
      const c = demo.candidates[0]!;
      expect((await t.candidateLogin(c.idNumber, c.ticket, 'client-other-bbbb')).statusCode).toBe(409);
      const admin = await t.login(demo.admin.username, demo.admin.password);
      expect((await t.req('GET', `/api/attempts/${state.attemptId}/events`, admin)).json()).toEqual([]);
      expect((await t.req('GET', `/api/sessions/${demo.sessionId}/flags?all=1`, admin)).json()).toEqual([]);
    });
  });

  describe('playback of one’s own practice recordings', () => {
    it('serves the candidate’s own assembled recording with Range, and nobody else’s', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'invigil-practice-'));
      try {
        const a = await login(0);
        const b = await login(1);
        const state = await throughEntry(a);
        const rec = await openRec(t.app, a, state.attemptId, 'camera');
        const segs = segmentsOf([{ chunks: chunk(await liveWebm(dir, 'c.webm', 3), 3), seconds: 3 }], t.clock.now());
        for (const s of segs) expect((await putSegment(t.app, a, rec.id, s)).statusCode).toBe(200);
        expect((await finalizeAssembled(t.app, a, rec.id, segs.length - 1)).statusCode).toBe(200);

        const list = (await t.req('GET', '/api/attempt/practice', a)).json();
        const camera = list.attempts[0].streams.find((s: { stream: string }) => s.stream === 'camera');
        expect(camera).toMatchObject({ state: 'complete', playable: true, recordingId: rec.id });
        const url = `/api/attempt/practice/recordings/${rec.id}/file`;
        const whole = await t.req('GET', url, a);
        expect(whole.statusCode).toBe(200);
        const part = await t.req('GET', url, a, undefined, { range: 'bytes=0-99' });
        expect(part.statusCode).toBe(206);
        expect(part.headers['content-range']).toBe(`bytes 0-99/${whole.rawPayload.length}`);
        expect(part.rawPayload.equals(whole.rawPayload.subarray(0, 100))).toBe(true);
        // Another candidate, and staff through this candidate route, get nothing.
        expect((await t.req('GET', url, b)).statusCode).toBe(404);
        const admin = await t.login(demo.admin.username, demo.admin.password);
        expect((await t.req('GET', url, admin)).statusCode).toBe(403);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }, 60_000);
  });

  describe('试测情况 (readiness)', () => {
    it('lists attempts started and succeeded per candidate, filters, and exports the same rows as .xlsx and CSV', async () => {
      const cookie = await login(0);
      await throughEntry(cookie);
      t.clock.advance((LEAD + DURATION) * 1000);
      await tick(t.app.ctx, new MemoryBus());
      const support = await t.login(demo.support.username, demo.support.password);
      const r = (await t.req('GET', `/api/sessions/${demo.sessionId}/readiness`, support)).json();
      const row = r.rows.find((x: { ticket: string }) => x.ticket === demo.candidates[0]!.ticket);
      expect(row).toMatchObject({
        selfTestsStarted: 1,
        selfTestsSucceeded: 0,
        proofCameraUsed: false,
        lastProblems: ['camera-stream-missing', 'screen-stream-missing', 'phone-stream-missing'],
      });
      expect(row.lastDeviceCheck.uploadKbps).toBe(4000);
      const failed = (await t.req('GET', `/api/sessions/${demo.sessionId}/readiness?filter=failed`, support)).json();
      expect(failed.rows.map((x: { ticket: string }) => x.ticket)).toEqual([demo.candidates[0]!.ticket]);
      const notDone = (await t.req('GET', `/api/sessions/${demo.sessionId}/readiness?filter=not-done`, support)).json();
      expect(notDone.rows).toHaveLength(2);

      const xlsx = await t.req('GET', `/api/sessions/${demo.sessionId}/readiness.xlsx`, support);
      expect(xlsx.statusCode).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      const sheet = wb.worksheets[0]!;
      expect(sheet.getRow(1).getCell(1).value).toBe('准考证号');
      const line = [2, 3].map((i) => sheet.getRow(i)).find((x) => x.getCell(1).value === demo.candidates[0]!.ticket)!;
      expect([line.getCell(4).value, line.getCell(5).value]).toEqual(['1', '0']);
      expect(String(line.getCell(6).value)).toContain('佐证视频缺失');
      const csv = await t.req('GET', `/api/sessions/${demo.sessionId}/readiness.csv`, support);
      expect(csv.body.startsWith('\ufeff准考证号,姓名')).toBe(true);
      expect(csv.body).toContain(`${demo.candidates[0]!.ticket},`);
      // Proctors and examiners do not see readiness.
      const proctor = await t.login(demo.proctor.username, demo.proctor.password);
      expect((await t.req('GET', `/api/sessions/${demo.sessionId}/readiness`, proctor)).statusCode).toBe(403);
    });
  });

  describe('集中试测 (central rehearsal)', () => {
    it('runs on its own real timeline and its attendance and steps reach the readiness list and export', async () => {
      // The same exam: a rehearsal three days on, the same person registered in it by ID number.
      const examId = (await t.app.ctx.db.selectFrom('sessions').select('exam_id').where('id', '=', demo.sessionId).executeTakeFirstOrThrow()).exam_id;
      const startsAt = t.clock.now() + 3 * 86400_000;
      const central = await createSession(t.app.ctx, 'test', examId, { name: '集中试测', kind: 'mock-central', startsAt, durationSec: 60 });
      const c = demo.candidates[0]!;
      await t.app.ctx.db
        .insertInto('candidates')
        .values({
          id: 'central-c1',
          session_id: central.id,
          room_id: null,
          panel_id: null,
          name: c.name,
          id_number: c.idNumber,
          ticket: c.ticket,
          anonymous_number: 'R1',
          photo_key: null,
          created_at: t.clock.now(),
        })
        .execute();
      t.clock.t = startsAt - 10 * 60_000; // login opens 60 min before, entry 15 min before (the real rules)
      const cookie = await login(0);
      const state = await throughEntry(cookie);
      expect(state.session.kind).toBe('mock-central');
      expect(state.timeline.startsAt).toBe(startsAt);
      t.clock.t = startsAt;
      await tick(t.app.ctx, new MemoryBus());
      t.clock.t = startsAt + 60_000;
      await tick(t.app.ctx, new MemoryBus());
      expect((await t.req('GET', '/api/attempt', cookie)).json().status).toBe('ended');

      const support = await t.login(demo.support.username, demo.support.password);
      const r = (await t.req('GET', `/api/sessions/${demo.sessionId}/readiness`, support)).json();
      expect(r.hasCentral).toBe(true);
      const row = r.rows.find((x: { ticket: string }) => x.ticket === c.ticket);
      expect(row).toMatchObject({ centralAttended: true, centralSteps: ['logged-in', 'entered', 'answering', 'ended'], selfTestsStarted: 0 });
      expect(r.rows.find((x: { ticket: string }) => x.ticket === demo.candidates[1]!.ticket).centralAttended).toBe(false);
      const csv = (await t.req('GET', `/api/sessions/${demo.sessionId}/readiness.csv`, support)).body;
      expect(csv.split('\r\n').find((l) => l.startsWith(c.ticket))).toMatch(/,是,登录→进入考试→答题→结束$/);
    });
  });

  describe('extra time (accommodation)', () => {
    it('ends an extra-time candidate later than the others by exactly the extra time, and is audited', async () => {
      const t2 = await makeApp('sqlite');
      try {
        const real = await seedDemo(t2.app.ctx, {
          startsInSec: 600,
          durationSec: 300,
          candidates: 2,
          kind: 'real',
          face: false,
          proof: false,
          baseUrl: 'http://test',
        });
        const admin = await t2.login(real.admin.username, real.admin.password);
        const list = (await t2.req('GET', `/api/sessions/${real.sessionId}/candidates`, admin)).json();
        const items = (list.items ?? list) as Array<{ id: string; ticket: string }>;
        const extraOne = items.find((c) => c.ticket === real.candidates[1]!.ticket)!;
        const set = await t2.req('PUT', `/api/sessions/${real.sessionId}/candidates/${extraOne.id}/extra-time`, admin, { extraTimeSec: 90 });
        expect(set.statusCode, set.body).toBe(200);
        const cookies: string[] = [];
        for (const [i, c] of real.candidates.entries()) {
          const res = await t2.candidateLogin(c.idNumber, c.ticket, `client-${i}-xxxxxx`);
          const cookie = cookieOf(res);
          cookies.push(cookie);
          const st = (await t2.req('GET', '/api/attempt', cookie)).json();
          for (const d of st.documents) await t2.req('POST', `/api/attempt/documents/${d.id}/read`, cookie);
        }
        t2.clock.advance(600_000 - 60_000);
        for (const cookie of cookies) {
          expect((await t2.req('POST', '/api/attempt/enter', cookie, ENTER)).statusCode).toBe(200);
          await t2.req('POST', '/api/attempt/ready', cookie);
        }
        const states = await Promise.all(cookies.map(async (c) => (await t2.req('GET', '/api/attempt', c)).json()));
        expect(states[1].timeline.endsAt - states[0].timeline.endsAt).toBe(90_000); // the countdown follows it
        // Too late to change once the session started.
        t2.clock.advance(60_000);
        expect((await t2.req('PUT', `/api/sessions/${real.sessionId}/candidates/${extraOne.id}/extra-time`, admin, { extraTimeSec: 0 })).json().error.code).toBe('EXTRA_TIME_TOO_LATE');
        const bus = new MemoryBus();
        const endedAt: Record<number, number> = {};
        // Tick second by second past both ends: record when each was auto-ended.
        for (let s = 0; s <= 300 + 90 + 1; s++) {
          await tick(t2.app.ctx, bus);
          for (const [i, c] of cookies.entries()) if (endedAt[i] === undefined && (await t2.req('GET', '/api/attempt', c)).json().status === 'ended') endedAt[i] = t2.clock.now();
          t2.clock.advance(1000);
        }
        expect(endedAt[0]).toBe(states[0].timeline.endsAt);
        expect(endedAt[1]! - endedAt[0]!).toBe(90_000);
        const audit = await t2.app.ctx.db.selectFrom('audit_log').select(['action', 'data']).where('action', '=', 'candidate.extra-time').execute();
        expect(audit.map((a) => JSON.parse(a.data))).toEqual([{ from: 0, to: 90 }]);
      } finally {
        await t2.cleanup();
      }
    }, 120_000);
  });
});
