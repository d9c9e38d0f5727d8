// How often the monitor analyses a frame (issue #19): 2 Hz on an idle machine, down to 1 Hz as analysis gets
// slower (the worker spends at most about a quarter of the time analysing), and down to 0.5 Hz while the page is
// busy (long tasks on the main thread) so the answering page keeps priority. Pure: fed measurements, gives the
// delay to the next frame.
export interface RateOptions {
  minMs?: number;
  maxMs?: number;
  busyMaxMs?: number;
  /** Target share of wall time the worker spends analysing. */
  duty?: number;
}

export class AdaptiveRate {
  private ewma: number | null = null;
  private busyUntil = 0;
  readonly minMs: number;
  readonly maxMs: number;
  readonly busyMaxMs: number;
  private readonly duty: number;

  constructor(o: RateOptions = {}) {
    this.minMs = o.minMs ?? 500;
    this.maxMs = o.maxMs ?? 1000;
    this.busyMaxMs = o.busyMaxMs ?? 2000;
    this.duty = o.duty ?? 0.25;
  }

  /** One frame took `ms` to analyse. */
  analysed(ms: number) {
    this.ewma = this.ewma === null ? ms : 0.7 * this.ewma + 0.3 * ms;
  }

  /** The main thread had long tasks totalling `ms` in the last second (PerformanceObserver 'longtask'). */
  busy(now: number, ms: number) {
    if (ms >= 100) this.busyUntil = now + 5000;
  }

  /** Delay from the start of this frame's analysis to the next frame. */
  intervalMs(now: number): number {
    const base = Math.min(this.maxMs, Math.max(this.minMs, (this.ewma ?? 0) / this.duty));
    return now < this.busyUntil ? Math.min(this.busyMaxMs, base * 2) : base;
  }
}
