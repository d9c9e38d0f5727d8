// 人脸登录 end to end in Chromium with fake cameras fed from face fixtures (e2e/fixtures/faces.ts): the registered
// man logs in by face, turning his head as the challenge asks, and reaches the documents; a camera showing someone else is refused with the reason; that
// candidate asks for 人工核验, support approves, and the candidate's screen moves on without a reload.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { TestServer, type Demo } from '../helpers/server.ts';
import { launch } from '../helpers/browser.ts';
import { candidatePage, login, passDeviceCheck, SHOTS, snapshotWebDist, staffApi, type CandidateLogin } from '../helpers/candidate.ts';
import { buildFaceFixtures, type FaceFixtures } from '../fixtures/faces.ts';
import { animationsDone } from '../helpers/waits.ts';
import { askedSide, clientIdOf, turningBrowser, type TurnSide } from '../helpers/face-liveness.ts';

let server: TestServer;
let webDist: string;
let demo: Demo;
let fx: FaceFixtures;
let admin: APIRequestContext;

async function faceShot(page: Page, name: string) {
  // antd's animations have ended: the picture shows the real screen.
  await animationsDone(page);
  await page.screenshot({ path: path.join(SHOTS, `face-${name}.png`) });
}

async function registerPhoto(c: CandidateLogin, photo: string) {
  const list = await admin.get(`/api/sessions/${demo.sessionId}/candidates?limit=500`);
  expect(list.ok(), await list.text()).toBeTruthy();
  const row = ((await list.json()).items as Array<{ id: string; ticket: string }>).find((x) => x.ticket === c.ticket);
  expect(row, `candidate ${c.ticket}`).toBeTruthy();
  const r = await admin.post(`/api/face/candidates/${row!.id}/photo`, { data: { imageBase64: fs.readFileSync(photo).toString('base64') } });
  expect(r.ok(), await r.text()).toBeTruthy();
  expect((await r.json()).accepted).toBe(true);
}

/** Login, device check, then the separate consent screen — before it, no camera is open on this page. */
async function upToConsent(page: Page, c: CandidateLogin, screenshot?: string) {
  await login(page, c);
  await passDeviceCheck(page);
  await expect(page.getByTestId('face-consent')).toBeVisible();
  await expect(page.getByTestId('face-camera')).toHaveCount(0);
  if (screenshot) {
    // The device check's "results sent" toast would cover the header in the picture.
    await expect(page.locator('.ant-message-notice')).toHaveCount(0, { timeout: 10_000 });
    await faceShot(page, screenshot);
  }
  await expect(page.getByTestId('face-consent-accept')).toBeDisabled();
  await page.getByTestId('face-consent-check').click();
  await page.getByTestId('face-consent-accept').click();
  await expect(page.getByTestId('face-capture')).toBeVisible();
}

/** The in-browser detector must have found exactly one face in the fixture (a small one: "too far"). */
async function expectOneFaceHint(page: Page) {
  await expect(page.getByTestId('face-hint')).toHaveAttribute('data-hint', /^(too-far|good)$/, { timeout: 30_000 });
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  fx = await buildFaceFixtures();
  webDist = snapshotWebDist();
  server = await TestServer.start({ WEB_DIST: webDist });
  demo = server.seedDemo({ startsIn: 600, duration: 600, candidates: 2, face: true });
  admin = await staffApi(server.baseUrl, demo.admin);
  // Candidate 0 is the man; candidate 1 is registered as a woman, so the man's face is "someone else" for her.
  await registerPhoto(demo.candidates[0]!, fx.photo.man0);
  await registerPhoto(demo.candidates[1]!, fx.photo.woman1);
});

test.afterAll(async () => {
  await admin?.dispose();
  await server?.stop();
  if (webDist) fs.rmSync(webDist, { recursive: true, force: true });
});

test('the registered person logs in by face with the liveness challenge and reaches the documents', async () => {
  // The challenge is random (turn left / right) and a fake camera plays one file: the direction is read on a
  // first browser, and the same client continues on a camera where the man turns that way.
  const first = await launch({ videoFile: fx.mjpeg.man });
  let side: TurnSide;
  let clientId: string;
  try {
    const page = await candidatePage(first, server.baseUrl);
    await upToConsent(page, demo.candidates[0]!, 'consent');
    await expect(page.getByTestId('face-challenge')).toHaveAttribute('data-action', /^turn-(left|right)$/);
    side = await askedSide(page);
    clientId = (await clientIdOf(page))!;
  } finally {
    await first.close();
  }
  const { browser, page } = await turningBrowser(fx, side, server.baseUrl, clientId);
  try {
    await login(page, demo.candidates[0]!);
    await passDeviceCheck(page);
    await expect(page.getByTestId('face-tries-left')).toContainText('剩余 5 次');
    await expectOneFaceHint(page);
    await faceShot(page, 'capture');

    await page.getByTestId('face-start').click();
    await expect(page.getByTestId('face-passed')).toBeVisible({ timeout: 45_000 });
    await expect(page.getByTestId('face-passed')).toHaveAttribute('data-via', 'face');
    await faceShot(page, 'passed');
    // Goes on by itself (a candidate may not be at the mouse); the documents are the next step of this session.
    await expect(page.getByTestId('document-process')).toBeVisible({ timeout: 15_000 });

    // A reload does not ask again: the server remembers, and the step is skipped at once.
    await page.reload();
    await expect(page.getByTestId('document-process')).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId('face-consent')).toHaveCount(0);
  } finally {
    await browser.close();
  }
});

