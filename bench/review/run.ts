// Review bench (issue #16): the examiner's review page of a long three-stream attempt, against the same files
// served by a minimal static file server, in the same run (ratios), plus the server's RSS while 20 clients stream.
//   node --import tsx bench/review/run.ts [--minutes 25] [--seeks 20] [--clients 20]
// See README.md for what is measured and why.
import { createHash } from 'node:crypto';
import { execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from '@playwright/test';
import { launch } from '../../e2e/helpers/browser.ts';
import { TestServer } from '../../e2e/helpers/server.ts';
import { ensureWebBuild } from '../../e2e/helpers/web-build.ts';

const { values: opt } = parseArgs({
  options: {
    minutes: { type: 'string', default: '25' },
    seeks: { type: 'string', default: '20' },
    clients: { type: 'string', default: '20' },
    loads: { type: 'string', default: '5' },
    trace: { type: 'boolean', default: false },
  },
});
const MINUTES = Number(opt.minutes);
const SEEKS = Number(opt.seeks);
const CLIENTS = Number(opt.clients);
const LOADS = Math.max(1, Number(opt.loads));
const STREAMS = ['camera', 'screen', 'phone'] as const;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'invigil-bench-review-'));

// 1. Three WebM files as the recorder makes them (VP8 + Opus for camera and phone, VP8 for the screen).
const seconds = Math.round(MINUTES * 60);
const files: Record<string, string> = {};
for (const [i, s] of STREAMS.entries()) {
  files[s] = path.join(dir, `${s}.webm`);
  const audio = s === 'screen' ? [] : ['-f', 'lavfi', '-i', `sine=frequency=${440 + i * 110}:sample_rate=48000`];
  const size = s === 'screen' ? '1280x720' : '640x480';
  execFileSync('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    '-f',
    'lavfi',
    '-i',
    `testsrc=size=${size}:rate=15`,
    ...audio,
    '-t',
    String(seconds),
    '-c:v',
    'libvpx',
    '-b:v',
    '300k',
    '-deadline',
    'realtime',
    '-cpu-used',
    '8',
    '-g',
    '60',
    ...(audio.length ? ['-c:a', 'libopus'] : []),
    '-f',
    'webm',
    files[s]!,
  ]);
}
const sizes = Object.fromEntries(STREAMS.map((s) => [s, fs.statSync(files[s]!).size]));
console.log(`files: ${seconds} s each, ${STREAMS.map((s) => `${s} ${(sizes[s]! / 1e6).toFixed(1)} MB`).join(', ')}`);

