// Faults of issue #18, each run against its own stack while simulated candidates record and upload (lib.ts):
//   pg     PostgreSQL stopped for 20 s in the middle of the uploads, then started again
//   redis  Redis killed and started again (empty) in the middle of the uploads
//   s3     the S3 store (s3rver) down for 60 s
//   disk   the local store's disk full (single process, SQLite, blobs on a small tmpfs) for 20 s, then space again
// pg, redis and s3 use the `npm run up:scaled` pieces (scripts/scaled-stack.ts, as bench/morning does): a PostgreSQL
// cluster and a Redis of this script's own (the machine's are never touched), s3rver, two Invigil processes and nginx. Each prints the seconds of
// recording lost (must be 0) and the longest pause a candidate saw; exit code 0 when every fault lost nothing.
//
//   node --import tsx scripts/faults/run.ts --fault pg|redis|s3|disk|all [--candidates 4] [--at 6] [--outage S] [--seconds S]
//
// Ports (the morning helper's range): nginx 4400, Invigil 4410/4420, s3rver 4430, PostgreSQL 5406, Redis 6406; override
// with FAULT_PORT_BASE (nginx = base, Invigil base+10/base+20, s3 base+30) / FAULT_PG_PORT / FAULT_REDIS_PORT.
// The disk fault mounts a tmpfs (root only).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import pg from 'pg';
import { liveChunks, report, runExam, seedDemo, sleep, startInvigil, stopProc, until, type ExamResult, type InvigilProc } from './lib.ts';
import { startScaledStack, type ScaledStack } from '../scaled-stack.ts';

// better-sqlite3 is the server package's dependency, not the root's.
const Database = createRequire(new URL('../../packages/server/package.json', import.meta.url))('better-sqlite3') as typeof import('better-sqlite3');

const { values } = parseArgs({
  options: {
    fault: { type: 'string', default: 'all' },
    candidates: { type: 'string', default: '4' },
    at: { type: 'string', default: '6' },
    outage: { type: 'string' },
    seconds: { type: 'string' },
  },
});
const N = Number(values.candidates);
const AT = Number(values.at);
const BASE = Number(process.env.FAULT_PORT_BASE ?? 4400);
const PG_PORT = Number(process.env.FAULT_PG_PORT ?? 5406);
const REDIS_PORT = Number(process.env.FAULT_REDIS_PORT ?? 6406);
const OUTAGE = { pg: 20, redis: 3, s3: 60, disk: 20 } as const;
type Fault = keyof typeof OUTAGE;
const faults: Fault[] = values.fault === 'all' ? ['pg', 'redis', 's3', 'disk'] : [values.fault as Fault];
for (const f of faults) if (!(f in OUTAGE)) throw new Error(`unknown fault ${f}: pg, redis, s3, disk or all`);

const outageOf = (f: Fault) => Number(values.outage ?? OUTAGE[f]);
const secondsOf = (f: Fault) => Number(values.seconds ?? AT + outageOf(f) + 12);

/** The exam runs; `fault` starts AT seconds in. Returns the exam's result and what the fault printed. */
async function examWithFault(base: string, demo: ReturnType<typeof seedDemo>, seconds: number, fault: () => Promise<string[]>): Promise<{ r: ExamResult; notes: string[] }> {
  const chunks = liveChunks(seconds);
  let notes: string[] = [];
  const [r] = await Promise.all([runExam(base, demo, chunks), sleep(AT * 1000).then(async () => (notes = await fault()))]);
  return { r, notes };
}

