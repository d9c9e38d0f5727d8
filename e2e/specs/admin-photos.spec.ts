// The administrator's 考生 tab and the support view in real Chromium (issue #17 items 6–8): a .zip of registered
// photos with the per-file report, a refused replacement, extra time for one candidate, the attendance export read
// back; then support adds the one photo still missing on the exam morning and, in a session without the proof
// camera, sees no proof deadline. Screenshots zh-CN and en go to e2e/screenshots/admin-photos-*.png.
import { test, expect, type Browser, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { TestServer, ROOT, type Demo } from '../helpers/server.ts';
import { launch } from '../helpers/browser.ts';
import { buildFaceFixtures, type FaceFixtures } from '../fixtures/faces.ts';
import { animationsDone } from '../helpers/waits.ts';

const SHOTS = path.join(ROOT, 'e2e/screenshots');
let server: TestServer;
let demo: Demo;
let browser: Browser;
let fx: FaceFixtures;
const pageErrors: string[] = [];

test.beforeAll(async () => {
  [server, fx] = await Promise.all([TestServer.start(), buildFaceFixtures({ videos: false })]);
  demo = server.seedDemo({ startsIn: 1800, duration: 1500, candidates: 3, face: true, proof: false });
  browser = await launch();
});
test.afterEach(() => expect(pageErrors, pageErrors.join('\n')).toEqual([]));
test.afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function staffPage(lang: 'zh-CN' | 'en', who: { username: string; password: string }, at: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: lang });
  await ctx.addInitScript((l) => localStorage.setItem('invigil.lang', l), lang === 'en' ? 'en' : 'zh-CN');
  const page = await ctx.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.stack ?? e.message));
  const login = await page.request.post(`${server.baseUrl}/api/auth/login`, { data: who, headers: { origin: server.baseUrl } });
  expect(login.status()).toBe(200);
  await page.goto(`${server.baseUrl}${at}`);
  return page;
}

const row = (page: Page, ticket: string) => page.locator('tr.ant-table-row', { hasText: ticket });

