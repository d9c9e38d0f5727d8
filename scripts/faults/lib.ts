// Pieces the fault scripts share (scripts/faults/run.ts): a throwaway PostgreSQL cluster and Redis of their own (the
// machine's PostgreSQL and Redis are never touched), the `npm run up:scaled` stack started on them, and simulated
// candidates that upload real WebM segments the way the browser's uploader does — each segment kept (the journal)
// and sent again until acknowledged, one a second — then finalize, retried until 上传成功.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ROOT = path.resolve(import.meta.dirname, '../..');

/** Waits until `probe` answers true (every 250 ms), or fails after `ms`. */
export async function until(what: string, probe: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await Promise.resolve(probe()).catch(() => false))) {
    if (Date.now() > end) throw new Error(`${what}: not after ${ms / 1000} s`);
    await sleep(250);
  }
}

export const httpOk = (url: string) => () => fetch(url, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok);

// ---- PostgreSQL: a cluster of our own in a temp dir, on its own port (initdb refuses root: run as postgres) ----

const PG_BIN = (() => {
  const versions = fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)) : [];
  if (!versions.length) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql');
  return `/usr/lib/postgresql/${versions[0]}/bin`;
})();
const asPostgres = (cmd: string, args: string[]) => (process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]) as [string, string[]];

