// Realtime benchmark: 1,000 simulated candidates with heartbeats and thumbnails, one proctor per 30, against
// Invigil and against a bare socket.io relay under the same load (the baseline), in the same run. See README.md.
//   node --import tsx bench/realtime/run.ts [--candidates 1000] [--per-proctor 30] [--seconds 20] [--every-ms 5000] [--thumb-kb 6]
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { fork } from 'node:child_process';
import { sampleProcess } from '../ingest/proc.ts';
import { percentile, runLoad, type LoadResult, type Seeded } from './load.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    candidates: { type: 'string', default: '1000' },
    'per-proctor': { type: 'string', default: '30' },
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '5' },
    'every-ms': { type: 'string', default: '5000' },
    'thumb-kb': { type: 'string', default: '6' },
  },
});
const env = { BENCH_CANDIDATES: values.candidates!, BENCH_PER_ROOM: values['per-proctor']! };
const load = { everyMs: Number(values['every-ms']), thumbBytes: Number(values['thumb-kb']) * 1024, seconds: Number(values.seconds), warmupSeconds: Number(values.warmup) };
const TARGET_P99_MS = 150;

interface Measured {
  name: string;
  r: LoadResult;
  cpuPercent: number;
  peakRssMb: number;
}

async function measure(name: string, entry: string, invigil: boolean): Promise<Measured> {
  const child = fork(path.join(here, entry), [], { execArgv: ['--import', 'tsx'], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const seed = await new Promise<Seeded>((resolve, reject) => {
      child.once('message', (m) => resolve(m as Seeded));
      child.once('exit', (code) => reject(new Error(`${entry} exited with ${code} before it was ready`)));
    });
    const sample = sampleProcess(child.pid!);
    const r = await runLoad(seed, { ...load, invigil });
    return { name, r, ...sample.stop() };
  } finally {
    if (child.exitCode === null) await new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM')));
  }
}

const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '—');
console.log(
  `realtime bench: ${values.candidates} candidates, ${values['per-proctor']} per proctor, heartbeat + ${values['thumb-kb']} KB thumbnail every ${values['every-ms']} ms, ${values.seconds} s measured`,
);
const baseline = await measure('baseline (bare socket.io relay)', 'baseline-server.ts', false);
const invigil = await measure('Invigil (auth, scoping, checks)', 'invigil-server.ts', true);
const rows = [baseline, invigil].map((m) => ({
  name: m.name,
  hbP50: percentile(m.r.status, 50),
  hbP99: percentile(m.r.status, 99),
  thP50: percentile(m.r.thumbs, 50),
  thP99: percentile(m.r.thumbs, 99),
  delivered: `${m.r.status.length}/${m.r.sentStatus} hb, ${m.r.thumbs.length}/${m.r.sentThumbs} thumbs`,
  cpu: m.cpuPercent,
  rss: m.peakRssMb,
}));
console.log('\n| server | heartbeat p50 | heartbeat p99 | thumbnail p50 | thumbnail p99 | delivered | server CPU (% of a core) | peak RSS MB |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.name} | ${fmt(r.hbP50)} ms | ${fmt(r.hbP99)} ms | ${fmt(r.thP50)} ms | ${fmt(r.thP99)} ms | ${r.delivered} | ${fmt(r.cpu)} | ${fmt(r.rss)} |`);
const [b, i] = rows as [(typeof rows)[0], (typeof rows)[0]];
console.log(
  `\nratios Invigil / baseline: heartbeat p99 ×${(i.hbP99 / b.hbP99).toFixed(2)}, thumbnail p99 ×${(i.thP99 / b.thP99).toFixed(2)}, CPU ×${(i.cpu / b.cpu).toFixed(2)}, RSS ×${(i.rss / b.rss).toFixed(2)}`,
);
const worst = Math.max(i.hbP99, i.thP99);
console.log(`target: p99 candidate → proctor < ${TARGET_P99_MS} ms: ${worst < TARGET_P99_MS ? 'MET' : 'NOT MET'} (${fmt(worst)} ms)`);
