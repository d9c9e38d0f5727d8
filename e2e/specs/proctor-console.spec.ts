// The proctor's console end to end: two real candidates (headless Chromium, fake camera and screen) in the
// waiting room plus 32 simulated ones fill a room of 34 tiles. The proctor sees tiles update, opens a live view
// and receives decoded camera and screen frames peer to peer, answers a 求助, sends a warning the candidate
// acknowledges, confirms a tab-switch flag, sees A's unplugged camera reported, and ends one candidate's exam —
// whose recording still completes. (The phone's proof camera in the live view: proctor-live-phone.spec.ts.)
import { expect, test, type Browser, type Page } from '@playwright/test';
import path from 'node:path';
import type { TestServer, Demo } from '../helpers/server.ts';
import { launch } from '../helpers/browser.ts';
import { candidatePage, fakeVisibility, keepCameraTracks, staffApi, toWaitingRoom, unplugCamera } from '../helpers/candidate.ts';
import {
  decodedFrames,
  inboundVideo,
  settle,
  SHOTS,
  simulateCandidate,
  staffLogin,
  startProctorServer,
  thumbnailFrames,
  videoHeight,
  watchConnections,
  type SimulatedCandidate,
} from '../helpers/proctor.ts';

let server: TestServer;
let demo: Demo;
let browser: Browser;
const sims: SimulatedCandidate[] = [];
const errors: string[] = [];

test.beforeAll(async () => {
  server = await startProctorServer();
  // Nothing ends by time during the spec: start in 10 minutes.
  demo = server.seedDemo({ startsIn: 600, duration: 600, candidates: 34, face: false, proof: false });
  browser = await launch();
});
test.afterAll(async () => {
  sims.forEach((s) => s.socket.disconnect());
  await browser?.close();
  await server?.stop();
});

const shot = (page: Page, name: string) => settle(page).then(() => page.screenshot({ path: path.join(SHOTS, `proctor-${name}.png`) }));

async function candidateToWaitingRoom(page: Page, c: Demo['candidates'][number]) {
  page.on('pageerror', (e) => errors.push(`${c.name}: ${e.message}`));
  await keepCameraTracks(page);
  await toWaitingRoom(page, c);
}

// No retry: on 2026-11-23 the live camera decoded no frame within 20–45 s in 2 of 8 runs, when a live view that
// ended (the candidate's socket dropped on a busy machine, or the device did not answer in time) was never asked
// for again. Since then the console reopens such a view by itself every 3 s (LiveView.tsx RETRY_REASONS). If the
// camera ever stays dark again, the failure says where the picture stopped (view state, WebRTC inbound stats).