async function scaledFault(f: Exclude<Fault, 'disk'>): Promise<boolean> {
  const stack = fs.mkdtempSync(path.join(os.tmpdir(), `invigil-fault-${f}-`));
  const logs = path.join(stack, 'logs');
  fs.mkdirSync(logs);
  let s: ScaledStack | null = null;
  try {
    s = await startScaledStack({ dir: stack, logs, portBase: BASE, pgPort: PG_PORT, redisPort: REDIS_PORT, dbName: 'invigil_fault' });
    const { pg: pgc, redis, s3, procs, dbUrl } = s;
    const demo = seedDemo(N, s.seedEnv);
    const outage = outageOf(f);
    const { r, notes } = await examWithFault(s.url, demo, secondsOf(f), async () => {
      const t0 = Date.now();
      if (f === 'pg') {
        pgc.stop('fast');
        await sleep(outage * 1000);
        pgc.start();
      } else if (f === 'redis') {
        await redis.stop();
        await sleep(outage * 1000);
        await redis.start();
      } else {
        await s3.stop();
        await sleep(outage * 1000);
        await s3.start();
      }
      return [`${f} down at ${AT} s for ${((Date.now() - t0) / 1000).toFixed(1)} s (restarted)`];
    });
    const alive = procs.map((p, i) => `p${i + 1} ${p.proc.exitCode === null && p.proc.signalCode === null ? 'running' : `exited (${p.proc.exitCode ?? p.proc.signalCode})`}`).join(', ');
    const db = new pg.Client({ connectionString: dbUrl });
    await db.connect();
    const rows = (await db.query(`SELECT r.status, count(s.seq)::int AS n FROM recordings r LEFT JOIN segments s ON s.recording_id = r.id WHERE r.id = ANY($1) GROUP BY r.id`, [r.recordingIds]))
      .rows as { status: string; n: number }[];
    await db.end();
    const stored = rows.reduce((n, x) => n + x.n, 0);
    const verified = rows.filter((x) => x.status !== 'uploading').length;
    return report(f === 'pg' ? `PostgreSQL restarted (${outage} s down)` : f === 'redis' ? `Redis restarted (${outage} s down)` : `S3 store down ${outage} s`, r, stored, verified, [
      ...notes,
      `Invigil processes afterwards: ${alive}`,
      `上传成功 for every candidate ${(r.finalizeMs / 1000).toFixed(1)} s after the last segment`,
    ]);
  } finally {
    await s?.stop();
    if (!process.env.FAULT_KEEP) fs.rmSync(stack, { recursive: true, force: true });
    else console.log(`stack kept in ${stack}`);
  }
}

async function diskFault(): Promise<boolean> {
  if (process.getuid?.() !== 0) {
    console.log('\n== fault: disk full — skipped: mounting the small tmpfs needs root');
    return true;
  }
  const stack = fs.mkdtempSync(path.join(os.tmpdir(), 'invigil-fault-disk-'));
  const dataDir = path.join(stack, 'data');
  const blobs = path.join(dataDir, 'blobs');
  fs.mkdirSync(blobs, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=96m', 'tmpfs', blobs]);
  let proc: InvigilProc | null = null;
  try {
    proc = await startInvigil('single', BASE + 10, dataDir, { PUBLIC_URL: `http://127.0.0.1:${BASE + 10}` }, stack);
    const demo = seedDemo(N, { DATA_DIR: dataDir });
    const outage = outageOf('disk');
    const filler = path.join(blobs, 'filler.bin');
    const { r, notes } = await examWithFault(`http://127.0.0.1:${BASE + 10}`, demo, secondsOf('disk'), async () => {
      // Fill what is left, 1 MB at a time, until the kernel says ENOSPC: the disk is full for real.
      const fd = fs.openSync(filler, 'w');
      const mb = Buffer.alloc(1 << 20, 1);
      let written = 0;
      try {
        for (;;) written += fs.writeSync(fd, mb);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
      } finally {
        fs.closeSync(fd);
      }
      const t0 = Date.now();
      await sleep(outage * 1000);
      fs.rmSync(filler);
      return [`disk filled at ${AT} s (${(written / 1048576).toFixed(0)} MB of filler), space back after ${((Date.now() - t0) / 1000).toFixed(1)} s`];
    });
    const db = new Database(path.join(dataDir, 'invigil.db'), { readonly: true });
    const rows = r.recordingIds.map(
      (id) => db.prepare('SELECT r.status AS status, (SELECT count(*) FROM segments s WHERE s.recording_id = r.id) AS n FROM recordings r WHERE r.id = ?').get(id) as { status: string; n: number },
    );
    db.close();
    const stored = rows.reduce((n, x) => n + x.n, 0);
    const verified = rows.filter((x) => x.status !== 'uploading').length;
    const other5xx = Object.entries(r.refusals)
      .filter(([k]) => k.startsWith('5') && k !== '507')
      .reduce((n, [, v]) => n + v, 0);
    const ok = report(`local store's disk full (${outage} s)`, r, stored, verified, [
      ...notes,
      `refusals by 507 STORAGE_FULL: ${r.refusals['507'] ?? 0}; other 5xx: ${other5xx} (must be 0)`,
      `process afterwards: ${proc.proc.exitCode === null ? 'running' : `exited (${proc.proc.exitCode})`}`,
    ]);
    return ok && other5xx === 0;
  } finally {
    await stopProc(proc?.proc);
    await until(
      'unmount',
      () => {
        try {
          execFileSync('umount', [blobs], { stdio: 'ignore' });
          return true;
        } catch {
          return false;
        }
      },
      20_000,
    ).catch(() => console.warn(`could not unmount ${blobs}`));
    fs.rmSync(stack, { recursive: true, force: true });
  }
}

let allOk = true;
for (const f of faults) {
  const ok = f === 'disk' ? await diskFault() : await scaledFault(f);
  allOk &&= ok;
}
process.exit(allOk ? 0 : 1);
