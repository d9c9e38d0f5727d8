// Pushes that arrive within one animation frame are applied together, so a burst of flags costs the console one
// render instead of one per flag (bench/console/latency.ts). A hidden tab gets no frames: after `maxWaitMs` the
// batch is applied anyway, so the tab title's count of open flags keeps up.
export interface FrameBatch<T> {
  push(item: T): void;
  /** Applies what is waiting now (before a push of another kind, which must see these first). */
  flush(): void;
  /** Drops what is waiting (the console is closing). */
  cancel(): void;
}

export interface FrameClock {
  requestFrame(cb: () => void): number;
  cancelFrame(id: number): void;
  setTimeout(cb: () => void, ms: number): ReturnType<typeof setTimeout>;
  clearTimeout(id: ReturnType<typeof setTimeout>): void;
}

const browserClock = (): FrameClock => ({
  requestFrame: (cb) => requestAnimationFrame(cb),
  cancelFrame: (id) => cancelAnimationFrame(id),
  setTimeout: (cb, ms) => setTimeout(cb, ms),
  clearTimeout: (id) => clearTimeout(id),
});

export function frameBatch<T>(apply: (items: T[]) => void, o: { maxWaitMs?: number; clock?: FrameClock } = {}): FrameBatch<T> {
  const clock = o.clock ?? browserClock();
  const maxWaitMs = o.maxWaitMs ?? 100;
  let items: T[] = [];
  let frame: number | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const disarm = () => {
    if (frame !== null) clock.cancelFrame(frame);
    if (timer !== null) clock.clearTimeout(timer);
    frame = timer = null;
  };
  const flush = () => {
    disarm();
    if (!items.length) return;
    const batch = items;
    items = [];
    apply(batch);
  };
  return {
    push(item) {
      items.push(item);
      if (frame === null) {
        frame = clock.requestFrame(flush);
        timer = clock.setTimeout(flush, maxWaitMs);
      }
    },
    flush,
    cancel() {
      disarm();
      items = [];
    },
  };
}
