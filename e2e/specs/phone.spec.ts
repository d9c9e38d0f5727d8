// The phone proof camera end to end: a candidate's desktop and phones, each its own Chromium process (phones as
// devices['Pixel 7'] at 390×844), against the real server. Binding by QR URL and by typed code, refused codes,
// re-pairing, room scan → continuous recording, offline + background + reload with the gap measured, and the
// upload deadline (complete here; overdue in phone-deadline.spec.ts).
import { expect, test, type Browser, type Page } from '@playwright/test';
import type { SessionProof, SessionRecordings } from '../../packages/contracts/src/index.ts';
import { launch } from '../helpers/browser.ts';
import { login, passDeviceCheck, VIEWPORT } from '../helpers/candidate.ts';
import type { Demo, TestServer } from '../helpers/server.ts';
import { desktopShot, openPhone, phoneRecordsMore, phoneShot, phoneToRecording, qrUrl, staff, startPhoneServer, type Phone } from '../helpers/phone-fixture.ts';

test.describe.configure({ mode: 'serial' });

let server: TestServer;
let demo: Demo;
let desktopBrowser: Browser;
const phones: Phone[] = [];

test.beforeAll(async () => {
  server = await startPhoneServer({ PROOF_ROOM_SCAN_SEC: '6', PROOF_HEARTBEAT_SEC: '2', PROOF_STALE_SEC: '6', PROOF_SILENCE_FLAG_SEC: '30' });
  demo = server.seedDemo({ startsIn: 900, duration: 3600, candidates: 2, face: false, proof: true });
  desktopBrowser = await launch();
});
test.afterAll(async () => {
  for (const p of phones) await p.close().catch(() => undefined);
  await desktopBrowser?.close();
  await server?.stop();
});

async function desktopAtProofStep(i: number): Promise<Page> {
  const context = await desktopBrowser.newContext({ viewport: VIEWPORT, locale: 'zh-CN', baseURL: server.baseUrl });
  const page = await context.newPage();
  await login(page, demo.candidates[i]!);
  await passDeviceCheck(page);
  await expect(page.getByTestId('proof-binding-panel')).toBeVisible();
  await expect(page.getByTestId('proof-status')).toHaveText('佐证设备未连接');
  return page;
}

async function phone(o: Parameters<typeof openPhone>[1] = {}): Promise<Phone> {
  const p = await openPhone(server.baseUrl, o);
  phones.push(p);
  return p;
}

test('binding: by QR URL, by typed code; used, replaced and wrong codes are refused; a new phone revokes the old one', async () => {
  const desktop = await desktopAtProofStep(0);
  await desktopShot(desktop, 'panel');
  const first = await qrUrl(desktop);
  expect(first).toMatch(new RegExp(`^${server.baseUrl}/m/b/[A-HJKMNP-Z2-9]{8}$`));
  await desktop.getByRole('button', { name: '放大二维码' }).click();
  await expect(desktop.getByTestId('proof-qr-large')).toBeVisible();
  await desktopShot(desktop, 'magnified');
  await desktop.keyboard.press('Escape');

  // Phone A scans the QR code: both screens change at once.
  const a = await phone();
  await a.page.goto(first);
  await expect(a.page.getByRole('button', { name: '我已了解，同意并继续' })).toBeVisible();
  await expect(a.page).toHaveURL(/\/m$/);
  await expect(a.page.getByTestId('phone-who')).toContainText(demo.candidates[0]!.name);
  await expect(desktop.getByTestId('proof-status')).toHaveText('佐证设备已连接');

  // Phone B scans the same (now used) QR code.
  const b = await phone();
  await b.page.goto(first);
  await expect(b.page.getByTestId('bind-error')).toContainText('已被使用');
  await phoneShot(b.page, 'bind-used');

  // The desktop shows a fresh code after the use; a replaced code is out of date, a wrong one is wrong.
  const second = await qrUrl(desktop, first);
  await desktop.getByRole('button', { name: '换一个绑定码' }).click();
  const third = await qrUrl(desktop, second);
  await b.page.goto('/m');
  await expect(b.page.getByLabel('绑定码')).toBeVisible();
  await phoneShot(b.page, 'bind');
  await b.page.getByLabel('绑定码').fill(second.slice(-8));
  await b.page.getByRole('button', { name: '绑定' }).click();
  await expect(b.page.getByTestId('bind-error')).toContainText('已过期');
  await phoneShot(b.page, 'bind-expired');
  await b.page.getByLabel('绑定码').fill('ABCD-EFGH');
  await b.page.getByRole('button', { name: '绑定' }).click();
  await expect(b.page.getByTestId('bind-error')).toContainText('绑定码不正确');

  // Typed the right way (lower case, with the dash): phone B is bound, phone A is revoked at once.
  const code = third.slice(-8);
  await b.page.getByLabel('绑定码').fill(`${code.slice(0, 4)}-${code.slice(4)}`.toLowerCase());
  await b.page.getByRole('button', { name: '绑定' }).click();
  await expect(b.page.getByRole('button', { name: '我已了解，同意并继续' })).toBeVisible();
  await expect(a.page.getByTestId('revoked')).toBeVisible({ timeout: 5_000 });
  await phoneShot(a.page, 'revoked');
  await expect(desktop.getByTestId('proof-status')).toHaveText('佐证设备已连接');
  expect((await a.page.request.get('/api/proof/phone')).status()).toBe(401);

  // A phone whose browser blocks the camera is told how to allow it.
  const c = await phone({ denyPermissions: true });
  await c.page.goto(await qrUrl(desktop, third));
  await c.page.getByRole('button', { name: '我已了解，同意并继续' }).click();
  await c.page.getByTestId('camera-allow').click();
  await expect(c.page.getByTestId('camera-denied')).toContainText('相机');
  await phoneShot(c.page, 'camera-denied');
  await expect(b.page.getByTestId('revoked')).toBeVisible({ timeout: 5_000 });
  await desktop.context().close();
});

