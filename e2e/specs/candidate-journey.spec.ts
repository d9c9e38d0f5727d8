// The whole candidate journey in a session starting ~60 s after the test starts: login, 设备准备, 阅读考试附件,
// 进入考试 (whole screen), 设备确认, 进入待考, the question appearing by itself at the start, browser signals
// reaching the server, auto-end at time-out, and the upload page reaching 上传成功 (server-verified).
import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { TestServer, type Demo } from '../helpers/server.ts';
import type { Browser } from '@playwright/test';
import { launch } from '../helpers/browser.ts';
import { attemptIdOf, candidatePage, eventTypes, fakeVisibility, login, passDeviceCheck, readAllDocuments, shot, snapshotWebDist, staffApi } from '../helpers/candidate.ts';

let server: TestServer;
let webDist: string;
let demo: Demo;
let browser: Browser;

test.beforeAll(async () => {
  webDist = snapshotWebDist();
  server = await TestServer.start({ WEB_DIST: webDist });
  demo = server.seedDemo({ startsIn: 60, duration: 40, candidates: 2 });
  browser = await launch();
});
// The browser goes first: its open socket would keep the server from stopping.
test.afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (webDist) fs.rmSync(webDist, { recursive: true, force: true });
});

test('a candidate goes from login to 上传成功, with the server clock deciding every step', async () => {
  test.setTimeout(170_000);
  const page = await candidatePage(browser, server.baseUrl);
  // A crash shows as a blank page much later; fail at the cause instead.
  const crashes: string[] = [];
  page.on('pageerror', (e) => crashes.push(e.message));
  const c = demo.candidates[0]!;
  const staff = await staffApi(server.baseUrl, demo.proctor);

  await page.goto('/');
  await expect(page.getByRole('button', { name: '登录' })).toBeVisible();
  await shot(page, '01-login');
  // The language switch is on every screen and keeps the seed's button words.
  await page.getByRole('button', { name: 'language' }).click();
  await expect(page.getByRole('button', { name: 'Log in' })).toBeVisible();
  await shot(page, '01-login-en');
  await page.getByRole('button', { name: 'language' }).click();

  await login(page, c);
  await expect(page.getByTestId('candidate-identity')).toContainText(c.ticket);
  await passDeviceCheck(page, '02-device-check');

  // No face login / proof binding in this session: straight to the documents; the next step is locked until all are read.
  await expect(page.getByTestId('documents-next')).toBeDisabled();
  await shot(page, '03-documents');
  await readAllDocuments(page, '03-document-open');

  // 进入考试 is active (the demo opens entry at once); 刷新 re-asks the server.
  const enter = page.getByRole('button', { name: '进入考试' });
  await expect(enter).toBeEnabled();
  await page.getByTestId('refresh-state').click();
  await shot(page, '04-enter');
  // English keeps the seed's word and adds a gloss.
  await page.getByRole('button', { name: 'language' }).click();
  await expect(page.getByRole('button', { name: '进入考试 Enter exam' })).toBeVisible();
  await shot(page, '04-enter-en');
  await page.getByRole('button', { name: 'language' }).click();
  await enter.click();

  // 设备确认: recording is running (camera + screen); 刷新设备, then 进入待考.
  await expect(page.getByRole('button', { name: '进入待考' })).toBeVisible();
  await page.getByRole('button', { name: '刷新设备' }).click();
  await shot(page, '05-device-confirm');
  await page.getByRole('button', { name: '进入待考' }).click();

  // Waiting room: countdown on the server clock and the A4 instruction.
  await expect(page.getByTestId('waiting-room')).toBeVisible();
  await expect(page.getByTestId('waiting-room')).toContainText('A4');
  await shot(page, '06-waiting-room');

  // A reload mid-exam: the page asks for the screen again (a click is needed) and recording resumes as a new run.
  await page.reload();
  await expect(page.getByTestId('resume-exam')).toBeVisible();
  await shot(page, '06-resume-after-reload');
  await page.getByTestId('resume-exam').click();
  await expect(page.getByTestId('waiting-room')).toBeVisible();

  // Browser signals while in the exam reach the server (checked through the proctor's API).
  await fakeVisibility(page, 'hidden');
  await fakeVisibility(page, 'visible');
  await page.evaluate(() => window.dispatchEvent(new Event('blur')));
  await page.evaluate(() => window.dispatchEvent(new Event('focus')));
  await shot(page, '06-signal-message');
  const attemptId = await attemptIdOf(staff, demo.sessionId, c.ticket);
  await expect.poll(() => eventTypes(staff, attemptId), { timeout: 10_000 }).toEqual(expect.arrayContaining(['page-hidden', 'page-visible', 'window-blur', 'window-focus']));

  // 求助 drawer opens with the chat (round trip with staff is in the proctor specs).
  await page.getByRole('button', { name: '求助' }).click();
  await page.getByTestId('help-input').fill('摄像头画面有点暗，可以吗？');
  await page.getByTestId('help-send').click();
  await expect(page.getByTestId('help-message').first()).toContainText('摄像头画面有点暗');
  await shot(page, '07-help');
  await page.keyboard.press('Escape');

  // At the start the question appears by itself, with the answer countdown.
  await expect(page.getByTestId('question')).toBeVisible({ timeout: Math.max(5_000, demo.startsAt - Date.now() + 10_000) });
  await expect(page.getByRole('button', { name: '结束考试' })).toBeVisible();
  await expect(page.getByRole('button', { name: '刷新题目' })).toBeVisible();
  await shot(page, '08-answering');
  // 结束考试 asks first; cancelling keeps answering.
  await page.getByRole('button', { name: '结束考试' }).click();
  await expect(page.getByRole('dialog')).toContainText('确定结束考试吗');
  await shot(page, '08-end-confirm');
  await page.getByRole('button', { name: '继续作答' }).click();

  // The network drops for a moment: the candidate keeps answering, is told calmly, and the server hears of it later.
  await page.context().setOffline(true);
  await expect(page.getByText('网络连接已断开')).toBeVisible();
  await shot(page, '08-offline');
  // The lost connection is kept in the page's queue (sessionStorage) until the network is back.
  await expect.poll(() => page.evaluate(() => Object.keys(sessionStorage).some((k) => k.startsWith('invigil.signals.') && sessionStorage.getItem(k)!.includes('"connection-lost"')))).toBe(true);
  await page.context().setOffline(false);
  await expect(page.getByTestId('question')).toBeVisible();
  await expect.poll(() => eventTypes(staff, attemptId), { timeout: 10_000 }).toEqual(expect.arrayContaining(['connection-lost', 'connection-restored']));

  // Auto-end at time-out, then the upload page; 上传成功 only when the server verified both streams.
  await expect(page.getByTestId('upload-pending').or(page.getByTestId('upload-success'))).toBeVisible({ timeout: demo.endsAt - Date.now() + 15_000 });
  await expect(page.getByTestId('upload-camera')).toBeVisible();
  await expect(page.getByTestId('network-dropped-note')).toBeVisible();
  await shot(page, '09-uploading');
  await expect(page.getByTestId('upload-success')).toBeVisible({ timeout: 45_000 });
  await expect(page.getByTestId('upload-camera')).toHaveAttribute('data-state', 'success');
  await expect(page.getByTestId('upload-screen')).toHaveAttribute('data-state', 'success');
  await shot(page, '10-upload-success');

  expect(crashes).toEqual([]);
  // 上传成功 no longer waits for the assembly, so it can come before the server's timekeeper (a job every second)
  // has ended the attempt by time: wait for that, do not race it.
  const stateNow = async () => (await staff.get(`/api/attempts/${attemptId}`)).json();
  await expect.poll(async () => (await stateNow()).status, { timeout: 15_000 }).toBe('ended');
  expect((await stateNow()).endReason).toBe('time-up');
});