// 2. The real server, a demo session, the three files uploaded through the recording protocol and assembled.
ensureWebBuild();
const server = await TestServer.start({ LOG_LEVEL: 'error' });
const demo = server.seedDemo({ startsIn: 2, duration: 3600, candidates: 1, face: false, proof: false });
const pid = (server as unknown as { child: ChildProcess }).child.pid!;
const base = server.baseUrl;
async function call(method: string, url: string, cookie?: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(base + url, {
    method,
    headers: { ...(cookie ? { cookie } : {}), ...(body !== undefined && !Buffer.isBuffer(body) ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return res;
}
const cookieOf = (res: Response) => res.headers.getSetCookie()[0]!.split(';')[0]!;
const c = demo.candidates[0]!;
const desk = cookieOf(await call('POST', '/api/auth/candidate-login', undefined, { idNumber: c.idNumber, ticket: c.ticket, clientId: 'bench-review-1' }));
const attemptId = (await (await call('GET', '/api/auth/me', desk)).json()).attemptId as string;
const code = (await (await call('POST', '/api/proof/bind-code', desk)).json()).code as string;
const phone = cookieOf(await call('POST', '/api/proof/bind', undefined, { code }, { 'user-agent': 'Mozilla/5.0 (Linux; Android 14; Pixel 7) Mobile' }));
const startAt = Date.now() - seconds * 1000 - 60_000;
for (const s of STREAMS) {
  const who = s === 'phone' ? phone : desk;
  const rec = (await (await call('POST', `/api/attempts/${attemptId}/recordings`, who, { stream: s, mimeType: 'video/webm;codecs=vp8,opus' })).json()) as { id: string };
  const body = fs.readFileSync(files[s]!);
  const n = Math.max(1, Math.ceil(body.length / (8 * 1024 * 1024)));
  const per = Math.round((seconds * 1000) / n);
  for (let i = 0; i < n; i++) {
    const chunk = body.subarray(Math.floor((i * body.length) / n), Math.floor(((i + 1) * body.length) / n));
    await call('PUT', `/api/recordings/${rec.id}/segments/${i}`, who, chunk, {
      'content-type': 'application/octet-stream',
      'x-segment-sha256': createHash('sha256').update(chunk).digest('hex'),
      'x-segment-run': '0',
      'x-segment-recorded-at': String(startAt + (i + 1) * per),
      'x-segment-duration-ms': String(per),
    });
  }
  await call('POST', `/api/recordings/${rec.id}/finalize`, who, { lastSeq: n - 1 });
}
const exam = cookieOf(await call('POST', '/api/auth/login', undefined, demo.examiner));
const panelId = ((await (await call('GET', '/api/review/panels', exam)).json()) as Array<{ panelId: string }>)[0]!.panelId;
const reviewUrl = `/review/panels/${panelId}/${c.anonymousNumber}`;
// Finalize answers once every segment is verified; assembly is a background job. Wait until examiners see all three.
for (const until = Date.now() + 30 * 60_000; ;) {
  const a = (await (await call('GET', `/api/review/panels/${panelId}/candidates/${c.anonymousNumber}`, exam)).json()) as { streams: Array<{ available: boolean }> };
  if (a.streams.filter((s) => s.available).length === 3) break;
  if (Date.now() > until) throw new Error('recordings not assembled after 30 min');
  await new Promise((r) => setTimeout(r, 500));
}

// 3. The same files from a minimal static server (Range, streamed from disk): the baseline.
const staticServer = http.createServer((req, res) => {
  const name = (req.url ?? '/').slice(1);
  if (name === '' || name === 'index.html') {
    res.setHeader('content-type', 'text/html');
    return res.end(
      `<!doctype html><body style="margin:0;display:grid;grid-template-columns:repeat(3,1fr)">${STREAMS.map((s) => `<video data-stream="${s}" src="/${s}.webm" preload="metadata" muted playsinline style="width:100%"></video>`).join('')}</body>`,
    );
  }
  const file = path.join(dir, path.basename(name));
  if (!fs.existsSync(file)) return res.writeHead(404).end();
  const size = fs.statSync(file).size;
  const m = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
  res.setHeader('accept-ranges', 'bytes');
  res.setHeader('content-type', 'video/webm');
  if (!m) return (res.writeHead(200, { 'content-length': size }), fs.createReadStream(file).pipe(res));
  const start = m[1] ? Number(m[1]) : size - Number(m[2]);
  const end = m[1] && m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
  res.writeHead(206, { 'content-range': `bytes ${start}-${end}/${size}`, 'content-length': end - start + 1 });
  fs.createReadStream(file, { start, end }).pipe(res);
});
await new Promise<void>((r) => staticServer.listen(0, '127.0.0.1', r));
const staticBase = `http://127.0.0.1:${(staticServer.address() as { port: number }).port}`;

// 4. Headless Chromium: first frame of all three videos, then SEEKS seeks to random points (same points on both).
const allShowing = () =>
  [...document.querySelectorAll('video[data-stream]')].length === 3 &&
  [...document.querySelectorAll('video[data-stream]')].every((v) => !(v as HTMLVideoElement).seeking && (v as HTMLVideoElement).readyState >= 2);
const browser = await launch();
const points = Array.from({ length: SEEKS }, (_, i) => ((i * 7919) % 997) / 997); // spread, repeatable
/** Time from `goto` until all three videos show a frame, in a fresh context (no HTTP cache, no warm page). */
async function firstFrame(newPage: () => Promise<Page>, url: string, trace: boolean) {
  const page = await newPage();
  const t0 = Date.now();
  const log: string[] = [];
  if (trace) {
    page.on('request', (r) => log.push(`${String(Date.now() - t0).padStart(5)} ms → ${r.method()} ${r.url().replace(/^https?:\/\/[^/]+/, '')} ${r.headers().range ?? ''}`));
    page.on('requestfinished', (r) => log.push(`${String(Date.now() - t0).padStart(5)} ms ← ${r.url().replace(/^https?:\/\/[^/]+/, '')}`));
  }
  await page.goto(url);
  await page.waitForFunction(allShowing, null, { polling: 'raf', timeout: 60_000 });
  const ms = Date.now() - t0;
  if (trace) console.log(`trace of ${url} (first frame ${ms} ms):\n  ${log.join('\n  ')}`);
  return { page, ms };
}
async function seeks(page: Page, seekTo: (f: number) => Promise<void>) {
  const out: number[] = [];
  for (const f of points) {
    const s0 = Date.now();
    await seekTo(f);
    await page.waitForFunction(allShowing, null, { polling: 'raf', timeout: 30_000 });
    out.push(Date.now() - s0);
  }
  return out;
}
const invigilPage = async () => {
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: base });
  await ctx.addCookies([{ name: 'invigil_sid', value: exam.split('=')[1]!, url: base }]);
  return ctx.newPage();
};
const staticPage = async () => (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
// First frame: LOADS fresh page loads of each, alternating which goes first, after one unmeasured load of each
// (the browser's first page pays for starting a renderer and the media stack, which is neither side's cost).
await (await firstFrame(invigilPage, base + reviewUrl, false)).page.context().close();
await (await firstFrame(staticPage, `${staticBase}/`, false)).page.context().close();
const ff = { invigil: [] as number[], baseline: [] as number[] };
let pageA: Page | undefined;
let pageB: Page | undefined;
for (let i = 0; i < LOADS; i++) {
  const last = i === LOADS - 1;
  const order = i % 2 === 0 ? (['invigil', 'baseline'] as const) : (['baseline', 'invigil'] as const);
  for (const side of order) {
    const r = side === 'invigil' ? await firstFrame(invigilPage, base + reviewUrl, opt.trace && i === 0) : await firstFrame(staticPage, `${staticBase}/`, false);
    ff[side].push(r.ms);
    if (!last) await r.page.context().close();
    else if (side === 'invigil') pageA = r.page;
    else pageB = r.page;
  }
}
// Seeks on the last loaded page of each: Invigil through the player's slider (one click, as an examiner would),
// the baseline by setting currentTime on the three videos.
const seekA = await seeks(pageA!, async (f) => {
  const rail = (await pageA!.locator('.sync-player .ant-slider').boundingBox())!;
  await pageA!.mouse.click(rail.x + 6 + f * (rail.width - 12), rail.y + rail.height / 2);
});
const seekB = await seeks(pageB!, (f) => pageB!.evaluate((x) => document.querySelectorAll('video').forEach((v) => (v.currentTime = x * v.duration)), f));
const invigil = { name: 'Invigil /review', firstFrame: median(ff.invigil), loads: ff.invigil, seekMedian: median(seekA), seekMax: Math.max(...seekA) };
const baseline = { name: 'static files', firstFrame: median(ff.baseline), loads: ff.baseline, seekMedian: median(seekB), seekMax: Math.max(...seekB) };
await browser.close();

// 5. RSS while CLIENTS clients stream the camera file at once, in 1 MiB ranges as a player does.
const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
const streamUrl = `${base}/api/review/panels/${panelId}/candidates/${c.anonymousNumber}/streams/camera`;
// The assembled file (a remux), not the source file, is what the server streams: its size from a one-byte range.
const probe = await fetch(streamUrl, { headers: { cookie: exam, range: 'bytes=0-0' } });
const assembled = Number(/\/(\d+)$/.exec(probe.headers.get('content-range') ?? '')?.[1]);
await probe.arrayBuffer();
const before = rssMb();
let peak = before;
const sampler = setInterval(() => (peak = Math.max(peak, rssMb())), 100);
const t0 = Date.now();
let bytes = 0;
await Promise.all(
  Array.from({ length: CLIENTS }, async () => {
    for (let at = 0; at < assembled; at += 1 << 20) {
      const r = await fetch(streamUrl, { headers: { cookie: exam, range: `bytes=${at}-${Math.min(assembled, at + (1 << 20)) - 1}` } });
      if (r.status !== 206) throw new Error(`range at ${at}: ${r.status}`);
      bytes += (await r.arrayBuffer()).byteLength;
    }
  }),
);
clearInterval(sampler);
const after = rssMb();

console.log(`\n| page | first frame (all 3), median of ${LOADS} loads | loads | seek median | seek max |\n|---|---|---|---|---|`);
for (const r of [invigil, baseline]) console.log(`| ${r.name} | ${r.firstFrame} ms | ${r.loads.join(', ')} | ${r.seekMedian} ms | ${r.seekMax} ms |`);
console.log(`\nratios Invigil / static: first frame ×${(invigil.firstFrame / baseline.firstFrame).toFixed(2)}, seek median ×${(invigil.seekMedian / baseline.seekMedian).toFixed(2)}`);
console.log(`targets: first frame ≤ 1000 ms ${invigil.firstFrame <= 1000 ? 'met' : 'NOT met'}; seek median ≤ 300 ms ${invigil.seekMedian <= 300 ? 'met' : 'NOT met'}`);
console.log(
  `server RSS with ${CLIENTS} clients streaming ${(bytes / 1e6).toFixed(1)} MB in ${((Date.now() - t0) / 1000).toFixed(1)} s: before ${before.toFixed(0)} MB, peak ${peak.toFixed(0)} MB, after ${after.toFixed(0)} MB → growth ${(peak - before).toFixed(0)} MB (target ± 50 MB: ${peak - before <= 50 ? 'met' : 'NOT met'})`,
);
staticServer.close();
await server.stop();
fs.rmSync(dir, { recursive: true, force: true });
