// Test-only harness: drives the real recording pipeline (packages/web/src/media) inside a page of the real app,
// before the candidate UI calls it. The page code below imports nothing: it logs in with fetch, takes the fake
// camera and screen, and calls the pipeline that media/pipeline.ts exposes on `window.__invigilMedia` when
// localStorage['invigil.testHooks'] is '1' (set here by an init script, before the app's code runs).
import { expect, type BrowserContext, type Page } from '@playwright/test';
import type { PipelineProgress } from '../../packages/web/src/media/types.ts';
import type { Stream } from '../../packages/contracts/src/recordings.ts';

export type { PipelineProgress };

export interface CandidateLogin {
  idNumber: string;
  ticket: string;
}

export interface Started {
  attemptId: string;
  /** Browser epoch ms right after start() returned: the recorders are running. */
  startedAt: number;
  /** Browser epoch ms right before start() was called. */
  startCalledAt: number;
}

interface HarnessWindow {
  __invigilMedia?: { createRecordingPipeline(): HarnessPipeline };
  __invigilPipeline?: HarnessPipeline;
  __invigilStreams?: MediaStream[];
}
interface HarnessPipeline {
  start(attemptId: string, streams: Partial<Record<Stream, MediaStream>>): Promise<void>;
  stop(): Promise<void>;
  resumeUploads(attemptId: string): Promise<void>;
  progress(): PipelineProgress;
}

/** Before the first navigation of a context: every page (and every reload) of it gets the test hook. */
export async function enableTestHooks(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => localStorage.setItem('invigil.testHooks', '1'));
}

/** Opens the candidate app and waits for the pipeline hook. */
export async function openApp(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await waitForHook(page);
}

export async function waitForHook(page: Page): Promise<void> {
  try {
    await page.waitForFunction(() => Boolean((window as unknown as HarnessWindow).__invigilMedia), null, { timeout: 20_000 });
  } catch {
    throw new Error('window.__invigilMedia never appeared: build the web app (npx vite build packages/web) from a tree where the candidate app imports media/pipeline.ts');
  }
}

/**
 * Logs the candidate in (same clientId on every page life of this browser profile, so a reload or a restarted
 * browser is the same client, not a second login), takes camera+mic and the screen, and starts recording.
 */
export async function loginAndRecord(page: Page, who: CandidateLogin, streams: Stream[] = ['camera', 'screen']): Promise<Started> {
  return page.evaluate(
    async ({ who, streams }) => {
      const w = window as unknown as HarnessWindow;
      let clientId = localStorage.getItem('invigil.e2e.clientId');
      if (!clientId) {
        clientId = crypto.randomUUID();
        localStorage.setItem('invigil.e2e.clientId', clientId);
      }
      const login = await fetch('/api/auth/candidate-login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...who, clientId }) });
      if (!login.ok) throw new Error(`candidate login: ${login.status} ${await login.text()}`);
      const me = (await (await fetch('/api/auth/me')).json()) as { attemptId: string | null };
      if (!me.attemptId) throw new Error('no attempt after login');
      // The constraints the candidate app uses (packages/web/src/devices: camera 640×480 at 15 fps, screen at 10 fps).
      const media: Partial<Record<Stream, MediaStream>> = {};
      if (streams.includes('camera') || streams.includes('phone')) {
        const cam = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 15 } }, audio: true });
        media[streams.includes('camera') ? 'camera' : 'phone'] = cam;
      }
      if (streams.includes('screen')) media.screen = await navigator.mediaDevices.getDisplayMedia({ video: { displaySurface: 'monitor', frameRate: { ideal: 10 } } });
      w.__invigilStreams = Object.values(media);
      // Like the app, which shows the previews before 【进入考试】: record only sources that already deliver frames,
      // so "the time the browser recorded" is not shortened by a capture device still warming up.
      await Promise.all(
        w.__invigilStreams.map(async (s) => {
          const v = document.createElement('video');
          v.muted = true;
          v.srcObject = s;
          await v.play();
          for (let i = 0; i < 3; i++) await new Promise((resolve) => v.requestVideoFrameCallback(resolve));
          v.srcObject = null;
        }),
      );
      w.__invigilPipeline ??= w.__invigilMedia!.createRecordingPipeline();
      const startCalledAt = Date.now();
      await w.__invigilPipeline.start(me.attemptId, media);
      return { attemptId: me.attemptId, startedAt: Date.now(), startCalledAt };
    },
    { who, streams },
  );
}