test('another person is refused with the reason, asks for 人工核验, and moves on by itself once support approves', async () => {
  const c = demo.candidates[1]!;
  const browser = await launch({ videoFile: fx.mjpeg.man });
  const support = await staffApi(server.baseUrl, demo.support);
  try {
    const page = await candidatePage(browser, server.baseUrl);
    await upToConsent(page, c);
    await expectOneFaceHint(page);
    await page.getByTestId('face-start').click();
    await expect(page.getByTestId('face-failed')).toBeVisible({ timeout: 45_000 });
    await expect(page.getByTestId('face-fail-reason')).toContainText('人脸与报名照片不一致');
    await expect(page.getByTestId('face-tries-left')).toContainText('剩余 4 次');
    await expect(page.getByTestId('face-start')).toHaveText('重新验证');
    await faceShot(page, 'failure');

    await page.getByTestId('face-manual-request').click();
    await expect(page.getByTestId('face-manual-pending')).toBeVisible();
    await expect(page.getByTestId('face-camera')).toBeVisible();
    await faceShot(page, 'manual-waiting');

    // Support sees the request with both pictures, and approves it with a reason.
    const list = await support.get('/api/face/manual?status=pending');
    expect(list.ok(), await list.text()).toBeTruthy();
    const item = ((await list.json()) as Array<{ id: string; candidateName: string; hasCapture: boolean; hasRegisteredPhoto: boolean; note: string }>).find((m) => m.candidateName === c.name);
    expect(item, `manual request of ${c.name}`).toBeTruthy();
    expect(item!.hasCapture && item!.hasRegisteredPhoto).toBe(true);
    expect(item!.note).toContain('1 次未通过');
    const capture = await support.get(`/api/face/manual/${item!.id}/capture`);
    expect(capture.headers()['content-type']).toContain('image/jpeg');
    // The page is still waiting: nothing moves before a person decides.
    // The page asks again (it polls every 2 s while a person decides) and still waits.
    await page.waitForResponse((r) => r.url().endsWith('/api/face/me') && r.ok(), { timeout: 10_000 });
    await expect(page.getByTestId('face-manual-pending')).toBeVisible();

    // A refusal reaches the screen by itself, with the reviewer's reason, and the candidate may ask again.
    const refused = await support.post(`/api/face/manual/${item!.id}/decision`, { data: { approve: false, reason: '未出示身份证件' } });
    expect(refused.ok(), await refused.text()).toBeTruthy();
    await expect(page.getByTestId('face-manual-rejected-reason')).toContainText('未出示身份证件', { timeout: 10_000 });
    await faceShot(page, 'manual-rejected');
    await page.getByTestId('face-manual-request').click();
    await expect(page.getByTestId('face-manual-pending')).toBeVisible();
    const again = ((await (await support.get('/api/face/manual?status=pending')).json()) as Array<{ id: string; candidateName: string }>).find((m) => m.candidateName === c.name);
    expect(again && again.id !== item!.id, 'a new request after the refusal').toBeTruthy();

    const decided = await support.post(`/api/face/manual/${again!.id}/decision`, { data: { approve: true, reason: '证件与本人一致' } });
    expect(decided.ok(), await decided.text()).toBeTruthy();
    await expect(page.getByTestId('face-passed')).toHaveAttribute('data-via', 'manual', { timeout: 10_000 });
    await expect(page.getByTestId('document-process')).toBeVisible({ timeout: 15_000 });
  } finally {
    await support.dispose();
    await browser.close();
  }
});

test('declining face recognition leads to manual verification, not to a dead end', async () => {
  // A session of its own: the two candidates above are used up.
  const other = server.seedDemo({ startsIn: 600, duration: 600, candidates: 1, face: true });
  const c = other.candidates[0]!;
  const browser = await launch({ videoFile: fx.mjpeg.man });
  const support = await staffApi(server.baseUrl, demo.support);
  try {
    const page = await candidatePage(browser, server.baseUrl);
    await login(page, c);
    await passDeviceCheck(page);
    await page.getByTestId('face-consent-decline').click();
    await expect(page.getByTestId('face-manual-pending')).toBeVisible();
    const mine = ((await (await support.get('/api/face/manual?status=pending')).json()) as Array<{ sessionId: string; candidateName: string; note: string; hasCapture: boolean }>).find(
      (m) => m.sessionId === other.sessionId && m.candidateName === c.name,
    );
    expect(mine?.note).toContain('未同意人脸识别');
    // Nothing of the face was sent: the reviewer has no capture, only the live camera and the ID card.
    expect(mine?.hasCapture).toBe(false);
  } finally {
    await support.dispose();
    await browser.close();
  }
});
