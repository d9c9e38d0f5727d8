// bench/monitor/cost.ts — what the in-exam monitor costs on the candidate's machine (issue #19): worker ms per
// analysed 320×240 frame in headless Chromium (median, p95; the worker's own timing, read from the page's
// 'face-monitor-frame' performance marks) and the page's main-thread long tasks (PerformanceObserver 'longtask',
// as bench/console measures) with the monitor on vs off, in the same run, alternating, on the real candidate app
// with a fake camera showing the candidate (built as in e2e/specs/face-monitor.spec.ts). "Off" = the same app
// whose GET /api/attempt/monitor/config answers on: false (intercepted in the browser), so nothing else differs.
//
//   node --import tsx bench/monitor/cost.ts                     # 3 rounds × (on, off) × 30 s
//   node --import tsx bench/monitor/cost.ts --rounds 1 --seconds 10   # small, to prove it runs
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { Page } from '@playwright/test';
import { launch } from '../../e2e/helpers/browser.ts';
import { candidatePage, toWaitingRoom } from '../../e2e/helpers/candidate.ts';
import { startProctorServer } from '../../e2e/helpers/proctor.ts';
import { FACES_DIR } from '../../e2e/fixtures/faces.ts';
import { sceneClip } from '../../e2e/fixtures/monitor-scenes.ts';

const { values: a } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, seconds: { type: 'string', default: '30' }, out: { type: 'string' } } });
const rounds = Number(a.rounds);
const seconds = Number(a.seconds);

fs.mkdirSync(FACES_DIR, { recursive: true });
const clip = await sceneClip(path.join(FACES_DIR, 'monitor-alone-v1.mjpeg'), [{ scene: 'alone', sec: 30 }], { candidate: 'man1', other: 'woman1' });
const server = await startProctorServer();
const demo = server.seedDemo({ startsIn: 600, duration: 1200, candidates: rounds * 2, face: false, proof: false });
const browser = await launch({ videoFile: clip });

interface Parts {
  light: number;
  full: number;
  pixels: number;
  evidence: number;
}
interface Window {
  monitor: 'on' | 'off';
  longTasks: number[];
  workerMs: number[];
  /** Per frame: ms of Human's light pass (detector + mesh), full pass (+ description), pixel copies, evidence JPEG. */
  parts: Parts[];
  /** Worker ms of the frames before the window (model warm-up, reference from the first frames): not steady cost. */
  startupMs: number[];
  backend: string | null;
}

async function measure(page: Page, monitor: 'on' | 'off'): Promise<Window> {
  return page.evaluate(
    async ({ seconds, monitor }) => {
      if (monitor === 'on') {
        // Wait until the monitor has analysed its first STARTUP frames: model load, first inference and the
        // reference built from the first frames (no face login here) are no steady cost; reported apart.
        const STARTUP = 5;
        const t0 = Date.now();
        while (performance.getEntriesByName('face-monitor-frame').length < STARTUP && Date.now() - t0 < 180_000) await new Promise((r) => setTimeout(r, 250));
      }
      const startupMs = performance.getEntriesByName('face-monitor-frame').map((m) => Math.round(((m as PerformanceMark).detail as { ms: number }).ms));
      const from = performance.now();
      const longTasks: number[] = [];
      const obs = new PerformanceObserver((l) => l.getEntries().forEach((e) => longTasks.push(Math.round(e.duration))));
      obs.observe({ type: 'longtask' });
      await new Promise((r) => setTimeout(r, seconds * 1000));
      obs.disconnect();
      const frames = performance.getEntriesByName('face-monitor-frame').filter((m) => m.startTime >= from) as PerformanceMark[];
      const ready = performance.getEntriesByName('face-monitor-ready')[0] as PerformanceMark | undefined;
      const parts = frames.map((m) => (m.detail as { parts: { light: number; full: number; pixels: number; evidence: number } | null }).parts ?? { light: 0, full: 0, pixels: 0, evidence: 0 });
      return {
        monitor,
        longTasks,
        workerMs: frames.map((m) => Math.round((m.detail as { ms: number }).ms)),
        parts: parts.map((p) => ({ light: Math.round(p.light), full: Math.round(p.full), pixels: Math.round(p.pixels * 10) / 10, evidence: Math.round(p.evidence) })),
        startupMs,
        backend: (ready?.detail as { backend?: string } | undefined)?.backend ?? null,
      };
    },
    { seconds, monitor },
  );
}

const windows: Window[] = [];
let n = 0;
for (let r = 0; r < rounds; r++)
  for (const monitor of ['on', 'off'] as const) {
    const c = demo.candidates[n++]!;
    const page = await candidatePage(browser, server.baseUrl);
    if (monitor === 'off')
      await page.route('**/api/attempt/monitor/config', async (route) => {
        const res = await route.fetch();
        await route.fulfill({ response: res, json: { ...(await res.json()), on: false } });
      });
    await toWaitingRoom(page, c);
    windows.push(await measure(page, monitor));
    await page.context().close();
    console.error(`round ${r + 1} ${monitor}: ${JSON.stringify(windows.at(-1))}`);
  }
await browser.close();
await server.stop();

const pct = (xs: number[], p: number) => (xs.length ? [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]! : null);
const sum = (m: 'on' | 'off') => {
  const ws = windows.filter((w) => w.monitor === m);
  const lt = ws.flatMap((w) => w.longTasks);
  const ms = ws.flatMap((w) => w.workerMs);
  const parts = ws.flatMap((w) => w.parts);
  const part = (k: keyof Parts, only?: (p: Parts) => boolean) => {
    const xs = parts.filter((p) => (only ? only(p) : p[k] > 0)).map((p) => p[k]);
    return { frames: xs.length, median: pct(xs, 50), p95: pct(xs, 95) };
  };
  return {
    seconds: ws.length * seconds,
    longTasks: lt.length,
    longTaskMaxMs: lt.length ? Math.max(...lt) : 0,
    over50: lt.filter((x) => x > 50).length,
    ...(m === 'on'
      ? {
          backend: ws[0]?.backend,
          frames: ms.length,
          framesPerSec: ms.length / (ws.length * seconds),
          workerMs: { median: pct(ms, 50), p95: pct(ms, 95), p99: pct(ms, 99), max: ms.length ? Math.max(...ms) : null },
          parts: {
            light: part('light'),
            full: part('full'),
            pixels: part('pixels', () => true),
            evidence: part('evidence'),
            lightOnlyFrames: { ...part('light', (p) => p.full === 0), note: 'frames without a face description: the steady state' },
          },
          describedShare: parts.length ? parts.filter((p) => p.full > 0).length / parts.length : null,
          startupMs: ws.map((w) => w.startupMs),
        }
      : {}),
  };
};
const report = { when: new Date().toISOString(), rounds, seconds, load: os.loadavg().map((x) => Math.round(x * 100) / 100), cores: os.availableParallelism(), on: sum('on'), off: sum('off'), windows };
if (a.out) fs.writeFileSync(a.out, JSON.stringify(report, null, 2));
console.log(JSON.stringify({ ...report, windows: undefined }, null, 2));
