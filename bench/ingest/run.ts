// Ingest benchmark: how fast does Invigil take recording segments, compared with the least a Node server
// must do (minimal-server.ts) and with the disk itself? See README.md.
//   node --import tsx bench/ingest/run.ts [--candidates 300] [--seconds 15] [--saturation-seconds 8] [--concurrency 64] [--rounds 2]
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { seedCandidates, countStoredOf } from './fixtures.ts';
import { percentile, runLoad, type LoadResult } from './load.ts';
import { sampleProcess, startServer, type ThreadShare } from './proc.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    candidates: { type: 'string', default: '300' },
    seconds: { type: 'string', default: '15' },
    'saturation-seconds': { type: 'string', default: '8' },
    concurrency: { type: 'string', default: '64' },
    rounds: { type: 'string', default: '2' },
    'log-level': { type: 'string', default: 'warn' },
    'keep-data': { type: 'boolean', default: false },
    'no-wait': { type: 'boolean', default: false },
  },
});
const N = Number(values.candidates);
const SECONDS = Number(values.seconds);
const SAT_SECONDS = Number(values['saturation-seconds']);
const CONCURRENCY = Number(values.concurrency);
const ROUNDS = Number(values.rounds);
// fsync runs on libuv's thread pool (4 threads by default): more threads let more segments be made durable at once.
const SERVER_ENV = { UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? '16', LOG_LEVEL: values['log-level']!, NODE_ENV: 'production' };

// A run deletes ~200,000 segment files when it ends. On ext4 without a journal (this machine's disk), creating a
// file then skips every inode deleted in the last 60–360 s (the kernel's recently_deleted()): profiled (perf) in a
// run started right after the previous one's cleanup, that scan took ~25 % of the server's CPU and p99 went from
// 0.1 to 6 s. So a run started soon after another one's cleanup waits, rather than measure the last run's deletes.
const CLEANED = path.join(os.tmpdir(), 'invigil-bench-cleaned-up');
const QUIET_MS = 360_000;
const sinceCleanup = Date.now() - (fs.statSync(CLEANED, { throwIfNoEntry: false })?.mtimeMs ?? 0);
if (sinceCleanup < QUIET_MS && !values['no-wait']) {
  console.log(
    `The previous bench run deleted its files ${(sinceCleanup / 1000).toFixed(0)} s ago; new files cost more on this disk until the kernel forgets them (see run.ts). Waiting ${((QUIET_MS - sinceCleanup) / 1000).toFixed(0)} s (--no-wait to skip)…`,
  );
  for (let left = QUIET_MS - sinceCleanup; left > 0; left -= 30_000) {
    await new Promise((r) => setTimeout(r, Math.min(30_000, left)));
    if (left > 30_000) console.log(`  ${((left - 30_000) / 1000).toFixed(0)} s left`);
  }
}
const dataDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'invigil-bench-'));
const mb = (b: number) => b / 1e6;

interface Row {
  name: string;
  load: LoadResult;
  cpu: number;
  rss: number;
}

/** Ack p99 of the requests sent in each 4 s of the window: a start-up burst that drains looks different from a server that never keeps up. */
function windows(load: LoadResult, every = 4000): string[] {
  const buckets: number[][] = [];
  load.sentAtMs.forEach((t, i) => (buckets[Math.floor(t / every)] ??= []).push(load.latenciesMs[i]!));
  return [...buckets].map(
    (b, i) =>
      `${(i * every) / 1000}s ${
        b
          ? percentile(
              b.sort((x, y) => x - y),
              99,
            ).toFixed(0)
          : '–'
      }`,
  );
}