/** Stops recording; returns the browser epoch ms just before stop() was called. */
export async function stopRecording(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const at = Date.now();
    await w.__invigilPipeline!.stop();
    for (const s of w.__invigilStreams ?? []) s.getTracks().forEach((t) => t.stop());
    return at;
  });
}

/** The upload page after a reload: a pipeline that only sends what the journal holds. */
export async function resumeUploads(page: Page, attemptId: string): Promise<void> {
  await page.evaluate(async (attemptId) => {
    const w = window as unknown as HarnessWindow;
    w.__invigilPipeline ??= w.__invigilMedia!.createRecordingPipeline();
    await w.__invigilPipeline.resumeUploads(attemptId);
  }, attemptId);
}

export async function progress(page: Page): Promise<PipelineProgress> {
  return page.evaluate(() => (window as unknown as HarnessWindow).__invigilPipeline!.progress());
}

export async function browserNow(page: Page): Promise<number> {
  return page.evaluate(() => Date.now());
}

/**
 * Polls progress until `done` holds. A stream in state 'error' fails at once (unless `allowError`), with the
 * progress in the message, so a broken upload does not look like a slow one.
 */
export async function waitForProgress(page: Page, what: string, done: (p: PipelineProgress) => boolean, o: { timeoutMs?: number; allowError?: boolean } = {}): Promise<PipelineProgress> {
  const deadline = Date.now() + (o.timeoutMs ?? 60_000);
  let last: PipelineProgress | null = null;
  while (Date.now() < deadline) {
    last = await progress(page);
    if (done(last)) return last;
    if (!o.allowError && last.streams.some((s) => s.state === 'error')) throw new Error(`pipeline error while waiting for ${what}: ${JSON.stringify(last)}`);
    await page.waitForTimeout(250);
  }
  throw new Error(`timed out waiting for ${what}; last progress: ${JSON.stringify(last)}`);
}

export const allVerified = (p: PipelineProgress) => p.allVerified;

/** Chunks each recording stream holds in the journal now (the least of them). */
async function fewestChunks(page: Page, attemptId: string): Promise<number> {
  const [held, p] = [await journalSeqs(page, attemptId), await progress(page)];
  return Math.min(...p.streams.map((s) => held[s.stream]?.length ?? 0));
}

/**
 * Waits until every stream has recorded `chunks` more chunks (one per timeslice, ~3 s of media), counted in the
 * browser's own journal: under load the recorders run behind the wall clock, so a fixed sleep records less media
 * than it claims (TESTING.md "Slow machines").
 */
export async function recordMore(page: Page, attemptId: string, chunks: number): Promise<void> {
  const from = await fewestChunks(page, attemptId);
  await expect.poll(() => fewestChunks(page, attemptId), { message: `${chunks} more chunks recorded`, timeout: 20_000 + chunks * 9_000, intervals: [250] }).toBeGreaterThanOrEqual(from + chunks);
}

/** The journal as the browser holds it (read straight from IndexedDB): which chunks of the attempt are kept. */
export async function journalSeqs(page: Page, attemptId: string): Promise<Record<string, number[]>> {
  return page.evaluate(async (attemptId) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('invigil-media');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    try {
      if (!db.objectStoreNames.contains('chunks')) return {};
      const keys = await new Promise<IDBValidKey[]>((resolve, reject) => {
        const r = db
          .transaction('chunks')
          .objectStore('chunks')
          .getAllKeys(IDBKeyRange.bound([attemptId], [attemptId, '\uffff']));
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const out: Record<string, number[]> = {};
      for (const k of keys as [string, string, number][]) (out[k[1]] ??= []).push(k[2]);
      return out;
    } finally {
      db.close();
    }
  }, attemptId);
}