test('a proctor watches a room of 34, views one live, answers, warns, reviews a flag and ends an exam', async () => {
  test.setTimeout(300_000);
  const [a, b] = [demo.candidates[0]!, demo.candidates[1]!];
  const frames = thumbnailFrames();
  // 12 simulated candidates in the waiting room, 10 logged in, 10 not yet: every phase on the grid.
  for (const [i, c] of demo.candidates.slice(2, 24).entries()) sims.push(await simulateCandidate(server.baseUrl, c, { enter: i < 12, frame: frames[i % frames.length]!, everyMs: 3000 }));
  for (const [i, type] of (['second-monitor', 'key-printscreen', 'window-blur'] as const).entries())
    await sims[i]!.call('POST', '/api/attempt/events', { signals: [{ type, at: Date.now(), data: {} }] });

  const pageA = await candidatePage(browser, server.baseUrl);
  const pageB = await candidatePage(browser, server.baseUrl);
  await candidateToWaitingRoom(pageA, a);
  await candidateToWaitingRoom(pageB, b);

  const proctor = await (await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' })).newPage();
  proctor.on('pageerror', (e) => errors.push(`proctor: ${e.message}`));
  await watchConnections(proctor);
  await staffLogin(proctor, server.baseUrl, demo.proctor);
  const tiles = proctor.getByTestId('tile');
  await expect(tiles).toHaveCount(34);
  await expect(proctor.getByText('实时连接中')).toBeVisible();

  // Both real candidates' tiles show their camera and keep updating (a new frame every few seconds).
  const tileA = proctor.getByRole('button', { name: new RegExp(a.ticket) });
  const tileB = proctor.getByRole('button', { name: new RegExp(b.ticket) });
  for (const tile of [tileA, tileB]) {
    await expect(tile.getByTestId('tile-thumb')).toBeVisible({ timeout: 15_000 });
    await expect(tile).toHaveAttribute('data-phase', 'waiting');
    await expect(tile.getByTestId('tile-connection')).toHaveText('在线');
    const first = await tile.getByTestId('tile-thumb').getAttribute('data-at');
    await expect.poll(() => tile.getByTestId('tile-thumb').getAttribute('data-at'), { timeout: 15_000 }).not.toBe(first);
  }
  // Review priority: the simulated candidates with open flags come first, the absent ones last.
  await expect(tiles.first().getByTestId('tile-flags')).toBeVisible();
  await expect(tiles.last()).toHaveAttribute('data-phase', 'absent');
  await shot(proctor, '01-grid');

  // Live view of candidate A: camera and screen decode frames in the proctor's browser.
  await tileA.click();
  const camera = proctor.getByTestId('live-camera');
  const screen = proctor.getByTestId('live-screen');
  for (const [name, video] of [
    ['camera', camera],
    ['screen', screen],
  ] as const) {
    await expect
      .poll(() => decodedFrames(video), { timeout: 45_000 })
      .toBeGreaterThan(5)
      .catch(async (e: Error) => {
        const state = await proctor.getByTestId('live-view').getAttribute('data-state');
        throw new Error(`live ${name} decoded no frame: view ${state}, inbound ${JSON.stringify(await inboundVideo(proctor))}\n${e.message}`);
      });
  }
  // The view is capped so it does not compete with the recording for A's CPU and uplink: A's 480-line camera
  // arrives at 360 lines at most (WebRTC may go lower on its own when a computer is busy).
  const cameraLines = await videoHeight(camera);
  expect(cameraLines, 'live camera lines').toBeGreaterThan(0);
  expect(cameraLines, 'live camera lines').toBeLessThanOrEqual(360);
  await expect(pageA.getByTestId('waiting-room')).toBeVisible(); // the candidate was not interrupted
  await shot(proctor, '02-live-view');

  // 求助: A asks, the proctor answers from the panel with a quick reply, A reads it.
  await pageA.getByTestId('help-open').click();
  await pageA.getByTestId('help-input').fill('老师，我的屏幕共享提示是否正常？');
  await pageA.getByTestId('help-send').click();
  await proctor.getByRole('tab', { name: '求助' }).click();
  await expect(proctor.getByRole('log')).toContainText('我的屏幕共享提示是否正常', { timeout: 10_000 });
  await proctor.getByRole('button', { name: '请继续作答，不要离开摄像头范围。' }).click();
  await proctor.getByRole('textbox', { name: '回复' }).press('Enter');
  await expect(pageA.getByTestId('help-message').filter({ hasText: '请继续作答，不要离开摄像头范围。' })).toBeVisible({ timeout: 10_000 });
  await pageA.keyboard.press('Escape');

  // 警告: a preset phrase, shown prominently on A's screen until A acknowledges it.
  await proctor.getByTestId('warn-open').click();
  const warnDialog = proctor.getByRole('dialog').filter({ hasText: '发送警告' });
  await warnDialog.getByRole('button', { name: '请勿离开考试页面或切换窗口。' }).click();
  await warnDialog.getByRole('button', { name: /警\s*告/ }).click();
  await expect(pageA.getByTestId('proctor-warning')).toContainText('请勿离开考试页面或切换窗口。', { timeout: 10_000 });
  await settle(pageA);
  await pageA.screenshot({ path: path.join(SHOTS, 'proctor-03-candidate-warning.png') });
  await pageA.getByTestId('warning-ack').click();
  await expect(pageA.getByTestId('proctor-warning')).toBeHidden();
  await proctor.getByRole('tab', { name: /警告记录/ }).click();
  await expect(proctor.getByTestId('warning-row').first()).toHaveAttribute('data-acked', '1', { timeout: 10_000 });

  // Closing the panel ends the live view.
  await proctor.keyboard.press('Escape');
  await expect(proctor.getByTestId('live-view')).toHaveCount(0);

  // A switches tab: the flag reaches the feed live; the proctor confirms it with a note.
  await fakeVisibility(pageA, 'hidden');
  await fakeVisibility(pageA, 'visible');
  const flag = proctor.getByTestId('flag-feed').getByTestId('flag').filter({ hasText: a.name }).and(proctor.locator('[data-type="page-hidden"]'));
  await expect(flag).toBeVisible({ timeout: 20_000 });
  await flag.getByTestId('flag-confirm').click();
  await proctor.getByRole('textbox', { name: '备注（可选）' }).fill('切换到其他页面约 1 秒');
  await proctor.locator('#review-ok').click();
  await expect(flag).toHaveAttribute('data-review', 'confirmed');
  await expect(flag).toContainText('切换到其他页面约 1 秒');
  await shot(proctor, '04-flag-confirmed');
  // The rows already shown stay the same elements when a flag is pushed on top (keyed by flag; keyed by index,
  // every push remounted all the feed's rows, seconds per flag under load: bench/console/latency.ts).
  await flag.evaluate((el) => void ((el as HTMLElement & { kept?: boolean }).kept = true));

  // A's camera is unplugged: A is told at once, and the flag reaches the proctor's feed.
  expect(await unplugCamera(pageA)).toBeGreaterThan(0);
  await expect(pageA.getByText('摄像头画面中断，已记录')).toBeVisible();
  const cameraFlag = proctor.getByTestId('flag-feed').getByTestId('flag').filter({ hasText: a.name }).and(proctor.locator('[data-type="camera-lost"]'));
  await expect(cameraFlag).toBeVisible({ timeout: 20_000 });
  await expect(cameraFlag).toContainText('摄像头中断');
  expect(await flag.evaluate((el) => (el as HTMLElement & { kept?: boolean }).kept), 'the confirmed row was not rendered anew').toBe(true);

  // End B's exam for a violation: B's app stops recording and still uploads everything.
  await tileB.click();
  await proctor.getByTestId('end-open').click();
  const endDialog = proctor.getByRole('dialog').filter({ hasText: `结束 ${b.name} 的考试` });
  await endDialog.getByRole('textbox').fill('考试过程中他人进入画面并提示答案');
  await shot(proctor, '05-end-exam');
  await endDialog.getByRole('button', { name: '结束考试' }).click();
  await expect(pageB.getByTestId('upload-success')).toBeVisible({ timeout: 60_000 });
  await proctor.keyboard.press('Escape');
  await expect(tileB).toHaveAttribute('data-phase', 'ended', { timeout: 10_000 });

  const admin = await staffApi(server.baseUrl, demo.admin);
  // 上传成功 = verified; the assembly job follows within seconds (upload done ≠ assembled).
  const recsOfB = async () =>
    ((await (await admin.get(`/api/sessions/${demo.sessionId}/recordings`)).json()) as { rows: Array<{ ticket: string; stream: string; status: string }> }).rows
      .filter((r) => r.ticket === b.ticket)
      .map((r) => [r.stream, r.status]);
  await expect.poll(recsOfB, { timeout: 60_000 }).toEqual([
    ['camera', 'complete'],
    ['screen', 'complete'],
  ]);
  const stateB = (await (await admin.get(`/api/sessions/${demo.sessionId}/attempts`)).json()) as Array<{ ticket: string; status: string; endReason: string }>;
  expect(stateB.find((x) => x.ticket === b.ticket)).toMatchObject({ status: 'ended', endReason: 'proctor' });

  // The support view of the same session.
  const support = await (await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' })).newPage();
  await staffLogin(support, server.baseUrl, demo.support);
  await expect(support.getByRole('table')).toContainText(b.name);
  await expect(support.getByRole('row', { name: new RegExp(b.ticket) }).getByTestId('rec-camera')).toHaveAttribute('data-status', 'complete');
  await shot(support, '06-support');
  expect(errors).toEqual([]);
});
