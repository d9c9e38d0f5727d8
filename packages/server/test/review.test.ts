// Examiner review and scoring through the real app: panels by anonymous number, drafts, submit locks, validation
// messages, admin unlock (audited), 违纪 decisions, aggregation rules on known numbers, publication, exports and
// the ranged video stream.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathOf, routes } from '@invigil/contracts';
import { dialects } from './helpers/db.ts';
import { reviewWorld, type ReviewWorld } from './support/review-world.ts';

describe.each(dialects)('examiner review and scoring (%s)', (kind) => {
  let w: ReviewWorld;
  beforeAll(async () => {
    w = await reviewWorld(kind, { record: true });
  }, 60_000);
  afterAll(() => w?.close());

  const base = (anon: string) => `/api/review/panels/${w.panelId}/candidates/${anon}`;
  const marks = (a: number, b: number) => ({ [w.criteria[0]!.id]: a, [w.criteria[1]!.id]: b });

  it('shows an examiner their panel with progress, by anonymous number only', async () => {
    const panels = (await w.t.req('GET', '/api/review/panels', w.examiners[1]!.cookie)).json();
    expect(panels).toEqual([expect.objectContaining({ panelId: w.panelId, candidates: 3, submitted: 0, drafts: 0, published: false })]);
    const detail = (await w.t.req('GET', `/api/review/panels/${w.panelId}`, w.examiners[1]!.cookie)).json();
    expect(detail.items.map((i: { anonymousNumber: string }) => i.anonymousNumber).sort()).toEqual(w.candidates.map((c) => c.anon).sort());
    expect(detail.items.find((i: { anonymousNumber: string }) => i.anonymousNumber === w.candidates[0]!.anon)).toMatchObject({ state: 'todo', ready: true });
  });

  it('answers 404 to an examiner outside the panel, and for numbers not in it', async () => {
    expect((await w.t.req('GET', '/api/review/panels', w.outsider)).json()).toEqual([]);
    expect((await w.t.req('GET', `/api/review/panels/${w.panelId}`, w.outsider)).statusCode).toBe(404);
    expect((await w.t.req('GET', base(w.candidates[0]!.anon), w.outsider)).statusCode).toBe(404);
    expect((await w.t.req('GET', base('ZZZZZZ'), w.examiners[0]!.cookie)).statusCode).toBe(404);
    expect((await w.t.req('GET', `${base(w.candidates[0]!.anon)}/streams/camera`, w.outsider)).statusCode).toBe(404);
  });

  it('aligns the runs of a recording by wall-clock start and reports the gap', async () => {
    const a = (await w.t.req('GET', base(w.candidates[0]!.anon), w.examiners[0]!.cookie)).json();
    const cam = a.streams.find((s: { stream: string }) => s.stream === 'camera');
    expect(cam.available).toBe(true);
    expect(cam.runs).toHaveLength(2);
    expect(cam.runs[0].offsetSec).toBe(0);
    expect(cam.runs[1].offsetSec).toBeCloseTo(cam.runs[0].seconds, 3);
    // Run 1 started 3 s + 4 s gap after run 0.
    expect(cam.runs[1].startAt - cam.runs[0].startAt).toBe(7000);
    expect(cam.report.gaps).toHaveLength(1);
    expect(a.events.some((e: { kind: string }) => e.kind === 'recording-gap')).toBe(true);
    expect(a.questions[0].body).toContain('紧急情况');
    expect(a.streams.find((s: { stream: string }) => s.stream === 'screen')).toMatchObject({ available: false, url: null });
  });

  it('gives each stream the URL the review page derives from its own route (its players load before this answer)', async () => {
    const anon = w.candidates[0]!.anon;
    const a = (await w.t.req('GET', base(anon), w.examiners[0]!.cookie)).json();
    const cam = a.streams.find((s: { stream: string }) => s.stream === 'camera');
    // Another URL would make the page's <video> start over when the data arrives.
    expect(cam.url).toBe(pathOf(routes.reviewStream, { panelId: w.panelId, anon, stream: 'camera' }));
    const res = await w.t.req('GET', cam.url, w.examiners[0]!.cookie, undefined, { range: 'bytes=0-', 'accept-encoding': 'gzip, br' });
    expect(res.statusCode).toBe(206);
    expect(res.headers).toMatchObject({ 'accept-ranges': 'bytes', 'content-type': 'video/webm' });
    expect(res.headers['content-encoding'], 'video is never compressed (it would break ranges)').toBeUndefined();
  });

  it('streams the assembled file with HTTP Range', async () => {
    const url = `${base(w.candidates[0]!.anon)}/streams/camera`;
    const whole = await w.t.req('GET', url, w.examiners[0]!.cookie);
    expect(whole.statusCode).toBe(200);
    expect(whole.headers['accept-ranges']).toBe('bytes');
    const size = whole.rawPayload.length;
    const part = await w.t.req('GET', url, w.examiners[0]!.cookie, undefined, { range: 'bytes=100-199' });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${size}`);
    expect(part.rawPayload.equals(whole.rawPayload.subarray(100, 200))).toBe(true);
    expect((await w.t.req('GET', url, w.examiners[0]!.cookie, undefined, { range: `bytes=${size + 5}-` })).statusCode).toBe(416);
    const notYet = await w.t.req('GET', `${base(w.candidates[1]!.anon)}/streams/camera`, w.examiners[0]!.cookie);
    expect(notYet.statusCode).toBe(404);
  });

  it('refuses marks over the maximum, off the step, unknown criteria and incomplete submits, in zh-CN and en', async () => {
    const e = w.examiners[0]!.cookie;
    const anon = w.candidates[0]!.anon;
    const over = await w.t.req('PUT', `${base(anon)}/score`, e, { marks: marks(20.5, 5) });
    expect(over.statusCode).toBe(400);
    expect(over.json().error).toMatchObject({ code: 'SCORE_OVER_MAX', message: '“综合分析”的分数不能超过 20 分，也不能为负数。' });
    const step = await w.t.req('PUT', `${base(anon)}/score`, e, { marks: marks(12.3, 5) }, { 'accept-language': 'en' });
    expect(step.json().error).toMatchObject({ code: 'SCORE_OFF_STEP', message: '"综合分析" must be a multiple of 0.5.' });
    expect((await w.t.req('PUT', `${base(anon)}/score`, e, { marks: { nope: 1 } })).json().error.code).toBe('SCORE_UNKNOWN_CRITERION');
    const missing = await w.t.req('POST', `${base(anon)}/score/submit`, e, { marks: { [w.criteria[0]!.id]: 10 } });
    expect(missing.json().error).toMatchObject({ code: 'SCORE_MISSING_CRITERION', details: { criterionId: w.criteria[1]!.id } });
    expect((await w.t.req('PUT', `${base(anon)}/score`, e, { marks: 'x' })).statusCode).toBe(400);
  });

  it('keeps a draft, locks on submit, and lets an admin unlock with a reason (audited)', async () => {
    const e = w.examiners[0]!.cookie;
    const anon = w.candidates[0]!.anon;
    const draft = await w.t.req('PUT', `${base(anon)}/score`, e, { marks: { [w.criteria[0]!.id]: 15.5 }, comment: '条理清楚' });
    expect(draft.json()).toMatchObject({ state: 'draft', total: 15.5, comment: '条理清楚' });
    expect((await w.t.req('GET', base(anon), e)).json().myScore).toMatchObject({ state: 'draft', marks: { [w.criteria[0]!.id]: 15.5 } });
    const sub = await w.t.req('POST', `${base(anon)}/score/submit`, e, { marks: marks(15.5, 8), comment: '条理清楚' });
    expect(sub.json()).toMatchObject({ state: 'submitted', total: 23.5 });
    const again = await w.t.req('PUT', `${base(anon)}/score`, e, { marks: marks(1, 1) });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('SCORE_LOCKED');
    expect((await w.t.req('GET', `/api/review/panels/${w.panelId}`, e)).json().panel).toMatchObject({ submitted: 1 });

    // Another examiner's view knows nothing of it.
    expect((await w.t.req('GET', base(anon), w.examiners[1]!.cookie)).json().myScore.state).toBe('todo');

    const results = (await w.t.req('GET', `/api/sessions/${w.sessionId}/results`, w.admin)).json();
    const scoreId = results.rows.find((r: { anonymousNumber: string }) => r.anonymousNumber === anon).examiners.find((x: { state: string }) => x.state === 'submitted').scoreId;
    expect((await w.t.req('POST', `/api/scores/${scoreId}/unlock`, w.admin, { reason: '' })).statusCode).toBe(400);
    const unlock = await w.t.req('POST', `/api/scores/${scoreId}/unlock`, w.admin, { reason: '考官误录语言表达分' });
    expect(unlock.statusCode, unlock.body).toBe(200);
    expect((await w.t.req('POST', `/api/scores/${scoreId}/unlock`, w.admin, { reason: '再次解锁' })).json().error.code).toBe('SCORE_NOT_SUBMITTED');
    const audit = await w.t.app.ctx.db.selectFrom('audit_log').select(['action', 'data']).where('action', '=', 'score.unlock').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.data)).toMatchObject({ scoreId, reason: '考官误录语言表达分' });
    expect((await w.t.req('GET', base(anon), e)).json().myScore).toMatchObject({ state: 'draft', total: 23.5 });
    expect((await w.t.req('POST', `${base(anon)}/score/submit`, e, { marks: marks(15.5, 9) })).json()).toMatchObject({ state: 'submitted', total: 24.5 });
  });

  it('aggregates by each rule on known numbers, flags the outlier, ranks, and is final only when all submitted', async () => {
    const [a, b] = w.candidates;
    // Candidate A: 24.5 (above), 26, 16 → mean 22.17, trimmed 24.5, median 24.5; 16 is > 6 from the others’ mean 25.25 (26 is 5.75 from 20.25).
    await w.t.req('POST', `${base(a!.anon)}/score/submit`, w.examiners[1]!.cookie, { marks: marks(18, 8) });
    let row = (await w.t.req('GET', `/api/sessions/${w.sessionId}/results`, w.admin)).json().rows.find((r: { anonymousNumber: string }) => r.anonymousNumber === a!.anon);
    expect(row).toMatchObject({ aggregate: 25.25, final: false, spread: 1.5 });
    await w.t.req('POST', `${base(a!.anon)}/score/submit`, w.examiners[2]!.cookie, { marks: marks(10, 6) });
    // Candidate B: 20, 21, 22 — everybody agrees.
    for (const [i, m] of [
      [0, marks(14, 6)],
      [1, marks(15, 6)],
      [2, marks(16, 6)],
    ] as const)
      expect((await w.t.req('POST', `${base(b!.anon)}/score/submit`, w.examiners[i]!.cookie, { marks: m })).statusCode).toBe(200);

    const expectations = { mean: [22.17, 21], trimmed: [24.5, 21], median: [24.5, 21] } as const;
    for (const [rule, [wantA, wantB]] of Object.entries(expectations)) {
      const put = await w.t.req('PUT', `/api/sessions/${w.sessionId}/rubric`, w.admin, {
        criteria: w.criteria.map((c, i) => ({ id: c.id, name: c.name, maxPoints: [20, 10][i], step: [0.5, 1][i] })),
        aggregation: rule,
        deviationThreshold: 6,
      });
      expect(put.statusCode, put.body).toBe(200);
      const rows = (await w.t.req('GET', `/api/sessions/${w.sessionId}/results`, w.admin)).json().rows;
      row = rows.find((r: { anonymousNumber: string }) => r.anonymousNumber === a!.anon);
      const rowB = rows.find((r: { anonymousNumber: string }) => r.anonymousNumber === b!.anon);
      expect([rule, row.aggregate, rowB.aggregate]).toEqual([rule, wantA, wantB]);
      expect(row).toMatchObject({ final: true, spread: 10, rank: 1, candidateName: a!.name, idNumber: a!.idNumber });
      expect(row.examiners.filter((x: { outlier: boolean }) => x.outlier).map((x: { examinerId: string }) => x.examinerId)).toEqual([w.examiners[2]!.id]);
      expect(rowB.rank).toBe(2);
    }
    // Criteria cannot change under submitted scores.
    const changed = await w.t.req('PUT', `/api/sessions/${w.sessionId}/rubric`, w.admin, { criteria: [{ name: '新要素', maxPoints: 10, step: 1 }], aggregation: 'mean', deviationThreshold: 5 });
    expect(changed.json().error.code).toBe('RUBRIC_IN_USE');
  });

  it('records a 违纪 decision (audited) and a cancelled result leaves the ranking', async () => {
    const a = w.candidates[0]!;
    expect((await w.t.req('PUT', `/api/attempts/${a.attemptId}/conduct`, w.admin, { decision: 'cancel', rule: null, reason: '' })).statusCode).toBe(400);
    const res = await w.t.req('PUT', `/api/attempts/${a.attemptId}/conduct`, w.admin, { decision: 'cancel', rule: '第一条', reason: '房间内有其他人员' });
    expect(res.statusCode, res.body).toBe(200);
    const rows = (await w.t.req('GET', `/api/sessions/${w.sessionId}/results`, w.admin)).json().rows;
    expect(rows.find((r: { anonymousNumber: string }) => r.anonymousNumber === a.anon)).toMatchObject({ rank: null, conduct: { decision: 'cancel', rule: '第一条', reason: '房间内有其他人员' } });
    expect(rows.find((r: { anonymousNumber: string }) => r.anonymousNumber === w.candidates[1]!.anon).rank).toBe(1);
    const audit = await w.t.app.ctx.db.selectFrom('audit_log').select('data').where('action', '=', 'conduct.decide').execute();
    expect(audit.map((x) => JSON.parse(x.data).rule)).toEqual(['第一条']);
  });

  it('exports the results as .xlsx (three sheets) and CSV with the right totals', async () => {
    const x = await w.t.req('GET', `/api/sessions/${w.sessionId}/results/export`, w.admin);
    expect(x.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['成绩 Results', '评分明细 Scores', '违纪 Flags']);
    const results = wb.worksheets[0]!;
    const byAnon = new Map<string, unknown[]>();
    results.eachRow((r, i) => i > 1 && byAnon.set(String(r.getCell(1).value), r.values as unknown[]));
    // Aggregation is 'median' after the previous test's loop: A 24.5, B 21.
    expect(byAnon.get(w.candidates[0]!.anon)![7]).toBe(24.5);
    expect(byAnon.get(w.candidates[1]!.anon)![7]).toBe(21);
    expect(byAnon.get(w.candidates[1]!.anon)![9]).toBe(1);
    const scores = wb.worksheets[1]!;
    const totals: number[] = [];
    scores.eachRow((r, i) => i > 1 && String(r.getCell(1).value) === w.candidates[1]!.anon && totals.push(Number(r.getCell(7).value)));
    expect(totals.sort()).toEqual([20, 21, 22]);
    const flags = wb.worksheets[2]!;
    expect(flags.getRow(2).getCell(3).value).toBe('recording-gap');
    const csv = await w.t.req('GET', `/api/sessions/${w.sessionId}/results/export?format=csv`, w.admin);
    expect(csv.body.startsWith('\uFEFF抽签号')).toBe(true);
    expect(csv.body).toContain(`${w.candidates[1]!.anon},${w.candidates[1]!.name}`);
  });

  it('publishing locks scores, unlocks, decisions and the rubric', async () => {
    const c = w.candidates[2]!;
    expect((await w.t.req('PUT', `${base(c.anon)}/score`, w.examiners[0]!.cookie, { marks: marks(10, 5) })).statusCode).toBe(200);
    expect((await w.t.req('POST', `/api/sessions/${w.sessionId}/results/publish`, w.admin)).statusCode).toBe(200);
    expect((await w.t.req('POST', `/api/sessions/${w.sessionId}/results/publish`, w.admin)).json().error.code).toBe('RESULTS_PUBLISHED');
    expect((await w.t.req('PUT', `${base(c.anon)}/score`, w.examiners[0]!.cookie, { marks: marks(11, 5) })).json().error.code).toBe('RESULTS_PUBLISHED');
    expect((await w.t.req('PUT', `/api/attempts/${c.attemptId}/conduct`, w.admin, { decision: 'none' })).json().error.code).toBe('RESULTS_PUBLISHED');
    expect(
      (await w.t.req('PUT', `/api/sessions/${w.sessionId}/rubric`, w.admin, { criteria: [{ name: 'x', maxPoints: 1, step: 1 }], aggregation: 'mean', deviationThreshold: 1 })).json().error.code,
    ).toBe('RESULTS_PUBLISHED');
    const results = (await w.t.req('GET', `/api/sessions/${w.sessionId}/results`, w.admin)).json();
    const scoreId = results.rows[0].examiners.find((x: { scoreId: string | null }) => x.scoreId).scoreId;
    expect((await w.t.req('POST', `/api/scores/${scoreId}/unlock`, w.admin, { reason: '发布后解锁' })).json().error.code).toBe('RESULTS_PUBLISHED');
    expect((await w.t.req('GET', '/api/review/panels', w.examiners[0]!.cookie)).json()[0].published).toBe(true);
  });
});
