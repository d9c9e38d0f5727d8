// The phone's proof camera in the proctor's live view, next to the desktop's camera and screen: all three decode
// frames in the proctor's browser, the views come back by themselves after the console's connection drops, and
// closing the panel closes every peer connection on every end while the candidate and the phone go on recording.
// The phone's own connection dropping is retried by the console too (issue #6: it used to need a click).
import path from 'node:path';
import { expect, test, type Browser } from '@playwright/test';
import type { TestServer, Demo } from '../helpers/server.ts';
import { launch } from '../helpers/browser.ts';
import { candidatePage, toWaitingRoom } from '../helpers/candidate.ts';
import { openPhone, phoneToRecording, type Phone } from '../helpers/phone-fixture.ts';
import { decodedFrames, dropWebSockets, framesAdvance, peerConnections, settle, SHOTS, staffLogin, startProctorServer, watchConnections } from '../helpers/proctor.ts';

let server: TestServer;
let demo: Demo;
let browser: Browser;
let phone: Phone | null = null;

test.beforeAll(async () => {
  server = await startProctorServer({ PROOF_ROOM_SCAN_SEC: '3' }); // the phone records after a 3 s room scan
  demo = server.seedDemo({ startsIn: 600, duration: 600, candidates: 2, face: false, proof: false });
  browser = await launch();
});
test.afterAll(async () => {
  await phone?.close();
  await browser?.close();
  await server?.stop();
});

test('a proctor sees a candidate live from the desktop and from the phone', async () => {
  test.setTimeout(300_000);
  const a = demo.candidates[0]!;
  const pageA = await candidatePage(browser, server.baseUrl);
  await watchConnections(pageA);
  await toWaitingRoom(pageA, a);

  const ph = (phone = await openPhone(server.baseUrl));
  await watchConnections(phone.page);
  const { url } = (await (await pageA.request.post('/api/proof/bind-code', { data: {} })).json()) as { url: string };
  await phoneToRecording(phone.page, url);

  const proctor = await (await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' })).newPage();
  await watchConnections(proctor);
  await staffLogin(proctor, server.baseUrl, demo.proctor);
  await proctor.getByRole('button', { name: new RegExp(a.ticket) }).click();
  const videos = { camera: proctor.getByTestId('live-camera'), screen: proctor.getByTestId('live-screen'), phone: proctor.getByTestId('live-phone') };
  await expect.poll(() => decodedFrames(videos.camera), { timeout: 45_000 }).toBeGreaterThan(5);
  await expect.poll(() => decodedFrames(videos.screen), { timeout: 45_000 }).toBeGreaterThan(5);
  await expect(proctor.getByTestId('live-open-phone')).toBeEnabled(); // the grid knows the phone records
  await proctor.getByTestId('live-open-phone').click();
  await expect.poll(() => decodedFrames(videos.phone), { timeout: 45_000 }).toBeGreaterThan(5);
  const keepDecoding = async () => {
    for (const [name, video] of Object.entries(videos)) await expect.poll(() => framesAdvance(video), { message: `${name} keeps decoding`, timeout: 45_000 }).toBeGreaterThan(0);
  };
  await keepDecoding();
  await expect(pageA.getByTestId('waiting-room')).toBeVisible(); // the candidate was not interrupted
  await settle(proctor);
  await proctor.screenshot({ path: path.join(SHOTS, 'proctor-07-live-phone.png') });

  // The console's connection drops (a blip): the server ends its views on A's computer and the phone, and the
  // console opens both again by itself — new peer connections — instead of showing a frozen picture.
  const before = await peerConnections(proctor);
  expect(before.open).toBe(2);
  expect(await dropWebSockets(proctor)).toBeGreaterThan(0);
  await expect.poll(async () => (await peerConnections(proctor)).created, { timeout: 45_000 }).toBeGreaterThanOrEqual(before.created + 2);
  await keepDecoding();
  await expect.poll(async () => (await peerConnections(proctor)).open).toBe(2);

  // The phone's own connection drops (a mobile network blip): the server tells the console 'device-left', the
  // console shows it and asks the phone again a few seconds later by itself; the desktop view is not touched.
  const beforePhone = await peerConnections(proctor);
  expect(await dropWebSockets(phone.page)).toBeGreaterThan(0);
  await expect.poll(async () => (await peerConnections(proctor)).created, { timeout: 45_000 }).toBeGreaterThanOrEqual(beforePhone.created + 1);
  await expect.poll(() => framesAdvance(videos.phone), { message: 'phone decodes again', timeout: 45_000 }).toBeGreaterThan(0);
  await expect.poll(async () => (await peerConnections(proctor)).open).toBe(2);
  await expect.poll(async () => (await peerConnections(ph.page)).open, { message: 'the phone keeps only the new view' }).toBe(1);
  await keepDecoding();

  // Closing the panel ends the view on every end, while A and the phone go on recording.
  await proctor.keyboard.press('Escape');
  await expect(proctor.getByTestId('live-view')).toHaveCount(0);
  for (const page of [proctor, pageA, phone.page]) await expect.poll(async () => (await peerConnections(page)).open, { timeout: 10_000 }).toBe(0);
  await expect(pageA.getByTestId('waiting-room')).toBeVisible();
  await expect(phone.page.getByTestId('stop')).toBeVisible();
});
