// What the console bench measures inside the proctor's page: frame intervals (requestAnimationFrame), long tasks,
// thumbnail updates of the tiles; and, from outside, the renderer's main-thread time over CDP. Kept apart from
// run.ts because these functions run in the browser (page.evaluate) and must not close over Node values.
import type { CDPSession, Page } from '@playwright/test';

export interface PageFigures {
  /** ms between consecutive animation frames. */
  frames: number[];
  /** Durations (ms) of tasks over 50 ms on the page's main thread. */
  longTasks: number[];
  /** A tile's <img> got a new src (or appeared): React committed a new thumbnail. */
  srcChanges: number;
  /** A tile's <img> finished loading: the new thumbnail was decoded and can be painted. */
  loads: number;
  /** A tile's <img> failed to load (e.g. its blob URL revoked first): the tile shows a broken image. */
  errors: number;
}

type Probe = { stop(): PageFigures };

/** Starts recording in the page; collect() stops it and returns the figures. */
export async function startProbe(page: Page): Promise<{ collect(): Promise<PageFigures> }> {
  // tsx (esbuild, keepNames) wraps the named functions below in __name(), which exists in Node but not the page.
  await page.evaluate('globalThis.__name ??= (f) => f');
  await page.evaluate(() => {
    // Zero long tasks must mean none happened, not that this browser cannot report them.
    if (!PerformanceObserver.supportedEntryTypes.includes('longtask')) throw new Error('no longtask entries in this browser');
    const f = { frames: [] as number[], longTasks: [] as number[], srcChanges: 0, loads: 0, errors: 0 };
    let running = true;
    let last = 0;
    const tick = (t: number) => {
      if (!running) return;
      if (last) f.frames.push(t - last);
      last = t;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const long = new PerformanceObserver((list) => list.getEntries().forEach((e) => f.longTasks.push(e.duration)));
    long.observe({ type: 'longtask' });
    const inTile = (n: Node) => n instanceof HTMLImageElement && !!n.closest('[data-testid="tile"]');
    const mutations = new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === 'attributes' && inTile(r.target)) f.srcChanges++;
        // A tile's first thumbnail replaces its placeholder icon: a new <img>, not a src change.
        if (r.type === 'childList') r.addedNodes.forEach((n) => inTile(n) && f.srcChanges++);
      }
    });
    mutations.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['src'] });
    // 'load' does not bubble; a capturing listener on the document sees every image's.
    const onLoad = (e: Event) => inTile(e.target as Node) && f.loads++;
    const onError = (e: Event) => inTile(e.target as Node) && f.errors++;
    document.addEventListener('load', onLoad, true);
    document.addEventListener('error', onError, true);
    (window as unknown as { benchProbe: Probe }).benchProbe = {
      stop() {
        running = false;
        long.disconnect();
        mutations.disconnect();
        document.removeEventListener('load', onLoad, true);
        document.removeEventListener('error', onError, true);
        return f;
      },
    };
  });
  return { collect: () => page.evaluate(() => (window as unknown as { benchProbe: Probe }).benchProbe.stop()) };
}

/** Renderer main-thread busy time, in seconds since the page opened (CDP Performance domain). */
export async function rendererTimes(cdp: CDPSession): Promise<{ task: number; script: number; layout: number; style: number }> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const m = (name: string) => metrics.find((x) => x.name === name)?.value ?? 0;
  return { task: m('TaskDuration'), script: m('ScriptDuration'), layout: m('LayoutDuration'), style: m('RecalcStyleDuration') };
}

/**
 * How the grid looks now: tiles, tiles whose thumbnail is decoded, still loading or broken, and pairs of tiles
 * whose boxes overlap.
 */
export function gridLayout(page: Page): Promise<{ tiles: number; decoded: number; loading: number; broken: number; overlapping: number; columns: number }> {
  return page.evaluate(() => {
    const tiles = [...document.querySelectorAll<HTMLElement>('[data-testid="tile"]')];
    const boxes = tiles.map((t) => t.getBoundingClientRect());
    let overlapping = 0;
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i]!, boxes[j]!];
        if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) overlapping++;
      }
    const imgs = tiles.map((t) => t.querySelector<HTMLImageElement>('img[data-testid="tile-thumb"]')).filter((i) => i !== null);
    const decoded = imgs.filter((i) => i.complete && i.naturalWidth > 0).length;
    const loading = imgs.filter((i) => !i.complete).length;
    const columns = new Set(boxes.map((b) => Math.round(b.left))).size;
    return { tiles: tiles.length, decoded, loading, broken: imgs.length - decoded - loading, overlapping, columns };
  });
}
