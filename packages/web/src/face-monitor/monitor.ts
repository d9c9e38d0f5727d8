// The in-exam monitor on the candidate's page (issue #19). Main thread work is only: ask the server for the
// monitor's config, grab a 320×240 ImageBitmap of the camera when the worker wants the next frame (1–2 Hz, the
// worker sets the pace) and transfer it, and report long tasks so the worker slows down while the page is busy.
// Everything else — Human, the samples, batches, evidence JPEGs, the POSTs — runs in worker.ts.
import type { MonitorCondition, MonitorConfig, MonitorSample } from '@invigil/contracts';
import type { FromWorker, ToWorker } from './protocol.ts';

export const FRAME_W = 320;
export const FRAME_H = 240;

/**
 * The object detector (centernet) for phone-in-view is off by default: it costs more than the rest of the
 * analysis together at 320×240 (bench/monitor/cost.ts) and finds a phone only when it is large and face-on.
 */
export const PHONE_DEFAULT = false;

export interface FaceMonitorOptions {
  /** The camera stream now (it may be switched during the exam, so asked each frame). */
  camera: () => MediaStream | null | undefined;
  /** Epoch ms on the server's clock. */
  serverNow: () => number;
  config: () => Promise<MonitorConfig>;
  onTell: (conditions: MonitorCondition[]) => void;
  /** Every analysed sample and its worker time (tests, benchmarks). */
  onSample?: (s: MonitorSample, ms: number) => void;
  postUrl?: string;
  /** Run the object detector for phones (costly; off unless the rules have phone-in-view on). */
  phone?: boolean;
}

/** Starts the monitor; returns its stop function. Does nothing where Workers, OffscreenCanvas or the config are missing. */
export function startFaceMonitor(o: FaceMonitorOptions): () => void {
  let stopped = false;
  let worker: Worker | null = null;
  let video: HTMLVideoElement | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let watchdog: ReturnType<typeof setTimeout> | null = null;
  let observer: PerformanceObserver | null = null;
  let busyTimer: ReturnType<typeof setInterval> | null = null;
  let longMs = 0;

  const send = (m: ToWorker, transfer: Transferable[] = []) => worker?.postMessage(m, transfer);

  function videoFor(stream: MediaStream): HTMLVideoElement {
    if (video?.srcObject !== stream) {
      video?.pause();
      video = document.createElement('video');
      video.muted = true;
      video.playsInline = true;
      video.srcObject = stream;
      void video.play().catch(() => undefined);
    }
    return video;
  }

  /** Grabs one frame and transfers it; when there is none yet, tries again shortly. */
  async function grab() {
    timer = null;
    if (stopped) return;
    const stream = o.camera();
    const v = stream ? videoFor(stream) : null;
    if (!v || v.readyState < 2 || !v.videoWidth) {
      timer = setTimeout(() => void grab(), 500);
      return;
    }
    try {
      const t = Math.round(o.serverNow());
      const bitmap = await createImageBitmap(v, { resizeWidth: FRAME_W, resizeHeight: FRAME_H, resizeQuality: 'low' });
      if (stopped) return bitmap.close();
      send({ type: 'frame', bitmap, t }, [bitmap]);
      // The worker answers every frame; if it never does (crashed), try again rather than stop watching. Long:
      // on a machine under heavy load one frame has taken 19 s, and the worker drops frames that arrive while busy.
      watchdog = setTimeout(() => void grab(), 60_000);
    } catch {
      timer = setTimeout(() => void grab(), 1000);
    }
  }

  void (async () => {
    let cfg: MonitorConfig;
    try {
      cfg = await o.config();
    } catch {
      return;
    }
    if (stopped || !cfg.on || typeof Worker === 'undefined' || typeof OffscreenCanvas === 'undefined') return;
    worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'invigil-face-monitor' });
    worker.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      // Marks on the page's performance timeline (no globals): which backend, and each frame's worker time, for the
      // cost measurement (bench/monitor/cost.ts) and for diagnosis in the e2e spec.
      if (m.type === 'ready') {
        performance.mark('face-monitor-ready', { detail: { backend: m.backend } });
        void grab();
      } else if (m.type === 'analysed') {
        if (watchdog) clearTimeout(watchdog);
        performance.mark('face-monitor-frame', { detail: { ms: m.ms, parts: m.parts ?? null, faces: m.sample?.faces ?? null, t: m.sample?.t ?? null } });
        if (m.sample) o.onSample?.(m.sample, m.ms);
        if (!stopped) timer = setTimeout(() => void grab(), m.nextMs);
      } else if (m.type === 'tell') o.onTell(m.conditions);
      else if (m.type === 'ended' || m.type === 'failed') {
        if (m.type === 'failed') performance.mark('face-monitor-failed', { detail: { reason: m.reason } });
        stop();
      }
    };
    const phone = o.phone ?? PHONE_DEFAULT;
    send({ type: 'start', rules: cfg.rules, reference: cfg.reference, phone, postUrl: o.postUrl ?? '/api/attempt/monitor', sampleHz: cfg.sampleHz });
    if (typeof PerformanceObserver !== 'undefined' && PerformanceObserver.supportedEntryTypes?.includes('longtask')) {
      observer = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) longMs += e.duration;
      });
      observer.observe({ type: 'longtask' });
      busyTimer = setInterval(() => {
        send({ type: 'busy', ms: longMs });
        longMs = 0;
      }, 1000);
    }
  })();

  function stop() {
    if (stopped) return;
    stopped = true;
    if (timer) clearTimeout(timer);
    if (watchdog) clearTimeout(watchdog);
    if (busyTimer) clearInterval(busyTimer);
    observer?.disconnect();
    send({ type: 'stop' });
    // Let the last batch leave before the worker goes.
    const w = worker;
    setTimeout(() => w?.terminate(), 3000);
    video?.pause();
    if (video) video.srcObject = null;
    o.onTell([]);
  }
  return stop;
}
