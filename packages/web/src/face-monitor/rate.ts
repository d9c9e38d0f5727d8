// How often the monitor analyses a frame (issue #19): at the nominal rate (the server's sampleHz, 1–2 Hz) while
// analysis is quick, slower as analysis takes longer (the worker spends at most about `duty` of the time analysing,
// so a slow laptop's CPU stays with the answering page), and half as often while the page itself is busy (long
// tasks on the main thread); never below 0.5 Hz. Pure: fed measurements, gives the delay to the next frame.
export interface RateOptions {
  /** Nominal interval (1000 / sampleHz), clamped to 500–1000 ms. */
  minMs?: number;
  /** Slowest interval. */
  maxMs?: number;
  /** Target share of wall time the worker spends analysing. */
  duty?: number;
}

export class AdaptiveRate {
  private ewma: number | null = null;
  private busyUntil = 0;
  readonly minMs: number;
  readonly maxMs: number;
  private readonly duty: number;

  constructor(o: RateOptions = {}) {
    this.minMs = Math.min(1000, Math.max(500, o.minMs ?? 500));
    this.maxMs = o.maxMs ?? 2000;
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
    return now < this.busyUntil ? Math.min(this.maxMs, base * 2) : base;
  }
}
