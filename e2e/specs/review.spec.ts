// Examiner review end to end (issue #16): two candidates recorded by the real recorder (camera + screen; candidate 1
// also the proof phone, by the real phone recorder), three
// examiners in one panel. Seeking puts every video at the same recorded moment; a flag marker jumps there; drafts
// survive a reload; 【提交】 locks; an admin unlocks with a reason; the .xlsx export has the right totals; the
// aggregate follows each rule. Screenshots of the panel list, review page and results in zh-CN and en.
import path from 'node:path';
import ExcelJS from 'exceljs';
import { expect, test, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import type { ReviewAttempt, SessionResults } from '../../packages/contracts/src/review.ts';
import { launch } from '../helpers/browser.ts';
import { TestServer, type Demo } from '../helpers/server.ts';
import { ensureWebBuild } from '../helpers/web-build.ts';
import { staffApi } from '../helpers/recording-checks.ts';
import { allVerified, enableTestHooks, loginAndRecord, openApp, stopRecording, waitForProgress } from '../helpers/recording-harness.ts';
import { SHOTS } from '../helpers/candidate.ts';
import { openPhone, phoneToRecording, type Phone } from '../helpers/phone-fixture.ts';

test.describe.configure({ mode: 'serial' });

let server: TestServer;
let demo: Demo;
let admin: APIRequestContext;
let browser: Browser;
const examiners: Array<{ username: string; password: string; api: APIRequestContext; id: string }> = [];
let panelId = '';
let flagAt = 0;
let phone: Phone | undefined;

test.beforeAll(async () => {
  ensureWebBuild();
  // A short room scan: the proof phone's recorder reaches continuous recording in a few seconds.
  server = await TestServer.start({ PROOF_ROOM_SCAN_SEC: '3', PROOF_HEARTBEAT_SEC: '2' });
  // Started a moment ago (the question is out) and long enough for the whole spec.
  demo = server.seedDemo({ startsIn: 2, duration: 3600, candidates: 2, face: false, proof: false });
  admin = await staffApi(server.baseUrl, demo.admin);
  browser = await launch();
});

test.afterAll(async () => {
  await phone?.close().catch(() => undefined);
  await browser?.close();
  for (const e of examiners) await e.api.dispose();
  await admin?.dispose();
  await server?.stop();
});

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

async function examinerPage(lang: 'zh-CN' | 'en', who = examiners[0]!): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: lang, baseURL: server.baseUrl });
  await ctx.addInitScript((l) => localStorage.setItem('invigil.lang', l), lang);
  const page = await ctx.newPage();
  await page.goto('/review');
  await page.locator('#username, input[id$="username"]').first().fill(who.username);
  await page.locator('input[type="password"]').fill(who.password);
  await page.locator('button[type="submit"]').click();
  await expect(page.getByTestId('panel').first()).toBeVisible();
  return page;
}