test('admin imports photos with a per-file report, sets extra time and exports; support fixes a missing photo', async () => {
  const [c0, c1, c2] = demo.candidates as [Demo['candidates'][number], Demo['candidates'][number], Demo['candidates'][number]];
  const admin = await staffPage('zh-CN', demo.admin, `/admin/sessions/${demo.sessionId}/candidates`);

  await test.step('zip import: each file registered or refused with its reason', async () => {
    const zip = new JSZip();
    zip.file(`${c0.idNumber}.jpg`, fs.readFileSync(fx.photo.man0));
    zip.file(`${c1.idNumber}.jpg`, fs.readFileSync(fx.twoFaces));
    zip.file(`${c2.idNumber}.jpg`, fs.readFileSync(fx.noFace));
    zip.file('110101199003070000.jpg', fs.readFileSync(fx.photo.woman2));
    await admin.getByRole('button', { name: '导入照片' }).click();
    const dialog = admin.getByRole('dialog', { name: '批量导入报名照片' });
    await dialog.locator('input[type=file]').setInputFiles({ name: 'photos.zip', mimeType: 'application/zip', buffer: await zip.generateAsync({ type: 'nodebuffer' }) });
    await expect(dialog.getByRole('status').filter({ hasText: '已登记 1 张，未通过 3 张。' })).toBeVisible({ timeout: 60_000 });
    const report = dialog.getByTestId('photo-report');
    await expect(report.locator('tr', { hasText: `${c0.idNumber}.jpg` })).toContainText('已登记');
    await expect(report.locator('tr', { hasText: `${c1.idNumber}.jpg` })).toContainText('照片中有多张人脸');
    await expect(report.locator('tr', { hasText: `${c2.idNumber}.jpg` })).toContainText('未检测到人脸');
    await expect(report.locator('tr', { hasText: '110101199003070000.jpg' })).toContainText('本场次没有该身份证号的考生');
    await animationsDone(admin);
    await admin.screenshot({ path: path.join(SHOTS, 'admin-photos-report.png') });
    await dialog.getByRole('button', { name: /确\s*定/ }).click();
    await expect(row(admin, c0.ticket).getByTestId(`photo-cell-${c0.ticket}`)).toContainText('已上传');
    await expect(row(admin, c1.ticket).getByTestId(`photo-cell-${c1.ticket}`)).toContainText('无');
  });

  await test.step('a replacement without a face is refused and says why; the old photo stays', async () => {
    await row(admin, c0.ticket).locator('input[type=file]').setInputFiles(fx.noFace);
    await expect(admin.locator('.ant-message')).toContainText(`${c0.name} 的照片未通过：未检测到人脸`, { timeout: 30_000 });
    await expect(row(admin, c0.ticket).getByTestId(`photo-cell-${c0.ticket}`)).toContainText('已上传');
  });

  await test.step('extra time: 10 minutes for one candidate', async () => {
    await admin.getByTestId(`extra-${c0.ticket}`).click();
    const dialog = admin.getByRole('dialog', { name: `延长答题时间 · ${c0.name}` });
    await dialog.getByLabel('延长（分钟）').fill('10');
    await dialog.getByRole('button', { name: /保\s*存|确\s*定/ }).click();
    await expect(admin.getByTestId(`extra-${c0.ticket}`)).toHaveText('+10 分钟');
    await admin.screenshot({ path: path.join(SHOTS, 'admin-photos-candidates.png') });
  });

  await test.step('overview: the attendance export, read back, lists the candidates and the extra time', async () => {
    await admin.getByRole('tab', { name: '概览' }).click();
    const link = admin.getByTestId('export-attendance-xlsx');
    await expect(link).toBeVisible();
    const res = await admin.request.get(`${server.baseUrl}${await link.getAttribute('href')}`);
    expect(res.status()).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await res.body()) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).getCell(1).value).toBe('准考证号');
    const line = [2, 3, 4].map((i) => ws.getRow(i)).find((r) => r.getCell(1).value === c0.ticket)!;
    expect([line.getCell(2).value, line.getCell(5).value, line.getCell(10).value]).toEqual([c0.name, '未登录', 10]);
    await expect(admin.getByTestId('export-flags-xlsx')).toBeVisible();
  });

  await test.step('support: no proof deadline without the proof camera; adds the missing photo', async () => {
    // c1 logs in, so the support view has an attempt for them (the old view showed 未开始 + a time here).
    const login = await fetch(`${server.baseUrl}/api/auth/candidate-login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.baseUrl },
      body: JSON.stringify({ idNumber: c1.idNumber, ticket: c1.ticket, clientId: 'e2e-photos-c1' }),
    });
    expect(login.status).toBe(200);
    const support = await staffPage('zh-CN', demo.support, `/proctor/support?session=${demo.sessionId}`);
    const r1 = row(support, c1.ticket);
    await expect(r1).toContainText('已登录');
    // The last column (佐证视频截止) stays empty: the old view showed '—' while loading and then 未开始 + a time.
    await expect(r1.locator('td').last()).toHaveText('');
    await expect(r1).not.toContainText('未开始');
    await expect(support.getByTestId('exports')).toBeVisible();
    await expect(support.getByTestId('export-flags-xlsx')).toHaveCount(0);
    await expect(support.getByTestId(`no-photo-${c0.ticket}`)).toHaveCount(0);
    await expect(support.getByTestId(`no-photo-${c1.ticket}`)).toContainText('无报名照片');
    await animationsDone(support);
    await support.screenshot({ path: path.join(SHOTS, 'admin-photos-support.png') });
    await support.getByTestId(`no-photo-${c1.ticket}`).locator('input[type=file]').setInputFiles(fx.photo.man3);
    await expect(support.locator('.ant-message')).toContainText(`已登记 ${c1.name} 的报名照片。`, { timeout: 30_000 });
    await expect(support.getByTestId(`no-photo-${c1.ticket}`)).toHaveCount(0);
    await support.context().close();
  });

  await test.step('a 自助试测 session: the window, the practice duration and the lead time are set in the form', async () => {
    const pad = (n: number) => String(n).padStart(2, '0');
    const fmt = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
    const opens = new Date();
    opens.setDate(opens.getDate() + 1);
    opens.setHours(9, 0, 0, 0);
    const closes = new Date(opens.getTime() + 33 * 3600_000); // the next day 18:00
    await admin.goto(`${server.baseUrl}/admin/exams/${demo.examId}/sessions/new`);
    await admin.getByLabel('场次名称').fill('自助试测（6月21日–22日）');
    await admin.locator('label.ant-radio-button-wrapper', { hasText: '自助试测' }).click();
    await admin.locator('#startsAt').fill(fmt(opens));
    await admin.locator('#startsAt').press('Enter');
    await admin.locator('#windowClosesAt').fill(fmt(closes));
    await admin.locator('#windowClosesAt').press('Enter');
    await admin.getByLabel('每次试测时长（分钟）').fill('3');
    await admin.getByLabel('进入后到试题出现（秒）').fill('30');
    await admin.screenshot({ path: path.join(SHOTS, 'admin-photos-selftest-form.png') });
    await admin.getByRole('button', { name: '保存场次' }).click();
    await expect(admin).toHaveURL(/\/admin\/sessions\/[0-9a-f-]{36}/);
    const id = /sessions\/([0-9a-f-]{36})/.exec(admin.url())![1]!;
    const saved = await (await admin.request.get(`${server.baseUrl}/api/sessions/${id}`)).json();
    expect(saved).toMatchObject({ kind: 'mock-self', startsAt: opens.getTime(), windowClosesAt: closes.getTime(), durationSec: 180, practiceLeadSec: 30 });
  });

  await test.step('en: the same screens in English', async () => {
    const en = await staffPage('en', demo.admin, `/admin/sessions/${demo.sessionId}/candidates`);
    await expect(en.getByRole('button', { name: 'Import photos' })).toBeVisible();
    await expect(en.getByTestId(`extra-${c0.ticket}`)).toHaveText('+10 min');
    await en.screenshot({ path: path.join(SHOTS, 'admin-photos-candidates-en.png') });
    const sup = await staffPage('en', demo.support, `/proctor/support?session=${demo.sessionId}`);
    await expect(sup.getByTestId(`no-photo-${c2.ticket}`)).toContainText('No registered photo');
    await animationsDone(sup);
    await sup.screenshot({ path: path.join(SHOTS, 'admin-photos-support-en.png') });
  });
  await admin.context().close();
});
