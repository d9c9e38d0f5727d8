// 人脸登录 in a burst (issue #18 item 3): sixteen other candidates' verifications are in the server's queue (real Human
// model, two at a time) when this browser sends its frames. The screen shows 正在排队核验，请稍候 (第 N 位) — not a
// timeout — the place counts down, and the decision appears by itself when its turn comes.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { TestServer, type Demo } from '../helpers/server.ts';
import { launch } from '../helpers/browser.ts';
import { candidateApi, candidatePage, login, passDeviceCheck, SHOTS, snapshotWebDist, staffApi, type CandidateLogin } from '../helpers/candidate.ts';
import { buildFaceFixtures, type FaceFixtures } from '../fixtures/faces.ts';
import { animationsDone } from '../helpers/waits.ts';

const BURST = 16;
let server: TestServer;
let webDist: string;
let demo: Demo;
let fx: FaceFixtures;
let admin: APIRequestContext;
const others: APIRequestContext[] = [];

async function registerPhoto(c: CandidateLogin, photo: string) {
  const list = await admin.get(`/api/sessions/${demo.sessionId}/candidates?limit=500`);
  const row = ((await list.json()).items as Array<{ id: string; ticket: string }>).find((x) => x.ticket === c.ticket)!;
  const r = await admin.post(`/api/face/candidates/${row.id}/photo`, { data: { imageBase64: fs.readFileSync(photo).toString('base64') } });
  expect((await r.json()).accepted, await r.text()).toBe(true);
}

/** A screenshot of the waiting screen, kept only if the queue notice was still up after it was taken. */
async function queueShot(page: Page, name: string) {
  await animationsDone(page);
  const png = await page.screenshot();
  // The queue moves fast (two model threads): a decision that came during the shot would be filed as the queue.
  if (await page.getByTestId('face-queue-notice').isVisible()) fs.writeFileSync(path.join(SHOTS, `face-${name}.png`), png);
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  fx = await buildFaceFixtures();
  webDist = snapshotWebDist();
  server = await TestServer.start({ WEB_DIST: webDist });
  demo = server.seedDemo({ startsIn: 600, duration: 600, candidates: BURST + 1, face: true });
  admin = await staffApi(server.baseUrl, demo.admin);
  // Candidate 0 (the browser) is registered as a woman and the camera shows the man: a clear refusal at the end.
  await registerPhoto(demo.candidates[0]!, fx.photo.woman1);
  for (const c of demo.candidates.slice(1)) {
    await registerPhoto(c, fx.photo.man0);
    const { ctx, login: r } = await candidateApi(server.baseUrl, c);
    expect(r.ok(), await r.text()).toBeTruthy();
    expect((await ctx.post('/api/face/me/consent', { data: { accepted: true, policyVersion: '2026-1' } })).ok()).toBeTruthy();
    others.push(ctx);
  }
});

test.afterAll(async () => {
  for (const o of others) await o.dispose();
  await admin?.dispose();
  await server?.stop();
  if (webDist) fs.rmSync(webDist, { recursive: true, force: true });
});

test('a candidate behind sixteen others sees 第 N 位 counting down, then the decision by itself', async () => {
  test.setTimeout(150_000);
  const b64 = (f: string) => fs.readFileSync(f).toString('base64');
  const browser = await launch({ videoFile: fx.mjpeg.man });
  try {
    const page = await candidatePage(browser, server.baseUrl);
    await login(page, demo.candidates[0]!);
    await passDeviceCheck(page);
    await page.getByTestId('face-consent-check').click();
    await page.getByTestId('face-consent-accept').click();
    await expect(page.getByTestId('face-hint')).toHaveAttribute('data-hint', /^(too-far|good)$/, { timeout: 30_000 });

    // The burst: the others send their frames the moment this browser sends its own, and its request goes on only
    // once they are all in the queue (the two running ones hold their requests; six answer 202 at once).
    let queuedOthers = 0;
    let othersQueued!: () => void;
    const allIn = new Promise<void>((r) => (othersQueued = r));
    const burst: Promise<unknown>[] = [];
    await page.route('**/api/face/me/verify', async (route) => {
      for (const o of others) {
        const state = await (await o.get('/api/face/me')).json();
        const side = state.challenge.action === 'turn-left' ? 'left' : 'right';
        burst.push(
          o.post('/api/face/me/verify', { data: { challengeId: state.challenge.id, frames: fx.turn[side as 'left' | 'right'].map(b64) } }).then((r) => {
            if (r.status() === 202 && ++queuedOthers === BURST - 2) othersQueued();
            return r;
          }),
        );
      }
      await allIn;
      await route.continue();
    });

    await page.getByTestId('face-start').click();
    const queued = page.getByTestId('face-queued');
    await expect(queued).toBeVisible({ timeout: 45_000 });
    // Place and text read in one turn of the page: with two model threads the queue can move between two reads
    // (CI, 7 Dec: the attribute said 7, the text a moment later 6).
    const first = await queued.evaluate((el) => ({ place: Number(el.getAttribute('data-position')), text: el.textContent ?? '' }));
    const firstPlace = first.place;
    expect(firstPlace).toBeGreaterThanOrEqual(2);
    expect(first.text).toContain(`正在排队核验，请稍候 (第 ${firstPlace} 位)`);
    await expect(page.getByTestId('face-queue-notice')).toContainText('排到后将自动继续');
    await queueShot(page, 'queued');

    // The same wait in English (the header's language button switches while waiting), at once: the queue is
    // longest now (an English shot taken after the countdown showed the decision instead).
    await page.getByRole('button', { name: 'language' }).first().click();
    const notice = page.getByTestId('face-queue-notice');
    await expect(notice.or(page.getByTestId('face-failed'))).toBeVisible();
    if (await notice.isVisible()) {
      await expect(notice).toContainText('Waiting in the verification queue, please wait (number');
      await queueShot(page, 'queued-en');
    }
    // The place counts down while the others are verified (the browser asks again by itself).
    // (A short read: once the decision is in, the queue's element is gone for good and waiting for it would hang.)
    await expect.poll(async () => Number((await queued.getAttribute('data-position', { timeout: 500 }).catch(() => '0')) ?? 0), { timeout: 60_000 }).toBeLessThan(firstPlace);

    // Its turn: the real decision appears without a click (the camera shows someone else than the registered photo).
    await expect(page.getByTestId('face-failed')).toBeVisible({ timeout: 90_000 });
    await expect(page.getByTestId('face-queued')).toHaveCount(0);
    // Every other candidate got the model's decision too (the registered man turning his head: passed).
    const answers = await Promise.all(burst);
    expect(answers).toHaveLength(BURST);
  } finally {
    await browser.close();
  }
});