export class OwnPostgres {
  readonly url: string;
  constructor(
    readonly dir: string,
    readonly port: number,
  ) {
    this.url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  }
  static create(port: number): OwnPostgres {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'invigil-fault-pg-'));
    if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', dir]);
    execFileSync(...asPostgres(`${PG_BIN}/initdb`, ['-D', `${dir}/data`, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']), { stdio: 'ignore' });
    return new OwnPostgres(dir, port);
  }
  start(): void {
    execFileSync(
      ...asPostgres(`${PG_BIN}/pg_ctl`, [
        '-D',
        `${this.dir}/data`,
        '-l',
        `${this.dir}/log`,
        '-w',
        '-o',
        `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off`,
        'start',
      ]),
      { stdio: 'ignore' },
    );
  }
  /** 'fast': disconnects every client and shuts down cleanly; 'immediate': as a crash. */
  stop(mode: 'fast' | 'immediate' = 'fast'): void {
    execFileSync(...asPostgres(`${PG_BIN}/pg_ctl`, ['-D', `${this.dir}/data`, '-m', mode, '-w', 'stop']), { stdio: 'ignore' });
  }
  destroy(): void {
    try {
      this.stop('immediate');
    } catch {
      /* not running */
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

// ---- Redis of our own ----

export class OwnRedis {
  private proc: ChildProcess | null = null;
  constructor(readonly port: number) {}
  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    this.proc = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await until('redis', () => {
      try {
        return execFileSync('redis-cli', ['-p', String(this.port), 'ping'], { encoding: 'utf8' }).trim() === 'PONG';
      } catch {
        return false;
      }
    });
  }
  async stop(): Promise<void> {
    const p = this.proc;
    this.proc = null;
    if (!p || p.exitCode !== null) return;
    const gone = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await gone;
  }
}

// ---- S3 (s3rver), restartable on the same folder and port ----

export class OwnS3 {
  private proc: ChildProcess | null = null;
  constructor(
    readonly dir: string,
    readonly port: number,
  ) {}
  async start(): Promise<void> {
    this.proc = spawn('node', ['--import', 'tsx', 'scripts/s3-dev.ts', this.dir, String(this.port), 'invigil'], { cwd: ROOT, stdio: 'ignore' });
    await until('s3rver', () => fetch(`http://127.0.0.1:${this.port}/`).then(() => true));
  }
  async stop(): Promise<void> {
    const p = this.proc;
    this.proc = null;
    if (!p || p.exitCode !== null) return;
    const gone = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await gone;
  }
}

// ---- Invigil processes and nginx: the up:scaled pieces, started one by one so a fault can take one away ----

export interface InvigilProc {
  proc: ChildProcess;
  port: number;
  dataDir: string;
}

export async function startInvigil(name: string, port: number, dataDir: string, env: Record<string, string>, logDir: string): Promise<InvigilProc> {
  fs.mkdirSync(dataDir, { recursive: true });
  const log = fs.openSync(path.join(logDir, `${name}.log`), 'a');
  // BENCH_CPU_PROF=dir: each Invigil process writes a V8 CPU profile there when it stops (NODE_OPTIONS refuses --cpu-prof).
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  // BENCH_LOOP_WATCH=dir: each process writes its event loop's stalls to dir/<name>.stalls (bench/loop-watch.ts).
  const watchDir = process.env.BENCH_LOOP_WATCH;
  const watch = watchDir ? ['--import', path.join(ROOT, 'bench/loop-watch.ts')] : [];
  const watchEnv: Record<string, string> = watchDir ? { BENCH_LOOP_WATCH_FILE: path.join(watchDir, `${name}.stalls`) } : {};
  const proc = spawn('bash', ['scripts/server.sh', ...prof, ...watch], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, ...watchEnv, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', log, log],
  });
  await until(`Invigil ${name}`, httpOk(`http://127.0.0.1:${port}/api/health`), 120_000);
  return { proc, port, dataDir };
}

export async function startNginx(stackDir: string, port: number, upstreams: number[]): Promise<ChildProcess> {
  // nginx's workers run as an unprivileged user: they must reach the body buffer folder (mkdtemp makes 0700 dirs).
  fs.chmodSync(stackDir, 0o755);
  const prefix = path.join(stackDir, 'nginx');
  fs.mkdirSync(path.join(prefix, 'logs'), { recursive: true });
  fs.mkdirSync(path.join(prefix, 'tmp'), { recursive: true, mode: 0o777 });
  fs.chmodSync(path.join(prefix, 'tmp'), 0o777);
  let conf = fs.readFileSync(path.join(ROOT, 'scripts/nginx-scaled.conf'), 'utf8').replaceAll('@PORT@', String(port)).replaceAll('@PREFIX@', prefix);
  conf = conf.replace('@P1@', `127.0.0.1:${upstreams[0]}`).replace('@P2@', `127.0.0.1:${upstreams[1] ?? upstreams[0]}`);
  fs.writeFileSync(path.join(prefix, 'nginx.conf'), conf);
  const proc = spawn('nginx', ['-p', prefix, '-c', path.join(prefix, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'ignore' });
  await until('nginx', httpOk(`http://127.0.0.1:${port}/api/health`));
  return proc;
}

export async function stopProc(p: ChildProcess | null | undefined): Promise<void> {
  if (!p || p.exitCode !== null || p.signalCode !== null) return;
  const gone = new Promise((r) => p.once('exit', r));
  p.kill('SIGTERM');
  await Promise.race([gone, sleep(10_000).then(() => p.kill('SIGKILL'))]);
}

// ---- The demo exam and the simulated candidates ----

export interface Demo {
  candidates: { idNumber: string; ticket: string }[];
}

export function seedDemo(n: number, env: Record<string, string>, extra: string[] = []): Demo {
  const out = execFileSync('npm', ['run', '--silent', 'invigil', '--', 'seed-demo', '--candidates', String(n), '--starts-in', '0', '--duration', '3600', ...extra], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Demo;
}

/** A live-style WebM cut into one-second chunks, header only in the first (as MediaRecorder's timeslice makes them). */
export function liveChunks(seconds: number): Buffer[] {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'invigil-fault-media-'));
  try {
    execFileSync('sh', [
      '-c',
      `ffmpeg -hide_banner -loglevel error -nostdin -f lavfi -i testsrc=size=320x240:rate=15 -f lavfi -i sine=frequency=440:sample_rate=48000 -t ${seconds} -c:v libvpx -b:v 200k -deadline realtime -c:a libopus -f webm pipe:1 > '${tmp}/live.webm'`,
    ]);
    const live = fs.readFileSync(`${tmp}/live.webm`);
    const size = Math.ceil(live.length / seconds);
    return Array.from({ length: seconds }, (_, i) => live.subarray(i * size, Math.min(live.length, (i + 1) * size)));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

class GaveUp extends Error {}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export interface ExamResult {
  recordingIds: string[];
  segmentsRecorded: number;
  /** Longest time any segment waited between being recorded (due) and acknowledged: what the candidate saw. */
  longestPauseMs: number;
  /** Answers other than 2xx while the fault lasted, by status (0 = no answer). */
  refusals: Record<string, number>;
  /** Time from the last segment until every candidate had 上传成功 (finalize answered 'verified'). */
  finalizeMs: number;
}

/**
 * N candidates log in through `base`, open a camera recording and send `chunks` one a second, each kept and sent
 * again until acknowledged (the uploader's journal), sequentially per candidate; then finalize until answered.
 */
export async function runExam(base: string, demo: Demo, chunks: Buffer[], giveUpAfterMs = chunks.length * 1000 + 180_000): Promise<ExamResult> {
  const refusals: Record<string, number> = {};
  // A candidate's browser keeps trying for its whole exam; the script gives up at some point so a fault that never
  // heals is reported as lost recording, not as a hung run.
  const giveUpAt = Date.now() + giveUpAfterMs;
  let lastRefusal = '';
  const call = async (method: string, url: string, cookie: string | null, body?: Buffer | object, headers: Record<string, string> = {}) => {
    const isBuf = Buffer.isBuffer(body);
    return fetch(base + url, {
      method,
      headers: { ...(cookie ? { cookie } : {}), ...(body === undefined ? {} : { 'content-type': isBuf ? 'application/octet-stream' : 'application/json' }), ...headers },
      body: (body === undefined ? undefined : isBuf ? body : JSON.stringify(body)) as RequestInit['body'],
      signal: AbortSignal.timeout(15_000),
    });
  };
  const untilOk = async (f: () => Promise<Response>): Promise<Response> => {
    for (let delay = 200; ; delay = Math.min(delay * 2, 2000)) {
      try {
        const res = await f();
        if (res.ok) return res;
        refusals[res.status] = (refusals[res.status] ?? 0) + 1;
        lastRefusal = `${res.status} ${(await res.text().catch(() => '')).slice(0, 200)}`;
      } catch (e) {
        refusals['0'] = (refusals['0'] ?? 0) + 1;
        lastRefusal = String((e as Error).cause ?? e);
      }
      if (Date.now() > giveUpAt) throw new GaveUp(lastRefusal);
      await sleep(delay);
    }
  };
  let longestPauseMs = 0;
  const recordingIds: string[] = [];
  const lastSegmentAt: number[] = [];
  const verifiedAt: number[] = [];
  let gaveUp = 0;
  await Promise.all(
    demo.candidates.map(async (c, i) => {
      try {
        const login = await untilOk(() => call('POST', '/api/auth/candidate-login', null, { idNumber: c.idNumber, ticket: c.ticket, clientId: `fault-client-${i}-${Date.now()}` }));
        const cookie = login.headers
          .getSetCookie()
          .map((x) => x.split(';')[0])
          .join('; ');
        const attemptId = ((await login.json()) as { attemptId: string }).attemptId;
        const rec = (await (await untilOk(() => call('POST', `/api/attempts/${attemptId}/recordings`, cookie, { stream: 'camera', mimeType: 'video/webm' }))).json()) as { id: string };
        recordingIds.push(rec.id);
        const start = Date.now();
        for (let seq = 0; seq < chunks.length; seq++) {
          const due = start + (seq + 1) * 1000; // recorded by then
          await sleep(Math.max(0, due - Date.now()));
          const body = chunks[seq]!;
          const headers = { 'x-segment-sha256': sha(body), 'x-segment-run': '0', 'x-segment-recorded-at': String(due), 'x-segment-duration-ms': '1000' };
          await untilOk(() => call('PUT', `/api/recordings/${rec.id}/segments/${seq}`, cookie, body, headers));
          longestPauseMs = Math.max(longestPauseMs, Date.now() - due);
        }
        lastSegmentAt.push(Date.now());
        await untilOk(() => call('POST', `/api/recordings/${rec.id}/finalize`, cookie, { lastSeq: chunks.length - 1 }));
        verifiedAt.push(Date.now());
      } catch (e) {
        if (!(e instanceof GaveUp)) throw e;
        gaveUp++;
        console.log(`candidate ${i} gave up: last answer ${e.message}`);
      }
    }),
  );
  if (gaveUp) console.log(`${gaveUp} candidate(s) gave up after ${giveUpAfterMs / 1000} s`);
  return {
    recordingIds,
    segmentsRecorded: demo.candidates.length * chunks.length,
    longestPauseMs,
    refusals,
    finalizeMs: verifiedAt.length ? Math.max(...verifiedAt) - Math.max(...lastSegmentAt) : NaN,
  };
}

export function report(name: string, r: ExamResult, stored: number, verified: number, extra: string[] = []): boolean {
  const lost = r.segmentsRecorded - stored;
  console.log(`\n== fault: ${name}`);
  for (const line of extra) console.log(line);
  console.log(`candidates ${r.recordingIds.length}, segments recorded ${r.segmentsRecorded}, stored ${stored}, recordings verified ${verified}/${r.recordingIds.length}`);
  console.log(`refused or unanswered tries while it lasted: ${JSON.stringify(r.refusals)}`);
  console.log(`seconds of recording lost: ${lost}`);
  console.log(`longest pause a candidate saw: ${(r.longestPauseMs / 1000).toFixed(1)} s (a segment recorded until acknowledged)`);
  const ok = lost === 0 && verified === r.recordingIds.length;
  console.log(ok ? 'PASS' : 'FAIL');
  return ok;
}
