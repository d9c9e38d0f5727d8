// The in-exam monitor's Web Worker (issue #19): Human (wasm) on each camera frame the page transfers — detector +
// mesh on every frame, the costly face description only when IdentityPlan asks (analysis.ts) — one
// MonitorSample per frame, batches to POST /api/attempt/monitor (batcher.ts), and evidence JPEGs
// (320×240) encoded here on an OffscreenCanvas. The page only grabs frames; nothing heavier runs on its thread.
/// <reference lib="webworker" />
import { Human } from '@vladmandic/human';
import { MonitorCondition, type MonitorRules } from '@invigil/contracts';
import { FACE_GRAY, GRAY_H, GRAY_W, IdentityPlan, ReferenceBuilder, analyseFrame, confirmBelow, toGray, type FaceLike, type ObjectLike } from './analysis.ts';
import { MonitorBatcher } from './batcher.ts';
import { AdaptiveRate } from './rate.ts';
import { monitorHumanConfig, passConfig } from './human-config.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: FromWorker) => scope.postMessage(m);

const EVIDENCE_W = 320;
const EVIDENCE_H = 240;
const EVIDENCE_QUALITY = 0.7;

let human: Human | null = null;
let rules: MonitorRules | null = null;
let batcher: MonitorBatcher | null = null;
let reference: ReferenceBuilder | null = null;
let plan = new IdentityPlan();
let phone = false;
let postUrl = '';
let prevGray: Uint8Array | null = null;
let serverOpen: MonitorCondition[] = [];
let stopped = false;
let sending = false;
/** A send was asked for while one was in flight: go again as soon as it is done (a raise must not wait a period). */
let again = false;
let rate = new AdaptiveRate();
const gray = new OffscreenCanvas(GRAY_W, GRAY_H);
const grayCtx = gray.getContext('2d', { willReadFrequently: true })!;
const faceCanvas = new OffscreenCanvas(FACE_GRAY, FACE_GRAY);
const faceCtx = faceCanvas.getContext('2d', { willReadFrequently: true })!;
const still = new OffscreenCanvas(EVIDENCE_W, EVIDENCE_H);
const stillCtx = still.getContext('2d')!;

async function start(m: Extract<ToWorker, { type: 'start' }>) {
  rules = m.rules;
  rate = new AdaptiveRate({ minMs: 1000 / Math.max(0.1, m.sampleHz) });
  batcher = new MonitorBatcher(m.rules);
  reference = new ReferenceBuilder(m.reference);
  plan = new IdentityPlan({ confirmBelow: confirmBelow(m.rules) });
  phone = m.phone;
  postUrl = m.postUrl;
  try {
    const origin = scope.location.origin;
    human = new Human(monitorHumanConfig({ modelBasePath: `${origin}/models/`, wasmPath: `${origin}/models/wasm/`, phone: m.phone }));
    await human.load();
    // Once, before the first camera frame: the first inference of each model is several times its steady cost.
    await human.warmup().catch(() => undefined);
    post({ type: 'ready', backend: human.tf.getBackend() });
  } catch (e) {
    post({ type: 'failed', reason: e instanceof Error ? e.message : String(e) });
  }
}

async function jpegOf(bitmap: ImageBitmap): Promise<string> {
  stillCtx.drawImage(bitmap, 0, 0, EVIDENCE_W, EVIDENCE_H);
  const blob = await still.convertToBlob({ type: 'image/jpeg', quality: EVIDENCE_QUALITY });
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

let analysing = false;

async function analyse(bitmap: ImageBitmap, t: number) {
  // One frame at a time: a frame that arrives while one is analysed (the page's watchdog) is dropped.
  if (!human || !batcher || !rules || !reference || analysing) return bitmap.close();
  analysing = true;
  const began = performance.now();
  try {
    const h = human;
    const p0 = performance.now();
    grayCtx.drawImage(bitmap, 0, 0, GRAY_W, GRAY_H);
    const g = toGray(grayCtx.getImageData(0, 0, GRAY_W, GRAY_H).data, GRAY_W, GRAY_H);
    const grayMs = performance.now() - p0;
    const { sample, parts } = await analyseFrame(
      {
        async detect(full) {
          const res = await h.detect(bitmap, passConfig(full, phone && !full));
          return { faces: res.face as unknown as FaceLike[], objects: phone ? (res.object as unknown as ObjectLike[]) : null };
        },
        faceGray([x, y, w, hh]) {
          faceCtx.drawImage(bitmap, x, y, Math.max(1, w), Math.max(1, hh), 0, 0, FACE_GRAY, FACE_GRAY);
          return toGray(faceCtx.getImageData(0, 0, FACE_GRAY, FACE_GRAY).data, FACE_GRAY, FACE_GRAY);
        },
      },
      { t, frameHeight: bitmap.height, gray: g, prevGray, reference, plan, now: () => performance.now() },
    );
    prevGray = g;
    const r = batcher.add(sample);
    let evidenceMs = 0;
    if (r.began.length) {
      const e0 = performance.now();
      const jpeg = await jpegOf(bitmap);
      for (const c of r.began) batcher.evidence(c, t, jpeg);
      evidenceMs = performance.now() - e0;
    }
    const ms = performance.now() - began;
    rate.analysed(ms);
    post({ type: 'analysed', sample, ms, parts: { ...parts, pixels: parts.pixels + grayMs, evidence: evidenceMs }, nextMs: Math.max(0, rate.intervalMs(performance.now()) - ms) });
    tell();
    if (r.flush) void send();
  } catch {
    // One frame Human could not read (the track changed size mid-grab): skip it, keep the rhythm.
    post({ type: 'analysed', sample: null, ms: performance.now() - began, nextMs: rate.intervalMs(performance.now()) });
  } finally {
    analysing = false;
    bitmap.close();
  }
}

function tell() {
  if (!batcher || !rules) return;
  const local = batcher.tell();
  const all = [...new Set([...local, ...serverOpen.filter((c) => rules![c]?.tell)])];
  post({ type: 'tell', conditions: MonitorCondition.options.filter((c) => all.includes(c)) });
}

async function send() {
  if (!batcher || stopped) return;
  if (sending) {
    again = true;
    return;
  }
  const batch = batcher.take();
  if (!batch) return;
  sending = true;
  try {
    const res = await fetch(postUrl, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) });
    if (res.ok) {
      const body = (await res.json().catch(() => null)) as { open?: MonitorCondition[] } | null;
      serverOpen = Array.isArray(body?.open) ? body.open.filter((c) => MonitorCondition.options.includes(c)) : [];
      tell();
    } else if (res.status === 429 || res.status >= 500) batcher.putBack(batch);
    else if (res.status === 401 || res.status === 403 || res.status === 404 || res.status === 409) {
      // Not (or no longer) in the exam, or the monitor is off: nothing more to send.
      stopped = true;
      post({ type: 'ended', status: res.status });
    }
    // 400: this batch is refused as malformed; dropping it is the only way forward.
  } catch {
    batcher.putBack(batch); // offline: sent with the next batch
  } finally {
    sending = false;
    if (again) {
      again = false;
      void send();
    }
  }
}

scope.onmessage = (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  if (m.type === 'start') void start(m);
  else if (m.type === 'frame') {
    if (stopped) m.bitmap.close();
    else void analyse(m.bitmap, m.t);
  } else if (m.type === 'busy') rate.busy(performance.now(), m.ms);
  else if (m.type === 'stop') {
    void send();
    stopped = true;
  }
};
