// The in-exam face monitor (issue #19) end to end: a candidate whose fake camera shows them for 14 s and then the
// empty room for 10 s (a looping clip built at setup from the package photo, e2e/fixtures/monitor-scenes.ts).
// The monitor runs in a Web Worker from 【进入考试】 on; while the room is empty the candidate sees the gentle hint
// 请保持面部在画面内, and a `face-absent` flag with its evidence frame reaches the proctor's feed within 5 s of the
// absence's start.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser } from '@playwright/test';
import type { TestServer, Demo } from '../helpers/server.ts';
import { launch } from '../helpers/browser.ts';
import { candidatePage, staffApi, toWaitingRoom, attemptIdOf } from '../helpers/candidate.ts';
import { settle, SHOTS, staffLogin, startProctorServer } from '../helpers/proctor.ts';
import { FACES_DIR } from '../fixtures/faces.ts';
import { sceneClip } from '../fixtures/monitor-scenes.ts';

let server: TestServer;
let demo: Demo;
let browser: Browser;
const errors: string[] = [];

test.beforeAll(async () => {
  test.setTimeout(120_000);
  fs.mkdirSync(FACES_DIR, { recursive: true });
  const clip = await sceneClip(
    path.join(FACES_DIR, 'monitor-absent-v1.mjpeg'),
    [
      { scene: 'alone', sec: 14 },
      { scene: 'absent', sec: 10 },
    ],
    { candidate: 'man1', other: 'woman1' },
  );
  server = await startProctorServer();
  demo = server.seedDemo({ startsIn: 600, duration: 600, candidates: 1, face: false, proof: false });
  browser = await launch({ videoFile: clip });
});
test.afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

test('an empty room for 10 s: the candidate is told, the proctor gets face-absent with its frame within 5 s', async () => {
  test.setTimeout(120_000);
  const c = demo.candidates[0]!;
  const proctor = await (await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: 'zh-CN' })).newPage();
  proctor.on('pageerror', (e) => errors.push(`proctor: ${e.message}`));
  await staffLogin(proctor, server.baseUrl, demo.proctor);
  await expect(proctor.getByTestId('tile')).toHaveCount(1);
  // When each flag appears in the proctor's DOM, on the (shared) machine clock.
  await proctor.evaluate(() => {
    const seen: Record<string, number> = {};
    (window as unknown as { flagSeen: Record<string, number> }).flagSeen = seen;
    new MutationObserver(() => {
      for (const el of document.querySelectorAll<HTMLElement>('[data-testid="flag"][data-type="face-absent"]')) seen[el.dataset.at!] ??= Date.now();
    }).observe(document.body, { childList: true, subtree: true, attributes: true });
  });

  const page = await candidatePage(browser, server.baseUrl);
  page.on('pageerror', (e) => errors.push(`candidate: ${e.message}`));
  const posts: Array<{ status: number; samples: number; evidence: number; body?: string }> = [];
  page.on('response', (r) => {
    if (!r.url().endsWith('/api/attempt/monitor') || r.request().method() !== 'POST') return;
    const b = r.request().postDataJSON() as { samples: unknown[]; evidence?: unknown[] };
    const row: (typeof posts)[number] = { status: r.status(), samples: b.samples.length, evidence: b.evidence?.length ?? 0 };
    posts.push(row);
    if (!r.ok()) void r.text().then((t) => (row.body = t));
  });
  await toWaitingRoom(page, c);

  // The room empties: the hint, gently (no modal), while the answering page stays usable.
  const hint = page.getByTestId('face-monitor-hint');
  await expect(hint).toBeVisible({ timeout: 60_000 });
  await expect(hint).toHaveText('请保持面部在画面内');
  // At once (no settle): the hint lasts only while the room is empty, and a busy machine may take seconds to settle.
  await page.screenshot({ path: path.join(SHOTS, 'face-monitor-01-candidate-hint.png') });
  await expect(page.getByRole('dialog')).toHaveCount(0);

  const flag = proctor.getByTestId('flag-feed').getByTestId('flag').and(proctor.locator('[data-type="face-absent"]')).first();
  await expect(flag).toBeVisible({ timeout: 15_000 });
  await expect(flag).toContainText(c.name);
  const at = Number(await flag.getAttribute('data-at'));
  const marks = () =>
    page.evaluate(() =>
      performance
        .getEntriesByType('mark')
        .filter((m) => m.name.startsWith('face-monitor'))
        .map((m) => [m.name, Math.round(m.startTime), (m as PerformanceMark).detail]),
    );
  console.log(JSON.stringify({ posts, marks: await marks() }));
  const seenAt = await proctor.evaluate((k) => (window as unknown as { flagSeen: Record<string, number> }).flagSeen[k], String(at));
  expect(seenAt, 'flag seen by the observer').toBeDefined();
  expect(seenAt! - at, 'absence start → flag on the proctor feed (ms)').toBeLessThanOrEqual(5000);
  // The evidence frame: shown in the feed, a JPEG of the empty room at 320×240.
  const img = flag.getByRole('img');
  await expect(img, `evidence frame; monitor POSTs ${JSON.stringify(posts)}`)
    .toBeVisible()
    .catch(async (e: Error) => {
      throw new Error(`${e.message}\nmarks ${JSON.stringify(await marks())}`);
    });
  const src = await img.getAttribute('src');
  const r = await proctor.request.get(`${server.baseUrl}${src}`);
  expect(r.status()).toBe(200);
  const jpeg = await r.body();
  expect(jpeg.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  expect(jpeg.length).toBeLessThanOrEqual(150_000);
  await settle(proctor);
  await proctor.screenshot({ path: path.join(SHOTS, 'face-monitor-02-proctor-feed.png') });

  // The face comes back: the hint goes; the server stored the samples and recorded the episode.
  await expect(hint).toBeHidden({ timeout: 20_000 });
  const admin = await staffApi(server.baseUrl, demo.admin);
  const attemptId = await attemptIdOf(admin, demo.sessionId, c.ticket);
  const events = (await (await admin.get(`/api/attempts/${attemptId}/events`)).json()) as Array<{ type: string; at: number; data?: Record<string, unknown> }>;
  expect(events.filter((e) => e.type === 'face-absent').length).toBeGreaterThanOrEqual(1);
  expect(
    events.filter((e) => e.type === 'camera-covered' || e.type === 'several-faces'),
    JSON.stringify(events.map((e) => e.type)),
  ).toEqual([]);
  expect(posts.length).toBeGreaterThan(0);
  expect(
    posts.filter((p) => p.status !== 200),
    'refused monitor POSTs',
  ).toEqual([]);
  expect(errors).toEqual([]);
});
