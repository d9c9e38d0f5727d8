// A session ready for review: the demo exam, three examiners in its panel, candidates logged in, a rubric, and
// (optionally) one candidate's camera recorded in two runs with a gap — uploaded and assembled the real way.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cookieOf, makeApp, seed, type TestApp } from '../helpers/app.ts';
import type { DialectName } from '../helpers/db.ts';
import { chunk, finalizeAssembled, liveWebm, openRec, putSegment, segmentsOf } from './recording-fixtures.ts';

export interface ReviewWorld {
  t: TestApp;
  demo: Awaited<ReturnType<typeof seed>>;
  sessionId: string;
  panelId: string;
  admin: string;
  examiners: Array<{ id: string; cookie: string; username: string }>;
  outsider: string; // an examiner in no panel
  candidates: Array<{ anon: string; attemptId: string; cookie: string; name: string; idNumber: string; ticket: string }>;
  criteria: Array<{ id: string; name: string }>;
  close(): Promise<void>;
}

export async function reviewWorld(kind: DialectName = 'sqlite', opts: { record?: boolean } = {}): Promise<ReviewWorld> {
  const t = await makeApp(kind);
  const demo = await seed(t, 600, 1500, 3);
  const admin = await t.login(demo.admin.username, demo.admin.password);
  const examiners = [{ cookie: await t.login(demo.examiner.username, demo.examiner.password), username: demo.examiner.username, id: '' }];
  for (const n of [2, 3]) {
    const username = `examiner-${n}-${Math.random().toString(36).slice(2, 6)}`;
    const res = await t.req('POST', '/api/staff', admin, { username, displayName: `考官${n}`, role: 'examiner', password: 'pass-word-123' });
    if (res.statusCode !== 200) throw new Error(res.body);
    examiners.push({ cookie: await t.login(username, 'pass-word-123'), username, id: res.json().id });
  }
  const outsiderName = `examiner-x-${Math.random().toString(36).slice(2, 6)}`;
  await t.req('POST', '/api/staff', admin, { username: outsiderName, displayName: '组外考官', role: 'examiner', password: 'pass-word-123' });
  const outsider = await t.login(outsiderName, 'pass-word-123');
  const panels = (await t.req('GET', `/api/sessions/${demo.sessionId}/panels`, admin)).json();
  const panel = panels[0];
  examiners[0]!.id = panel.examinerIds[0];
  const put = await t.req('PUT', `/api/sessions/${demo.sessionId}/panels/${panel.id}`, admin, { name: panel.name, examinerIds: examiners.map((e) => e.id) });
  if (put.statusCode !== 200) throw new Error(put.body);
  const candidates: ReviewWorld['candidates'] = [];
  for (const c of demo.candidates) {
    const res = await t.candidateLogin(c.idNumber, c.ticket, `client-${c.ticket}`);
    if (res.statusCode !== 200) throw new Error(res.body);
    const cookie = cookieOf(res);
    const me = (await t.req('GET', '/api/auth/me', cookie)).json();
    candidates.push({ anon: c.anonymousNumber, attemptId: me.attemptId, cookie, name: c.name, idNumber: c.idNumber, ticket: c.ticket });
  }
  const rub = await t.req('PUT', `/api/sessions/${demo.sessionId}/rubric`, admin, {
    criteria: [
      { name: '综合分析', maxPoints: 20, step: 0.5 },
      { name: '语言表达', maxPoints: 10, step: 1 },
    ],
    aggregation: 'mean',
    deviationThreshold: 5,
  });
  if (rub.statusCode !== 200) throw new Error(rub.body);
  const media = await fs.mkdtemp(path.join(os.tmpdir(), 'invigil-review-'));
  if (opts.record) {
    // Two runs with 4 s between them: the player must show the gap, not glue over it.
    const c = candidates[0]!;
    const runs = [
      { chunks: chunk(await liveWebm(media, 'r0.webm', 3), 3), seconds: 3 },
      { chunks: chunk(await liveWebm(media, 'r1.webm', 2, 660), 2), seconds: 2 },
    ];
    const segs = segmentsOf(runs, t.clock.now() - 60_000, 4000);
    const rec = await openRec(t.app, c.cookie, c.attemptId, 'camera');
    for (const s of segs) {
      const r = await putSegment(t.app, c.cookie, rec.id, s);
      if (r.statusCode !== 200) throw new Error(r.body);
    }
    const done = await finalizeAssembled(t.app, c.cookie, rec.id, segs.length - 1);
    if (done.json().assembly?.state !== 'assembled') throw new Error(done.body);
    if (done.statusCode !== 200) throw new Error(done.body);
  }
  // Examiners review after the exam: move past its end (600 s to start + 1500 s).
  t.clock.advance(2200_000);
  return {
    t,
    demo,
    sessionId: demo.sessionId,
    panelId: panel.id,
    admin,
    examiners,
    outsider,
    candidates,
    criteria: rub.json().criteria,
    async close() {
      await t.cleanup();
      await fs.rm(media, { recursive: true, force: true });
    },
  };
}