test('room scan, continuous recording through offline, background and a reload; the gap is measured; upload completes', async () => {
  const desktop = await desktopAtProofStep(1);
  const p = await phone();
  const { scanStartedAt } = await phoneToRecording(p.page, await qrUrl(desktop), true);
  await expect(desktop.getByTestId('proof-status')).toHaveText('● 录制中');
  await expect(desktop.getByTestId('proof-next')).toBeEnabled();
  await desktopShot(desktop, 'recording');
  await phoneShot(p.page, 'recording');

  // 15 s offline: recording goes on into the local journal; the desktop sees the phone as disconnected.
  await p.context.setOffline(true);
  await expect(p.page.getByTestId('offline')).toBeVisible();
  await phoneShot(p.page, 'recording-offline');
  await expect(desktop.getByTestId('proof-status')).toHaveText('已断开', { timeout: 15_000 });
  await phoneRecordsMore(p.page, 2); // two chunks (~6 s) recorded into the journal while offline
  await p.context.setOffline(false);
  await expect(desktop.getByTestId('proof-status')).toHaveText('● 录制中', { timeout: 15_000 });

  // Sent to the background for ~3 s (a call): reported as an interruption with its length.
  await p.page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await p.page.waitForTimeout(3_000);
  await p.page.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'visible' });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await expect(p.page.locator('.ant-message')).toContainText('已恢复录制');

  // A reload: the page records again by itself at once and reports the gap.
  await p.page.reload();
  await expect(p.page.getByTestId('rec-badge')).toBeVisible({ timeout: 15_000 });
  await expect(p.page.locator('.ant-message')).toContainText('已恢复录制');
  await phoneShot(p.page, 'recording-resumed');
  await phoneRecordsMore(p.page, 2); // the second run has media of its own

  // Stopped by hand before the end of the exam: the confirmation says this is an interruption.
  await p.page.getByTestId('stop').click();
  await expect(p.page.locator('.ant-modal-confirm')).toContainText('考试尚未结束');
  await phoneShot(p.page, 'stop-confirm');
  const stoppedAt = await p.page.evaluate(() => Date.now());
  await p.page.locator('.ant-modal-confirm').getByRole('button', { name: '停止录制' }).click();
  await expect(p.page.getByTestId('upload-state').or(p.page.getByTestId('upload-verified'))).toBeVisible();
  await phoneShot(p.page, 'stopped-uploading');
  await expect(p.page.getByTestId('upload-verified')).toBeVisible({ timeout: 60_000 });
  await phoneShot(p.page, 'upload-verified');

  const support = await staff(server.baseUrl, demo.support);
  const phoneRow = async () => {
    const recs = (await (await support.get(`/api/sessions/${demo.sessionId}/recordings`)).json()) as SessionRecordings;
    return recs.rows.find((r) => r.ticket === demo.candidates[1]!.ticket && r.stream === 'phone')!;
  };
  // 上传成功 (verified) comes before the assembly job; the report of runs and gaps is the assembled recording's.
  await expect.poll(async () => (await phoneRow()).status, { timeout: 60_000 }).not.toBe('verified');
  const row = await phoneRow();
  // One interruption between runs (the reload); offline and background did not stop the recorder here.
  expect(row).toMatchObject({ status: 'partial', gaps: 1 });
  const wall = (stoppedAt - scanStartedAt) / 1000;
  expect(row.seconds).toBeGreaterThan(wall - row.gapSeconds - 4);
  expect(row.seconds).toBeLessThan(wall - row.gapSeconds + 4);
  expect(row.gapSeconds).toBeGreaterThan(0.2);
  expect(row.gapSeconds).toBeLessThan(10);

  const proof = (await (await support.get(`/api/sessions/${demo.sessionId}/proof`)).json()) as SessionProof;
  const status = proof.rows.find((r) => r.ticket === demo.candidates[1]!.ticket)!.status!;
  expect(status.upload.state).toBe('complete');
  expect(status.roomScanSeconds).toBeGreaterThanOrEqual(5);
  expect(status.gaps.count).toBe(2); // the background and the reload, as the phone reported them
  expect(status.gaps.seconds).toBeGreaterThan(3);
  const events = (await (await support.get(`/api/attempts/${status.attemptId}/events`)).json()) as Array<{ type: string; data: { reason?: string; seconds?: number } }>;
  const reload = events.find((e) => e.type === 'proof-gap' && e.data.reason === 'reload')!;
  expect(Math.abs(reload.data.seconds! - row.gapSeconds)).toBeLessThan(3);
  // Not 'proof-stopped-early': this candidate never entered the exam, so stopping the phone broke no rule.
  expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['proof-bound', 'proof-room-scan', 'proof-gap', 'recording-gap']));
  expect(events.map((e) => e.type)).not.toContain('proof-stopped-early');
  await expect(desktop.getByTestId('proof-status')).toHaveText('佐证录制已停止');
  await desktop.context().close();
});
