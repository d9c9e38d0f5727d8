// When the uploader tries again, and how it is woken early (network back, new chunk, stop pressed).

/** A reconnect policy as a small interface, so tests and other apps can plug their own (cf. LiveKit ReconnectPolicy). */
export interface RetryPolicy {
  /** Delay before attempt number `failures + 1`, given `failures` ≥ 1 consecutive failures. */
  delayMs(failures: number): number;
}

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half random. The random half keeps a room of
 * candidates whose network came back at the same moment from retrying in lockstep; the fixed half keeps a
 * minimum pause. Capped, because an offline period of any length must still end with a prompt retry.
 */
export function exponentialBackoff(o: { baseMs?: number; capMs?: number; random?: () => number } = {}): RetryPolicy {
  const base = o.baseMs ?? 500;
  const cap = o.capMs ?? 30_000;
  const random = o.random ?? Math.random;
  return {
    delayMs(failures) {
      const full = Math.min(cap, base * 2 ** Math.min(30, Math.max(0, failures - 1)));
      return full / 2 + random() * (full / 2);
    },
  };
}

/** A sleep that ends early when notify() is called; a notify with nobody sleeping is kept for the next sleep. */
export class Wakeup {
  private wake: (() => void) | null = null;
  private pending = false;

  sleep(ms = Infinity): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = Number.isFinite(ms) ? setTimeout(() => this.fire(), ms) : undefined;
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  notify(): void {
    if (this.wake) this.fire();
    else this.pending = true;
  }

  private fire() {
    const w = this.wake;
    this.wake = null;
    w?.();
  }
}
