// A CPU profile of the proctor's page over CDP (the V8 sampling profiler of the renderer), summarised by where the
// main thread's time went: per source file and per function, resolved through the web build's source maps when
// `packages/web/dist` was built with them (`npx vite build packages/web --sourcemap`), else by minified position.
import fs from 'node:fs';
import path from 'node:path';
import type { CDPSession, Page } from '@playwright/test';
import { SourceMapConsumer, type RawSourceMap } from 'source-map-js';
import { ROOT } from '../../e2e/helpers/server.ts';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface CpuProfile {
  nodes: Array<{ id: number; callFrame: CallFrame }>;
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export async function startCpuProfile(page: Page): Promise<{ stop(file: string): Promise<string> }> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
  return {
    async stop(file: string) {
      const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
      fs.writeFileSync(file, JSON.stringify(profile));
      return summarise(profile);
    },
  };
}

const maps = new Map<string, SourceMapConsumer | null>();
function mapFor(url: string): SourceMapConsumer | null {
  if (!maps.has(url)) {
    const m = /\/assets\/[^/?#]+\.js/.exec(url);
    const file = m && path.join(ROOT, 'packages/web/dist', m[0] + '.map');
    maps.set(url, file && fs.existsSync(file) ? new SourceMapConsumer(JSON.parse(fs.readFileSync(file, 'utf8')) as RawSourceMap) : null);
  }
  return maps.get(url)!;
}

/** Where a frame is: the original source file (node_modules package or src/ path) and function, if mapped. */
function where(f: CallFrame): { file: string; fn: string } {
  if (!f.url) return { file: f.functionName || '(native)', fn: f.functionName || '(native)' };
  const map = mapFor(f.url);
  const pos = map?.originalPositionFor({ line: f.lineNumber + 1, column: f.columnNumber });
  if (!pos?.source) return { file: path.basename(f.url), fn: `${f.functionName || '(anonymous)'} @${f.lineNumber + 1}:${f.columnNumber}` };
  const src = pos.source.replace(/^.*node_modules\//, 'node_modules/').replace(/^.*packages\/web\//, '');
  const pkg = src.startsWith('node_modules/')
    ? src
        .split('/')
        .slice(0, src.split('/')[1]!.startsWith('@') ? 3 : 2)
        .join('/')
    : src;
  return { file: pkg, fn: `${f.functionName || pos.name || '(anonymous)'} ${src}:${pos.line}` };
}

export function summarise(p: CpuProfile): string {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i + 1] ?? 0) / 1000);
  const files = new Map<string, number>();
  const fns = new Map<string, number>();
  let total = 0;
  for (const [id, ms] of self) {
    const w = where(byId.get(id)!.callFrame);
    if (w.file === '(idle)') continue;
    total += ms;
    files.set(w.file, (files.get(w.file) ?? 0) + ms);
    fns.set(w.fn, (fns.get(w.fn) ?? 0) + ms);
  }
  const span = (p.endTime - p.startTime) / 1000;
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, ms]) => `  ${ms.toFixed(0).padStart(7)} ms  ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${k}`)
      .join('\n');
  return `main thread busy (JS, GC, native; sampled): ${total.toFixed(0)} ms of ${span.toFixed(0)} ms (${((100 * total) / span).toFixed(1)} %)\nby file (self time):\n${top(files, 15)}\nby function (self time):\n${top(fns, 25)}`;
}
