// 自助试测 in real Chromium: one candidate does two self-tests in one window — the first without binding the phone
// (the proof camera is required in this session), which fails and says why; the second complete — then plays back
// their own camera and proof videos and sees 试测成功. Support's readiness list and its .xlsx export show both
// attempts; nothing of a practice attempt is a flag or reaches an examiner.
import path from 'node:path';
import ExcelJS from 'exceljs';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { launch } from '../helpers/browser.ts';
import { candidatePage, fakeVisibility, login, passDeviceCheck, readAllDocuments, SHOTS, staffApi } from '../helpers/candidate.ts';
import { openPhone, phoneToRecording, qrUrl, startPhoneServer, type Phone } from '../helpers/phone-fixture.ts';
import { staffLogin } from '../helpers/proctor.ts';
import type { Demo, TestServer } from '../helpers/server.ts';

const PRACTICE_SEC = 10;
const LEAD_SEC = 5;
let server: TestServer;
let demo: Demo;
let browser: Browser;
let phone: Phone | null = null;

test.beforeAll(async () => {
  server = await startPhoneServer({ PROOF_ROOM_SCAN_SEC: '3', PROOF_HEARTBEAT_SEC: '2' });
  // A window open for an hour from now, a 10 s practice that starts 5 s after 【进入考试】; the phone is required.
  const out = server
    .cli(['seed-demo', '--kind', 'mock-self', '--starts-in', '0', '--duration', String(PRACTICE_SEC), '--window', '3600', '--lead', String(LEAD_SEC), '--proof', 'on', '--candidates', '2'])
    .trim()
    .split('\n');
  demo = JSON.parse(out.at(-1)!) as Demo;
  browser = await launch();
});
test.afterAll(async () => {
  await phone?.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

async function shot(page: Page, name: string) {
  await page.waitForTimeout(400); // antd animations settle
  await page.screenshot({ path: path.join(SHOTS, `mock-${name}.png`), fullPage: true });
}

/** From the documents to the end of a practice: 【进入考试】, 【进入待考】, the question by itself, auto-end, 上传成功. */
async function practiceRun(page: Page) {
  await readAllDocuments(page);
  await page.getByRole('button', { name: '进入考试' }).click();
  await page.getByRole('button', { name: '进入待考' }).click();
  await expect(page.getByTestId('question')).toBeVisible({ timeout: (LEAD_SEC + 10) * 1000 });
  await expect(page.getByTestId('upload-success')).toBeVisible({ timeout: (PRACTICE_SEC + 45) * 1000 });
}

test('two self-tests in one window: the first fails without the phone, the second succeeds; playback, readiness and export', async () => {
  test.setTimeout(230_000);
  const c = demo.candidates[0]!;
  const page = await candidatePage(browser, server.baseUrl);
  await login(page, c);
  await expect(page.getByTestId('self-test-badge')).toHaveAttribute('data-done', 'false');
  await expect(page.getByTestId('self-test-badge')).toHaveText('自助试测：未完成');

  // ---- first self-test: the phone is not bound
  await passDeviceCheck(page);
  await expect(page.getByTestId('proof-binding-panel')).toBeVisible();
  await shot(page, '01-skip-proof');
  await page.getByTestId('practice-skip-proof').click();
  const examiner = await staffApi(server.baseUrl, demo.examiner);
  const admin = await staffApi(server.baseUrl, demo.admin);
  await readAllDocuments(page);
  await page.getByRole('button', { name: '进入考试' }).click();
  await page.getByRole('button', { name: '进入待考' }).click();
  // Leaving the page during a practice: the browser reports it, but it is no violation.
  await fakeVisibility(page, 'hidden');
  await fakeVisibility(page, 'visible');
  await expect(page.getByTestId('question')).toBeVisible({ timeout: (LEAD_SEC + 10) * 1000 });
  await expect(page.getByTestId('upload-success')).toBeVisible({ timeout: (PRACTICE_SEC + 45) * 1000 });
  const review = page.getByTestId('practice-review');
  await expect(review.getByTestId('practice-failed')).toBeVisible({ timeout: 20_000 });
  await expect(review.getByTestId('practice-problems')).toContainText('佐证视频缺失：本次试测没有绑定手机佐证端');
  await expect(review.getByTestId('practice-stream-phone')).toHaveText('佐证视频 未录制');
  await expect(review.getByTestId('practice-stream-camera')).toHaveText(/^摄像头 0:\d\d 已完整上传$/);
  await shot(page, '02-first-failed');

  // No flag anywhere, and examiners cannot reach the practice attempt or its recordings.
  const flags = await admin.get(`/api/sessions/${demo.sessionId}/flags?all=1`);
  expect(flags.status()).toBe(200);
  expect(await flags.json()).toEqual([]);
  const firstAttempt = ((await (await admin.get(`/api/sessions/${demo.sessionId}/attempts`)).json()) as Array<{ attemptId: string; ticket: string }>).find((a) => a.ticket === c.ticket)!.attemptId;
  expect((await admin.get(`/api/attempts/${firstAttempt}/events`)).status()).toBe(200);
  expect(await (await admin.get(`/api/attempts/${firstAttempt}/events`)).json()).toEqual([]);
  for (const url of [`/api/sessions/${demo.sessionId}/attempts`, `/api/attempts/${firstAttempt}`, `/api/sessions/${demo.sessionId}/recordings`, `/api/sessions/${demo.sessionId}/readiness`])
    expect((await examiner.get(url)).status(), url).toBe(403);

  // ---- second self-test: 【再次试测】, the whole journey again, this time with the phone
  await page.getByTestId('practice-again').click();
  await passDeviceCheck(page);
  await expect(page.getByTestId('proof-binding-panel')).toBeVisible();
  phone = await openPhone(server.baseUrl);
  await phoneToRecording(phone.page, await qrUrl(page));
  await expect(page.getByTestId('proof-next')).toBeEnabled({ timeout: 15_000 });
  await page.getByTestId('proof-next').click();
  await practiceRun(page);
  // The phone is stopped by hand after the end; its proof video uploads by itself.
  await phone.page.getByTestId('stop').click();
  const confirm = phone.page.locator('.ant-modal-confirm');
  if (await confirm.isVisible({ timeout: 2_000 }).catch(() => false)) await confirm.getByRole('button', { name: '停止录制' }).click();
  await expect(phone.page.getByTestId('upload-verified')).toBeVisible({ timeout: 60_000 });

  await expect(review.getByTestId('practice-success')).toBeVisible({ timeout: 20_000 });
  await expect(review.getByTestId('practice-success')).toContainText('试测成功');
  await expect(review.getByTestId('practice-stream-phone')).toHaveText(/^佐证视频 \d+:\d\d 已完整上传$/);
  // Both own videos play: the browser reads their duration through the Range-served files.
  for (const stream of ['camera', 'phone']) {
    const video = review.getByTestId(`practice-video-${stream}`).first();
    await expect.poll(() => video.evaluate((v: HTMLVideoElement) => (v.readyState >= 1 ? v.duration : 0)), { timeout: 15_000 }).toBeGreaterThan(3);
  }
  await shot(page, '03-second-success');
  await page.getByRole('button', { name: 'language' }).click();
  await expect(review.getByTestId('practice-success')).toContainText('Self-test passed');
  await shot(page, '03-second-success-en');
  await page.getByRole('button', { name: 'language' }).click();
  await page.reload();
  await expect(page.getByTestId('self-test-badge')).toHaveAttribute('data-done', 'true');
  await expect(page.getByTestId('self-test-badge')).toHaveText('自助试测：已完成');
  // The earlier (failed) attempt is listed below with its own result.
  await page.getByText('以前的试测').click();
  await expect(page.getByTestId('practice-attempt-1')).toHaveAttribute('data-success', 'false');
  await shot(page, '04-earlier-attempts');

  // ---- support: 试测情况 shows both attempts; the export, read back, has them
  const support = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  const sp = await support.newPage();
  await staffLogin(sp, server.baseUrl, demo.support);
  await sp.goto(`${server.baseUrl}/proctor/readiness?session=${demo.sessionId}`);
  const row = sp.getByTestId(`readiness-row-${c.ticket}`);
  await expect(row.getByTestId('readiness-started')).toHaveText('2');
  await expect(row.getByTestId('readiness-succeeded')).toHaveText('1');
  await shot(sp, '05-readiness');
  await sp.getByTestId('readiness-filter').getByText('未完成试测').click();
  await expect(sp.getByTestId(`readiness-row-${c.ticket}`)).toHaveCount(0);
  await expect(sp.getByTestId(`readiness-row-${demo.candidates[1]!.ticket}`)).toBeVisible();
  await shot(sp, '05-readiness-not-done');
  await sp.getByRole('button', { name: 'English' }).click();
  await expect(sp.getByText('Self-test not done')).toBeVisible();
  await shot(sp, '05-readiness-en');
  const [download] = await Promise.all([sp.waitForEvent('download'), sp.getByTestId('readiness-xlsx').click()]);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(await download.path());
  const sheet = wb.worksheets[0]!;
  const values = (sheet.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1).map(String));
  expect(values[0]!.slice(0, 5)).toEqual(['准考证号', '姓名', '身份证号', '自助试测次数', '试测成功次数']);
  // The filter in force (未完成试测) leaves out the candidate who succeeded: export all instead.
  const all = await (await staffApi(server.baseUrl, demo.support)).get(`/api/sessions/${demo.sessionId}/readiness.xlsx`);
  const wbAll = new ExcelJS.Workbook();
  await wbAll.xlsx.load((await all.body()) as unknown as ArrayBuffer);
  const line = (wbAll.worksheets[0]!.getSheetValues() as unknown[][])
    .filter(Boolean)
    .map((r) => r.slice(1).map(String))
    .find((r) => r[0] === c.ticket)!;
  expect(line.slice(3, 5)).toEqual(['2', '1']);
  expect(line[12]).toBe('是'); // proof camera used
  await support.close();
});