function summarize(name: string, load: LoadResult, sample: { cpuPercent: number; peakRssMb: number; threads: ThreadShare[] }, timeline = false): Row {
  const l = [...load.latenciesMs].sort((a, b) => a - b);
  const line = [
    name.padEnd(28),
    `${(load.acked / load.seconds).toFixed(0).padStart(6)} seg/s`,
    `${mb(load.bytes / load.seconds)
      .toFixed(1)
      .padStart(7)} MB/s`,
    `ack p50 ${percentile(l, 50).toFixed(0).padStart(5)} ms`,
    `p99 ${percentile(l, 99).toFixed(0).padStart(5)} ms`,
    `server CPU ${sample.cpuPercent.toFixed(0).padStart(4)} %`,
    `${((sample.cpuPercent * 10 * load.seconds) / Math.max(1, load.acked)).toFixed(2)} CPU-ms/seg`,
    `RSS ${sample.peakRssMb.toFixed(0).padStart(4)} MB`,
    `load generator CPU ${load.clientCpuPercent.toFixed(0).padStart(3)} %`,
    load.failed ? `FAILED ${load.failed}: ${[...load.errors].map(([k, v]) => `${v}× ${k}`).join('; ')}` : '',
  ];
  console.log(line.join('  '));
  if (timeline) {
    console.log(`${''.padEnd(28)}  p99 by sending time: ${windows(load).join(' · ')}`);
    // Where the server's CPU went, % of one core (user + system): the first thing to look at when p99 grows.
    const shares = [...sample.threads].sort((a, b) => b.user + b.sys - (a.user + a.sys));
    console.log(
      `${''.padEnd(28)}  CPU by thread: ${shares.map((t) => `${t.group}${t.threads > 1 ? ` ×${t.threads}` : ''} ${(t.user + t.sys).toFixed(0)} % (${t.user.toFixed(0)} user + ${t.sys.toFixed(0)} sys)`).join(' · ')}`,
    );
  }
  return { name, load, cpu: sample.cpuPercent, rss: sample.peakRssMb };
}

/** dd-like: write 512 MiB sequentially in 1 MiB blocks, fsync at the end. */
async function diskBaseline(): Promise<number> {
  const file = path.join(dataDir, 'dd.bin');
  const block = Buffer.alloc(1024 * 1024, 7);
  const t0 = performance.now();
  const fh = await fsp.open(file, 'w');
  for (let i = 0; i < 512; i++) await fh.write(block);
  await fh.sync();
  await fh.close();
  const mbps = mb(512 * block.length) / ((performance.now() - t0) / 1000);
  await fsp.rm(file);
  console.log(`${'raw disk (sequential, fsync)'.padEnd(28)}  ${mbps.toFixed(1).padStart(7)} MB/s`);
  return mbps;
}

async function measure(name: string, entry: string, env: Record<string, string>, candidates: { attemptId: string; cookie: string; phoneCookie?: string }[], paced: boolean, seconds: number) {
  const server = await startServer(entry, { ...SERVER_ENV, ...env });
  try {
    // The sample starts after the recordings are opened: only segment uploads are measured.
    let sample: ReturnType<typeof sampleProcess> | null = null;
    const load = await runLoad({ base: server.base, candidates, seconds, paced, concurrency: CONCURRENCY, onStart: () => (sample = sampleProcess(server.child.pid!)) });
    return summarize(name, load, sample!.stop(), paced);
  } finally {
    await server.stop();
  }
}

console.log(`Invigil ingest bench: ${N} candidates × 3 streams (camera 530, screen 330, phone 530 kbps; 2–4 s segments), ${os.availableParallelism()} cores, data in ${dataDir}\n`);
const disk = await diskBaseline();

// Each Invigil phase gets its own data dir, so the paced run starts from empty recordings like a real session.
const pacedDir = path.join(dataDir, 'invigil-paced');
const candidates = await seedCandidates(path.join(pacedDir, 'invigil.db'), N);
const satCandidates = candidates.slice(0, Math.ceil(CONCURRENCY / 3)); // the minimal server ignores who calls
const satDbs: string[] = [];

// Two baselines: the one the issue defines (fsync before the answer) and the same minimal server keeping
// Invigil's promise for segments (answer once written, fsync right after: 'soon' durability, see blob/port.ts).
const MINIMAL = path.join(here, 'minimal-server.ts');
const minimal = (label: string, dir: string, sync: 'before' | 'after', cands: typeof candidates, paced: boolean, seconds: number) =>
  measure(label, MINIMAL, { DATA_DIR: dir, MINIMAL_SYNC: sync }, cands, paced, seconds);
const LABEL = { before: 'minimal, fsync then answer', after: 'minimal, answer then fsync' } as const;