test('two candidates record camera and screen with the real recorder, candidate 1 also the proof phone', async () => {
  test.setTimeout(240_000); // the proof phone's browser and room scan add ~15 s, much more on a loaded machine
  const ctxs = await Promise.all(
    demo.candidates.map(async () => {
      const c = await browser.newContext();
      await enableTestHooks(c);
      return c;
    }),
  );
  const pages = await Promise.all(
    ctxs.map(async (c) => {
      const p = await c.newPage();
      await openApp(p, server.baseUrl);
      return p;
    }),
  );
  const started = await Promise.all(pages.map((p, i) => loginAndRecord(p, demo.candidates[i]!)));
  // Candidate 1's proof phone: the real phone recorder in its own Chromium as a Pixel 7, bound by the desktop's code.
  const code = await pages[0]!.evaluate(async () => {
    const r = await fetch('/api/proof/bind-code', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    if (!r.ok) throw new Error(await r.text());
    return ((await r.json()) as { code: string }).code;
  });
  phone = await openPhone(server.baseUrl);
  await phoneToRecording(phone.page, `${server.baseUrl}/m/b/${code}`);
  await pages[0]!.waitForTimeout(5000);
  // A flag in the middle of candidate 1's answer: its marker must jump all videos to this moment.
  flagAt = await pages[0]!.evaluate(async () => {
    const at = Date.now();
    const r = await fetch('/api/attempt/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ signals: [{ type: 'window-blur', at, data: {} }] }) });
    if (!r.ok) throw new Error(await r.text());
    return at;
  });
  await pages[0]!.waitForTimeout(6000);
  for (const p of pages) await stopRecording(p);
  await phone.page.getByTestId('stop').click();
  await phone.page.locator('.ant-modal-confirm').getByRole('button', { name: '停止录制' }).click();
  for (const p of pages) await waitForProgress(p, 'every stream verified', allVerified, { timeoutMs: 90_000 });
  await expect(phone.page.getByTestId('upload-verified')).toBeVisible({ timeout: 90_000 });
  await phone.close();
  phone = undefined;
  expect(started.length).toBe(2);
  for (const c of ctxs) await c.close();

  // Three examiners in the demo panel.
  const me = await staffApi(server.baseUrl, demo.examiner);
  examiners.push({ ...demo.examiner, api: me, id: '' });
  for (const n of [2, 3]) {
    const username = `examiner-e2e-${n}`;
    const res = await admin.post('/api/staff', { data: { username, displayName: `考官${n}`, role: 'examiner', password: 'pass-word-123' } });
    expect(res.status(), await res.text()).toBe(200);
    examiners.push({ username, password: 'pass-word-123', api: await staffApi(server.baseUrl, { username, password: 'pass-word-123' }), id: (await res.json()).id });
  }
  const panel = (await (await admin.get(`/api/sessions/${demo.sessionId}/panels`)).json())[0];
  panelId = panel.id;
  examiners[0]!.id = panel.examinerIds[0];
  expect((await admin.put(`/api/sessions/${demo.sessionId}/panels/${panelId}`, { data: { name: panel.name, examinerIds: examiners.map((e) => e.id) } })).status()).toBe(200);
  // 上传成功 is not "assembled": examiners see a recording once its assembly job has finished.
  for (const [i, c] of demo.candidates.entries())
    await expect
      .poll(async () => ((await (await examiners[0]!.api.get(`/api/review/panels/${panelId}/candidates/${c.anonymousNumber}`)).json()) as ReviewAttempt).streams.filter((s) => s.available).length, {
        timeout: 90_000,
      })
      .toBe(i === 0 ? 3 : 2);
});

/** The recorded wall-clock moment each video shows now. */
async function wallClocks(page: Page, a: ReviewAttempt): Promise<Record<string, number>> {
  const times = await page.evaluate(() =>
    Object.fromEntries([...document.querySelectorAll('video[data-stream]')].map((v) => [(v as HTMLElement).dataset.stream!, (v as HTMLVideoElement).currentTime])),
  );
  const out: Record<string, number> = {};
  for (const [stream, t] of Object.entries(times)) {
    const runs = a.streams.find((s) => s.stream === stream)!.runs;
    const run = runs.find((r) => t >= r.offsetSec - 0.05 && t <= r.offsetSec + r.seconds + 0.05)!;
    out[stream] = run.startAt + (t - run.offsetSec) * 1000;
  }
  return out;
}

async function settledVideos(page: Page) {
  await page.waitForFunction(
    () =>
      document.querySelectorAll('video[data-stream]').length > 0 &&
      [...document.querySelectorAll('video[data-stream]')].every((v) => !(v as HTMLVideoElement).seeking && (v as HTMLVideoElement).readyState >= 2),
  );
}

test('the review page plays the streams in step; a flag marker and seeking move every video to the same moment', async () => {
  const page = await examinerPage('zh-CN');
  await expect(page.getByTestId('progress').first()).toHaveText('0 / 2 已评');
  await shot(page, 'review-panels-zh');
  await page.getByTestId('panel').first().click();
  await expect(page.getByText('待评').first()).toBeVisible();
  await shot(page, 'review-panel-zh');
  const anon = demo.candidates[0]!.anonymousNumber;
  await page.getByText(anon).click();
  await expect(page.getByTestId('anon')).toContainText(anon);
  const a = (await (await examiners[0]!.api.get(`/api/review/panels/${panelId}/candidates/${anon}`)).json()) as ReviewAttempt;
  expect(a.streams.filter((s) => s.available).map((s) => s.stream)).toEqual(['camera', 'screen', 'phone']);
  expect(JSON.stringify(a)).not.toContain(demo.candidates[0]!.name);
  await settledVideos(page);

  const flag = a.events.find((e) => e.type === 'window-blur')!;
  expect(Math.abs(flag.at - flagAt)).toBeLessThan(5);
  await page.locator(`[data-marker="${flag.id}"]`).click();
  await settledVideos(page);
  // Under load the screen's assembled file can be shorter than the time it declared (frames the recorder never
  // got): a stream is checked where it has recording, and the camera always has.
  const covering = (at: number) => a.streams.filter((st) => st.runs.some((r) => at >= r.startAt && at < r.startAt + r.seconds * 1000)).map((st) => st.stream);
  let clocks = await wallClocks(page, a);
  expect(covering(flag.at)).toEqual(expect.arrayContaining(['camera', 'phone']));
  for (const st of covering(flag.at)) expect(Math.abs(clocks[st]! - flag.at), `${st} at the flag`).toBeLessThan(300);
  const spread = (c: Record<string, number>, at: number) => {
    const v = covering(at).map((st) => c[st]!);
    return Math.max(...v) - Math.min(...v);
  };
  expect(spread(clocks, flag.at), 'the videos in step with each other at the flag').toBeLessThan(300);

  // Keyboard: ← 5 s; every stream that has a recording at that moment follows, in step.
  await page.keyboard.press('ArrowLeft');
  await settledVideos(page);
  clocks = await wallClocks(page, a);
  const target = flag.at - 5000;
  expect(covering(target)).toEqual(['camera', 'screen', 'phone']);
  for (const st of covering(target)) expect(Math.abs(clocks[st]! - target), `${st} after ←`).toBeLessThan(300);
  expect(spread(clocks, target), 'the three videos in step with each other after ←').toBeLessThan(300);

  // Play at 2× for a moment: they stay together.
  await page.keyboard.press(']');
  await page.keyboard.press(']');
  await page.getByTestId('play').click();
  await page.waitForFunction(() => document.querySelectorAll('video[data-stream]').length > 0 && [...document.querySelectorAll('video[data-stream]')].every((v) => !(v as HTMLVideoElement).paused));
  await page.waitForTimeout(1500);
  await page.getByTestId('play').click();
  await settledVideos(page);
  clocks = await wallClocks(page, a);
  const values = covering(clocks.camera!).map((st) => clocks[st]!);
  expect(clocks.camera! - (target + 1000), 'played on at 2× (1.5 s ≈ 3 s of recording, less on a loaded machine)').toBeGreaterThan(0);
  expect(Math.max(...values) - Math.min(...values), 'streams in step after playing at 2×').toBeLessThan(300);
  expect(await page.evaluate(() => (document.querySelector('video[data-stream="camera"]') as HTMLVideoElement).playbackRate)).toBe(2);
  await shot(page, 'review-page-zh');
  await page.context().close();
});

test('the players load on route load, in parallel with the attempt data: first frame while that data is held', async () => {
  const page = await examinerPage('zh-CN');
  const anon = demo.candidates[0]!.anonymousNumber;
  // Hold the attempt's data (not its streams): the three videos must still show their first frame meanwhile.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route(new RegExp(`/api/review/panels/${panelId}/candidates/${anon}$`), async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`/review/panels/${panelId}/${anon}`);
  await page.waitForFunction(
    () =>
      document.querySelectorAll('video[data-stream]').length === 3 &&
      [...document.querySelectorAll('video[data-stream]')].every((v) => !(v as HTMLVideoElement).seeking && (v as HTMLVideoElement).readyState >= 2),
    null,
    { timeout: 20_000 },
  );
  await page.evaluate(() => document.querySelectorAll('video[data-stream]').forEach((v) => v.setAttribute('data-early', '')));
  release();
  await expect(page.locator('[data-marker]').first()).toBeAttached();
  // The same <video> elements play on once the data is in (nothing reloads).
  expect(await page.locator('video[data-stream][data-early]').count()).toBe(3);
  // Candidate 2 has no proof recording: the assumed phone player goes once the data says so.
  await page.goto(`/review/panels/${panelId}/${demo.candidates[1]!.anonymousNumber}`);
  await expect(page.locator('video[data-stream]')).toHaveCount(2);
  await expect(page.locator('[data-hole="none"]')).toHaveCount(1);
  await page.context().close();
});

test('drafts survive a reload, 【提交】 locks, other examiners score by API, admin unlocks with a reason', async () => {
  const anon = demo.candidates[0]!.anonymousNumber;
  const page = await examinerPage('zh-CN');
  await page.goto(`/review/panels/${panelId}/${anon}`);
  const inputs = page.getByTestId('score-form').locator('input.ant-input-number-input');
  await inputs.nth(0).fill('15.5');
  await inputs.nth(1).fill('16');
  await expect(page.getByTestId('draft-status')).toContainText('草稿已保存');
  await page.reload();
  await expect(inputs.nth(0)).toHaveValue('15.5');
  await expect(inputs.nth(1)).toHaveValue(/^16(\.0)?$/);
  // The input keeps marks within 0–max itself; the server's own refusal (over max, off step) is covered by the API tests.
  await inputs.nth(2).fill('8');
  await expect(page.getByTestId('draft-status')).toContainText('草稿已保存');
  await page.getByTestId('submit').click();
  await page.locator('.ant-modal-confirm-btns .ant-btn-primary').click();
  await expect(page.getByTestId('draft-status')).toContainText('已提交并锁定');
  await expect(inputs.nth(0)).toBeDisabled();
  const locked = await examiners[0]!.api.put(`/api/review/panels/${panelId}/candidates/${anon}/score`, { data: { marks: {} } });
  expect((await locked.json()).error.code).toBe('SCORE_LOCKED');
  await page.context().close();

  // The other two examiners and the second candidate, by API (criteria of the demo rubric: 20, 20, 10).
  const rubric = (await (await admin.get(`/api/sessions/${demo.sessionId}/rubric`)).json()).rubric;
  const ids: string[] = rubric.criteria.map((c: { id: string }) => c.id);
  const marks = (...p: number[]) => Object.fromEntries(ids.map((id, i) => [id, p[i]!]));
  const submit = async (e: number, who: string, m: Record<string, number>) => {
    const r = await examiners[e]!.api.post(`/api/review/panels/${panelId}/candidates/${who}/score/submit`, { data: { marks: m } });
    expect(r.status(), await r.text()).toBe(200);
  };
  const other = demo.candidates[1]!.anonymousNumber;
  // Candidate 1: 39.5, 45, 30 → mean 38.17, trimmed 39.5, median 39.5. Candidate 2: 40, 42, 44.
  await submit(1, anon, marks(20, 20, 5));
  await submit(2, anon, marks(10, 12, 8));
  await submit(0, other, marks(15, 15, 10));
  await submit(1, other, marks(16, 16, 10));
  await submit(2, other, marks(17, 17, 10));

  // Admin unlocks examiner 1's score for candidate 1 in the results page, with a reason.
  const ctx = await browser.newContext({ viewport: { width: 1600, height: 900 }, locale: 'zh-CN', baseURL: server.baseUrl });
  const ap = await ctx.newPage();
  await ap.goto('/admin/login');
  await ap.locator('input').first().fill(demo.admin.username);
  await ap.locator('input[type="password"]').fill(demo.admin.password);
  await ap.locator('button[type="submit"]').click();
  await ap.waitForURL(/\/admin\/exams/);
  await ap.goto(`/admin/sessions/${demo.sessionId}/results`);
  const row = ap.locator('tr', { hasText: anon });
  await expect(row).toContainText('38.17');
  await shot(ap, 'review-results-zh');
  await row.getByRole('button', { name: '解锁' }).first().click();
  await ap.getByTestId('unlock-reason').fill('考官申请更正言语表达分');
  await ap.getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect(row).toContainText('草稿');
  const results = (await (await admin.get(`/api/sessions/${demo.sessionId}/results`)).json()) as SessionResults;
  const unlocked = results.rows.find((r) => r.anonymousNumber === anon)!.examiners.find((e) => e.state === 'draft')!;
  expect(unlocked.examinerId).toBe(examiners[0]!.id);
  // The audit chain still verifies with the unlock in it (the API test checks the row and its reason).
  expect((await (await admin.get('/api/audit/verify')).json()).ok).toBe(true);
  await submit(0, anon, marks(15.5, 16, 8));
  await ctx.close();
});

test('aggregate follows each rule; the .xlsx export reads back with the right totals; screenshots in English', async () => {
  const anon = demo.candidates[0]!.anonymousNumber;
  const other = demo.candidates[1]!.anonymousNumber;
  const rubric = (await (await admin.get(`/api/sessions/${demo.sessionId}/rubric`)).json()).rubric;
  for (const [rule, want] of [
    ['mean', [38.17, 42]],
    ['trimmed', [39.5, 42]],
    ['median', [39.5, 42]],
  ] as const) {
    const r = await admin.put(`/api/sessions/${demo.sessionId}/rubric`, { data: { criteria: rubric.criteria, aggregation: rule, deviationThreshold: 8 } });
    expect(r.status(), await r.text()).toBe(200);
    const rows = ((await (await admin.get(`/api/sessions/${demo.sessionId}/results`)).json()) as SessionResults).rows;
    expect([rule, rows.find((x) => x.anonymousNumber === anon)!.aggregate, rows.find((x) => x.anonymousNumber === other)!.aggregate]).toEqual([rule, ...want]);
  }
  const x = await admin.get(`/api/sessions/${demo.sessionId}/results/export?format=xlsx`);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await x.body()) as unknown as ArrayBuffer);
  const sheet = wb.getWorksheet('成绩 Results')!;
  const agg: Record<string, unknown> = {};
  sheet.eachRow((r, i) => i > 1 && (agg[String(r.getCell(1).value)] = r.getCell(7).value));
  expect(agg).toEqual({ [anon]: 39.5, [other]: 42 });
  const scores = wb.getWorksheet('评分明细 Scores')!;
  const totals: number[] = [];
  scores.eachRow((r, i) => i > 1 && String(r.getCell(1).value) === anon && totals.push(Number(r.getCell(8).value)));
  expect(totals.sort((p, q) => p - q)).toEqual([30, 39.5, 45]);

  const page = await examinerPage('en', examiners[1]);
  await expect(page.getByTestId('progress').first()).toHaveText('2 / 2 scored');
  await shot(page, 'review-panels-en');
  await page.goto(`/review/panels/${panelId}/${anon}`);
  await expect(page.getByTestId('anon')).toContainText(anon);
  await settledVideos(page);
  await expect(page.getByTestId('draft-status')).toContainText('Submitted');
  await shot(page, 'review-page-en');
  await page.context().close();
  const ctx = await browser.newContext({ viewport: { width: 1600, height: 900 }, locale: 'en', baseURL: server.baseUrl });
  await ctx.addInitScript(() => localStorage.setItem('invigil.lang', 'en'));
  const ap = await ctx.newPage();
  await ap.goto('/admin/login');
  await ap.locator('input').first().fill(demo.admin.username);
  await ap.locator('input[type="password"]').fill(demo.admin.password);
  await ap.locator('button[type="submit"]').click();
  await ap.waitForURL(/\/admin\/exams/);
  await ap.goto(`/admin/sessions/${demo.sessionId}/results`);
  await expect(ap.locator('tr', { hasText: anon })).toContainText('39.5');
  await shot(ap, 'review-results-en');
  await ctx.close();
});
