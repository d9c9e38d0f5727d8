// The zero-loss recording promise (issue #7) under a clean run, a network outage and a corrupted upload:
// every test compares the assembled file the server built with the time the browser actually recorded, and
// finds no missing segment. Real server, real web build, Debian Chromium with fake camera, mic and screen.
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { launch } from '../helpers/browser.ts';
import { startRecordingEnv, stopAndVerify, type RecordingEnv } from '../helpers/recording-fixture.ts';
import { browserNow, enableTestHooks, journalSeqs, loginAndRecord, openApp, progress, recordMore, waitForProgress } from '../helpers/recording-harness.ts';

test.describe.configure({ mode: 'serial' });

let env: RecordingEnv;
let browser: Browser;
let context: BrowserContext;

test.beforeAll(async () => {
  env = await startRecordingEnv(3);
  browser = await launch();
});

test.afterAll(async () => {
  await browser?.close();
  await env?.admin.dispose();
  await env?.server.stop();
});

test.beforeEach(async () => {
  context = await browser.newContext();
  await enableTestHooks(context);
});

test.afterEach(async () => {
  await context.close();
});

async function newPage(): Promise<Page> {
  const page = await context.newPage();
  await openApp(page, env.server.baseUrl);
  return page;
}

const span = (startedAt: number) => ({ runs: 1, browserSeconds: (stoppedAt: number) => (stoppedAt - startedAt) / 1000 });

test('a clean 60 s recording of camera and screen arrives whole, and the journal is released only after verification', async () => {
  const page = await newPage();
  const { attemptId, startedAt, startCalledAt } = await loginAndRecord(page, env.demo.candidates[0]!);

  await recordMore(page, attemptId, 10); // 30 s of media
  // Upload keeps pace with recording: the server acknowledges chunks as they come, but the journal still
  // holds every chunk (nothing is deleted before the whole recording is verified).
  const mid = await progress(page);
  for (const s of mid.streams) {
    expect(s.recording, `${s.stream} records`).toBe(true);
    expect(s.segmentsWaiting, `${s.stream} upload keeps pace`).toBeLessThanOrEqual(2);
    expect(s.bytesUploaded, `${s.stream} acknowledged`).toBeGreaterThan(0);
  }
  const held = await journalSeqs(page, attemptId);
  expect(held.camera?.length ?? 0, 'camera chunks kept in the journal').toBeGreaterThanOrEqual(8);
  expect(mid.allVerified).toBe(false);

  await recordMore(page, attemptId, 10);
  const { stoppedAt, verified } = await stopAndVerify(page, env, attemptId, span(startedAt));

  // Issue #15 item 6: the screen run's recorded start is its first real frame. The harness hands over a screen
  // capture that already delivers frames (10 fps), so that frame comes within a frame or two of the recorder's
  // start(), which ran between startCalledAt and startedAt. The file length is no measure of it: an encoder short of
  // CPU loses frames at the END of a run (bench/recorder-start.ts prints where the frames sit).
  const screen = verified.screen!;
  const recordedStart = screen.report.perRun?.[0]?.startedAt;
  console.log(
    `screen run 0: recorded start ${recordedStart === undefined ? '—' : recordedStart - startCalledAt} ms after start() was called (returned after ${startedAt - startCalledAt} ms); stop − file length: ${(stoppedAt - screen.file.seconds * 1000 - startCalledAt).toFixed(0)} ms`,
  );
  expect(recordedStart, 'the screen run has a recorded start').toBeDefined();
  expect(recordedStart!, 'not before the recorder was started').toBeGreaterThanOrEqual(startCalledAt);
  expect(recordedStart!, 'within 0.3 s of the first frame after start()').toBeLessThanOrEqual(startedAt + 300);
});

test('offline in the middle for 5 chunks: recording never stops, the queue waits, then everything arrives with no gap', async () => {
  const page = await newPage();
  const { attemptId, startedAt } = await loginAndRecord(page, env.demo.candidates[1]!);
  await waitForProgress(page, 'first chunks acknowledged', (p) => p.streams.every((s) => s.bytesUploaded > 0));

  await context.setOffline(true);
  // Offline until each stream has 5 chunks waiting in the journal (~15 s of media).
  const offline = await waitForProgress(page, 'chunks queued offline', (p) => !p.online && p.streams.every((s) => s.segmentsWaiting >= 5), { timeoutMs: 60_000 });
  expect(offline.online).toBe(false);
  for (const s of offline.streams) {
    expect(s.recording, `${s.stream} still records offline`).toBe(true);
    expect(s.state, `${s.stream} says it waits for the network`).toBe('waiting-network');
    expect(s.segmentsWaiting, `${s.stream} chunks queue up in the journal`).toBeGreaterThanOrEqual(5);
  }
  await context.setOffline(false);

  // Back online: the queue drains without waiting for a long backoff.
  const backAt = await browserNow(page);
  await waitForProgress(page, 'queue drained', (p) => p.online && p.streams.every((s) => s.segmentsWaiting <= 1), { timeoutMs: 20_000 });
  console.log(`queue drained ${((await browserNow(page)) - backAt) / 1000} s after the network came back`);

  await recordMore(page, attemptId, 1); // recording went on after the network came back
  await stopAndVerify(page, env, attemptId, span(startedAt));
});

test('a segment corrupted on the way is refused (422) and sent again from the journal', async () => {
  const page = await newPage();
  let corruptedUrl: string | null = null;
  const statuses: number[] = [];
  // Segment 3 (of whichever stream sends it first): its first PUT reaches the server with one byte flipped.
  await page.route(/\/api\/recordings\/[^/]+\/segments\/3$/, async (route) => {
    const body = route.request().postDataBuffer();
    if (corruptedUrl || !body) return route.continue();
    corruptedUrl = route.request().url();
    const bad = Buffer.from(body);
    bad[bad.length >> 1]! ^= 0xff;
    return route.continue({ postData: bad });
  });
  page.on('response', (r) => {
    if (r.url() === corruptedUrl) statuses.push(r.status());
  });
  const { attemptId, startedAt } = await loginAndRecord(page, env.demo.candidates[2]!);
  // Segment 3 is the fourth chunk (~12 s): wait for its refusal and the resend that follows.
  await expect.poll(() => statuses.length >= 2, { message: 'segment 3 refused then sent again', timeout: 60_000 }).toBe(true);
  expect(corruptedUrl, 'one PUT was corrupted').not.toBeNull();
  expect(statuses[0], 'the corrupted segment was refused').toBe(422);
  expect(statuses.slice(1), 'and then accepted when sent again').toContain(200);
  // Record on to ~30 s as before: the duration check allows 2 %, and a screen capture's first frame may come
  // half a second late, which a 12 s recording cannot absorb.
  await recordMore(page, attemptId, 6);
  await stopAndVerify(page, env, attemptId, span(startedAt));
});
