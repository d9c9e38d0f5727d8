// Browser signals during the exam (page hidden, window blur, PrintScreen, a second monitor, …) and the heartbeat.
// Signals are queued in sessionStorage and sent in batches, so nothing is lost while offline or on reload;
// on page leave the queue goes out with sendBeacon. The server decides what is a flag; we only report.
import { routes, type SignalType } from '@invigil/contracts';
import { ApiError, call, urlOf } from '../../api/client.ts';
import { onMonitorsChange } from '../../devices/index.ts';
import { heartbeat } from './api.ts';
import { serverNow } from './clock.ts';

interface QueuedSignal {
  type: SignalType;
  at: number;
  data: Record<string, unknown>;
}

// Per attempt: a mock and a real session sat in the same tab must not share signals or the network note.
const queueKey = (attemptId: string) => `invigil.signals.${attemptId}`;
const droppedKey = (attemptId: string) => `invigil.networkDropped.${attemptId}`;
const SEND_EVERY_MS = 3000;
const HEARTBEAT_MS = 10_000;

const load = (attemptId: string): QueuedSignal[] => {
  try {
    return JSON.parse(sessionStorage.getItem(queueKey(attemptId)) ?? '[]') as QueuedSignal[];
  } catch {
    return [];
  }
};

/** True when the connection dropped at some point during this attempt (for the honest note on the upload page). */
export const networkDropped = (attemptId: string) => sessionStorage.getItem(droppedKey(attemptId)) === '1';

export interface SignalHooks {
  /** Every reported signal, for a gentle message to the candidate. */
  onSignal: (type: SignalType) => void;
  /** Heartbeat answered: the server's view of the attempt status. */
  onStatus: (status: string) => void;
  /** 401 on heartbeat: another device logged in with this candidate and took over. */
  onTakenOver: () => void;
}

export class SignalReporter {
  private queue: QueuedSignal[];
  private sending = false;
  private online = navigator.onLine;
  private cleanup: Array<() => void> = [];
  private watching: Array<() => void> = [];

  constructor(
    private readonly attemptId: string,
    private readonly hooks: SignalHooks,
  ) {
    this.queue = load(attemptId);
  }

  private save() {
    sessionStorage.setItem(queueKey(this.attemptId), JSON.stringify(this.queue.slice(-1000)));
  }

  report(type: SignalType, data: Record<string, unknown> = {}) {
    this.queue.push({ type, at: Math.round(serverNow()), data });
    this.save();
    this.hooks.onSignal(type);
    void this.flush();
  }

  private on(target: Window | Document, ev: string, fn: (e: Event) => void, bucket: Array<() => void>) {
    target.addEventListener(ev, fn);
    bucket.push(() => target.removeEventListener(ev, fn));
  }

  /** From login to the end: heartbeat (keeps this browser the one live client), connection state, sending. */
  start() {
    const c = this.cleanup;
    this.on(window, 'offline', () => this.connection(false, 'browser-offline'), c);
    this.on(window, 'online', () => this.connection(true, 'browser-online'), c);
    this.on(window, 'pagehide', () => this.leave(), c);
    const flushTimer = setInterval(() => void this.flush(), SEND_EVERY_MS);
    const beatTimer = setInterval(() => void this.beat(), HEARTBEAT_MS);
    c.push(
      () => clearInterval(flushTimer),
      () => clearInterval(beatTimer),
    );
    void this.beat();
    void this.flush();
  }

  /** From 【进入考试】 to the end: what the candidate does with the page, the window, keys and monitors. */
  watch() {
    if (this.watching.length) return;
    const w = this.watching;
    this.on(document, 'visibilitychange', () => this.report(document.visibilityState === 'hidden' ? 'page-hidden' : 'page-visible'), w);
    this.on(window, 'blur', () => this.report('window-blur'), w);
    this.on(window, 'focus', () => this.report('window-focus'), w);
    this.on(
      document,
      'fullscreenchange',
      () => {
        if (!document.fullscreenElement) this.report('fullscreen-exit');
      },
      w,
    );
    // PrintScreen often fires only keyup (Windows grabs keydown); copy/paste events also catch menu use.
    this.on(
      window,
      'keyup',
      (e) => {
        if ((e as KeyboardEvent).key === 'PrintScreen') this.report('key-printscreen');
      },
      w,
    );
    this.on(document, 'copy', () => this.report('key-copy'), w);
    this.on(document, 'paste', () => this.report('key-paste'), w);
    w.push(onMonitorsChange((single) => single === false && this.report('second-monitor')));
  }

  unwatch() {
    this.watching.forEach((c) => c());
    this.watching = [];
  }

  stop() {
    this.unwatch();
    this.cleanup.forEach((c) => c());
    this.cleanup = [];
    void this.flush();
  }

  /** Connection state from both the browser's online flag and whether our requests get through. */
  private connection(up: boolean, cause: string) {
    if (up === this.online) return;
    this.online = up;
    if (!up) sessionStorage.setItem(droppedKey(this.attemptId), '1');
    this.report(up ? 'connection-restored' : 'connection-lost', { cause });
  }

  private leave() {
    // Leaving matters only during the exam; before it, a reload is just a reload.
    if (this.watching.length) this.queue.push({ type: 'page-leave', at: Math.round(serverNow()), data: {} });
    if (!this.queue.length) return;
    const batch = this.queue.slice(0, 100);
    const blob = new Blob([JSON.stringify({ signals: batch })], { type: 'application/json' });
    // sendBeacon survives the page closing; keep the queue in sessionStorage in case it was a reload.
    if (navigator.sendBeacon?.(urlOf(routes.signals, {}), blob)) this.queue = this.queue.slice(batch.length);
    this.save();
  }

  async flush() {
    if (this.sending || this.queue.length === 0) return;
    this.sending = true;
    try {
      while (this.queue.length) {
        const batch = this.queue.slice(0, 100);
        await call(routes.signals, { body: { signals: batch } });
        this.queue = this.queue.slice(batch.length);
        this.save();
      }
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) this.hooks.onTakenOver();
      // Otherwise kept for the next round.
    } finally {
      this.sending = false;
    }
  }

  private async beat() {
    try {
      const h = await heartbeat();
      this.connection(true, 'heartbeat');
      this.hooks.onStatus(h.status);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) this.hooks.onTakenOver();
      else if (e instanceof ApiError && e.code === 'NETWORK') this.connection(false, 'heartbeat-failed');
    }
  }
}

let current: SignalReporter | null = null;

/** The reporter of this page (one per logged-in candidate), for code outside React (e.g. the screen track ending). */
export function setCurrentReporter(r: SignalReporter | null) {
  current = r;
}
export function reportSignal(type: SignalType, data: Record<string, unknown> = {}) {
  current?.report(type, data);
}
