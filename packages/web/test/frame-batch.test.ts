// Pushes applied together once per animation frame (apps/proctor/frame-batch.ts), and still applied when a hidden
// tab gets no frames.
import { describe, expect, it } from 'vitest';
import { frameBatch, type FrameClock } from '../src/apps/proctor/frame-batch.ts';

function fakeClock() {
  let next = 1;
  const frames = new Map<number, () => void>();
  const timers = new Map<number, { cb: () => void; at: number }>();
  let now = 0;
  const clock: FrameClock = {
    requestFrame: (cb) => (frames.set(next, cb), next++),
    cancelFrame: (id) => void frames.delete(id),
    setTimeout: (cb, ms) => (timers.set(next, { cb, at: now + ms }), next++) as unknown as ReturnType<typeof setTimeout>,
    clearTimeout: (id) => void timers.delete(id as unknown as number),
  };
  return {
    clock,
    pending: () => frames.size + timers.size,
    frame() {
      const cbs = [...frames.values()];
      frames.clear();
      cbs.forEach((cb) => cb());
    },
    advance(ms: number) {
      now += ms;
      for (const [id, t] of [...timers]) if (t.at <= now && timers.delete(id)) t.cb();
    },
  };
}

describe('a frame batch', () => {
  it('applies everything pushed before a frame once, at that frame, in order', () => {
    const c = fakeClock();
    const applied: number[][] = [];
    const b = frameBatch<number>((xs) => applied.push(xs), { clock: c.clock });
    b.push(1);
    b.push(2);
    b.push(3);
    expect(applied).toEqual([]);
    c.frame();
    expect(applied).toEqual([[1, 2, 3]]);
    expect(c.pending()).toBe(0); // the fallback timer was cleared
    b.push(4);
    c.frame();
    expect(applied).toEqual([[1, 2, 3], [4]]);
  });

  it('applies after maxWaitMs when no frame comes (a hidden tab), and not twice', () => {
    const c = fakeClock();
    const applied: number[][] = [];
    const b = frameBatch<number>((xs) => applied.push(xs), { clock: c.clock, maxWaitMs: 100 });
    b.push(1);
    c.advance(99);
    expect(applied).toEqual([]);
    c.advance(1);
    expect(applied).toEqual([[1]]);
    c.frame();
    expect(applied).toEqual([[1]]);
  });

  it('flush applies what waits at once (before a push of another kind); cancel drops it', () => {
    const c = fakeClock();
    const applied: number[][] = [];
    const b = frameBatch<number>((xs) => applied.push(xs), { clock: c.clock });
    b.flush();
    expect(applied).toEqual([]); // nothing waiting: nothing applied
    b.push(1);
    b.flush();
    expect(applied).toEqual([[1]]);
    expect(c.pending()).toBe(0);
    b.push(2);
    b.cancel();
    c.frame();
    c.advance(1000);
    expect(applied).toEqual([[1]]);
  });
});
