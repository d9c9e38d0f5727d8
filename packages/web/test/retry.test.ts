// The retry policy and the wakeable sleep the uploader is built on.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { exponentialBackoff, Wakeup } from '../src/media/retry.ts';

afterEach(() => vi.useRealTimers());

describe('exponentialBackoff', () => {
  it('doubles from the base, half fixed and half random, and stops growing at the cap', () => {
    const low = exponentialBackoff({ baseMs: 500, capMs: 30_000, random: () => 0 });
    const high = exponentialBackoff({ baseMs: 500, capMs: 30_000, random: () => 0.999999 });
    expect([1, 2, 3, 4].map((f) => low.delayMs(f))).toEqual([250, 500, 1000, 2000]);
    expect(high.delayMs(1)).toBeCloseTo(500, 2);
    expect(low.delayMs(20)).toBe(15_000);
    expect(high.delayMs(20)).toBeCloseTo(30_000, 1);
  });

  it('an offline period of any length still ends with a prompt retry (no overflow, never above the cap)', () => {
    const p = exponentialBackoff();
    for (const failures of [100, 10_000, Number.MAX_SAFE_INTEGER]) {
      const d = p.delayMs(failures);
      expect(Number.isFinite(d)).toBe(true);
      expect(d).toBeLessThanOrEqual(30_000);
      expect(d).toBeGreaterThanOrEqual(15_000);
    }
  });
});

describe('Wakeup', () => {
  it('ends a sleep early on notify', async () => {
    vi.useFakeTimers();
    const w = new Wakeup();
    let done = false;
    void w.sleep(60_000).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(1000);
    expect(done).toBe(false);
    w.notify();
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(true);
  });

  it('keeps a notify that came while nobody slept for the next sleep (a chunk added during an upload is not missed)', async () => {
    const w = new Wakeup();
    w.notify();
    await w.sleep(); // would hang forever if the notify were lost
    let done = false;
    void w.sleep(50).then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false); // the pending notify was used once, not kept forever
  });

  it('wakes by itself after the delay', async () => {
    vi.useFakeTimers();
    const w = new Wakeup();
    let done = false;
    void w.sleep(5000).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(4999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
  });
});