// The machine may be shared: alternate the servers and compare within each round, rather than trust one run.
console.log(`\nSaturation (${CONCURRENCY} streams uploading back to back, ${SAT_SECONDS} s, ${ROUNDS} alternating rounds):`);
const satRounds: { before: Row; after: Row; inv: Row }[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const before = await minimal(LABEL.before, path.join(dataDir, `minimal-before-${r}`), 'before', satCandidates, false, SAT_SECONDS);
  const after = await minimal(LABEL.after, path.join(dataDir, `minimal-after-${r}`), 'after', satCandidates, false, SAT_SECONDS);
  // Each round continues the same recordings: segments already stored would be duplicates, so use fresh ones.
  const satDir = path.join(dataDir, `invigil-saturation-${r}`);
  const cands = await seedCandidates(path.join(satDir, 'invigil.db'), Math.ceil(CONCURRENCY / 3));
  const inv = await measure('Invigil', path.join(here, 'invigil-server.ts'), { DATA_DIR: satDir }, cands, false, SAT_SECONDS);
  satDbs.push(path.join(satDir, 'invigil.db'));
  satRounds.push({ before, after, inv });
}

console.log(`\nPaced (${N} candidates in real time, ${SECONDS} s):`);
const pacedBefore = await minimal(LABEL.before, path.join(dataDir, 'minimal-before'), 'before', candidates, true, SECONDS);
const pacedAfter = await minimal(LABEL.after, path.join(dataDir, 'minimal-after'), 'after', candidates, true, SECONDS);
const invPaced = await measure('Invigil', path.join(here, 'invigil-server.ts'), { DATA_DIR: pacedDir }, candidates, true, SECONDS);

let stored = await countStoredOf(path.join(pacedDir, 'invigil.db'), invPaced.load.ackedKeys);
for (const [i, f] of satDbs.entries()) stored += await countStoredOf(f, satRounds[i]!.inv.load.ackedKeys);
const acked = invPaced.load.acked + satRounds.reduce((n, p) => n + p.inv.load.acked, 0);
const failed = invPaced.load.failed + satRounds.reduce((n, p) => n + p.inv.load.failed, 0);
const rate = (r: Row) => r.load.bytes / r.load.seconds / 1e6;
const median = (xs: number[]) => (xs.length % 2 ? xs[(xs.length - 1) / 2]! : (xs[xs.length / 2 - 1]! + xs[xs.length / 2]!) / 2);
const cpuPerSeg = (r: Row) => (r.cpu * 10 * r.load.seconds) / Math.max(1, r.load.acked);
const ratios = (base: 'before' | 'after') => satRounds.map((p) => rate(p.inv) / rate(p[base])).sort((a, b) => a - b);
const ratioLine = (base: 'before' | 'after') =>
  `${ratios(base)
    .map((x) => x.toFixed(2))
    .join(', ')} (median ${median(ratios(base)).toFixed(2)})`;
const cpuRatio = (base: 'before' | 'after') => (satRounds.reduce((n, p) => n + cpuPerSeg(p.inv), 0) / satRounds.reduce((n, p) => n + cpuPerSeg(p[base]), 0)).toFixed(2);
const p99 = (r: Row) =>
  percentile(
    [...r.load.latenciesMs].sort((a, b) => a - b),
    99,
  ).toFixed(0);
const bestInv = Math.max(...satRounds.map((p) => rate(p.inv)));
// --rounds 0 measures paced load only: no saturation ratios to print then.
const saturationLines = ROUNDS
  ? [
      `Invigil / ${LABEL.before}, MB/s at saturation: ${ratioLine('before')}   target ≥ 0.80`,
      `Invigil / ${LABEL.after}, MB/s at saturation: ${ratioLine('after')}`,
      `Server CPU per segment, Invigil / the two minimal servers: ${cpuRatio('before')}, ${cpuRatio('after')}`,
      `Invigil (best round) / raw disk: ${(bestInv / disk).toFixed(2)}`,
    ]
  : [];
console.log(
  [
    '',
    ...saturationLines,
    `Paced, ${N} candidates, ack p99: Invigil ${p99(invPaced)} ms (target < 1000 ms with ≥ 1000 candidates); ${LABEL.before} ${p99(pacedBefore)} ms; ${LABEL.after} ${p99(pacedAfter)} ms`,
    `Every acknowledged segment stored: ${stored === acked ? `yes (${acked})` : `NO (${acked} acked, ${stored} rows)`}`,
  ].join('\n'),
);

if (!values['keep-data']) {
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.writeFileSync(CLEANED, `${new Date().toISOString()}\n`);
}
process.exit(stored === acked && failed === 0 ? 0 : 1);
