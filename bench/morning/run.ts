// The exam-morning benchmark (issue #18 "Done when"), through the public API only, printed as one table with the
// baseline measured in the same run:
//   1. N candidates log in over --login-window seconds, each with a real face (the fixture man turning his head
//      as the server's challenge asks; Human model on the server; the verification queue of #18 item 3);
//   2. each records camera + screen for --record-seconds: one real VP8/Opus WebM segment per second per stream,
//      kept and sent again until acknowledged (the uploader's journal);
//   3. all end in the same second: every recording is finalized at once → time until every candidate has
//      上传成功, then time until every recording is assembled (the job queue's concurrency printed);
//   4. peak RSS and open file descriptors of the server process(es), sampled every 500 ms;
//   5. segments acknowledged vs stored (must be equal);
//   6. baseline: the same paced segment load against bench/ingest/minimal-server.ts (PUT → SHA-256 → write →
//      fsync soon after, no framework), so the ack latency has its reference from the same machine and minute.
//
//   node --import tsx bench/morning/run.ts --stack sqlite --candidates 1000 [--login-window 300] [--record-seconds 60]
//   node --import tsx bench/morning/run.ts --stack scaled --candidates 300 [...]
//
// --stack sqlite: one Invigil process, SQLite, local blob store. --stack scaled: the `npm run up:scaled` pieces —
// a PostgreSQL cluster and a Redis of the bench's own (scripts/faults/lib.ts; the machine's are not touched),
// s3rver, two Invigil processes and nginx in front. Ports: BENCH_PORT_BASE (default 4006: nginx/single = base,
// Invigil base+10/base+20, s3 base+30), PostgreSQL 5406, Redis 6406.
// Not measured here yet: the phone stream (it needs a bound proof phone per candidate) and proctor event latency
// against bare socket.io (bench/realtime/run.ts measures that on its own).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import JSZip from 'jszip';
import pg from 'pg';
import { buildFaceFixtures } from '../../e2e/fixtures/faces.ts';
import { liveChunks, OwnPostgres, OwnRedis, OwnS3, seedDemo, sleep, startInvigil, startNginx, stopProc, until, type InvigilProc } from '../../scripts/faults/lib.ts';

const Database = createRequire(new URL('../../packages/server/package.json', import.meta.url))('better-sqlite3') as typeof import('better-sqlite3');

const { values } = parseArgs({
  options: {
    stack: { type: 'string', default: 'sqlite' },
    candidates: { type: 'string', default: '20' },
    'login-window': { type: 'string', default: '30' },
    'record-seconds': { type: 'string', default: '20' },
  },
});
const N = Number(values.candidates);
const LOGIN_WINDOW = Number(values['login-window']);
const RECORD = Number(values['record-seconds']);
const STACK = values.stack as 'sqlite' | 'scaled';
if (STACK !== 'sqlite' && STACK !== 'scaled') throw new Error('--stack sqlite|scaled');
const BASE = Number(process.env.BENCH_PORT_BASE ?? 4006);
const STREAMS = ['camera', 'screen'] as const;
const ROOT = path.resolve(import.meta.dirname, '../..');

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const rows: [string, string, string][] = [];
const row = (what: string, value: string, target = '') => rows.push([what, value, target]);

// ---- the stack ----
const work = fs.mkdtempSync(path.join(os.tmpdir(), `invigil-morning-${STACK}-`));
const logs = path.join(work, 'logs');
fs.mkdirSync(logs);
const procs: InvigilProc[] = [];
let nginx: Awaited<ReturnType<typeof startNginx>> | null = null;
let pgc: OwnPostgres | null = null;
const redis = new OwnRedis(Number(process.env.BENCH_REDIS_PORT ?? 6406));
const s3 = new OwnS3(path.join(work, 's3'), BASE + 30);
let base: string;
let seedEnv: Record<string, string>;
let dbUrl: string | null = null;

async function cleanup() {
  await stopProc(nginx);
  for (const p of procs) await stopProc(p.proc);
  await s3.stop();
  await redis.stop();
  pgc?.destroy();
  if (!process.env.BENCH_KEEP) fs.rmSync(work, { recursive: true, force: true, maxRetries: 5, retryDelay: 500 });
}

try {
  if (STACK === 'sqlite') {
    procs.push(await startInvigil('single', BASE, path.join(work, 'single'), { PUBLIC_URL: `http://127.0.0.1:${BASE}`, NODE_ENV: 'production' }, logs));
    base = `http://127.0.0.1:${BASE}`;
    seedEnv = { DATA_DIR: path.join(work, 'single') };
  } else {
    pgc = OwnPostgres.create(Number(process.env.BENCH_PG_PORT ?? 5406));
    pgc.start();
    const { execFileSync } = await import('node:child_process');
    execFileSync('psql', [pgc.url, '-qc', 'CREATE DATABASE invigil_morning'], { stdio: 'ignore' });
    dbUrl = pgc.url.replace(/\/postgres$/, '/invigil_morning');
    await redis.start();
    await s3.start();
    const env = {
      DATABASE_URL: dbUrl,
      REDIS_URL: redis.url,
      S3_ENDPOINT: `http://127.0.0.1:${BASE + 30}`,
      S3_BUCKET: 'invigil',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      PUBLIC_URL: `http://127.0.0.1:${BASE}`,
      NODE_ENV: 'production',
    };
    procs.push(await startInvigil('p1', BASE + 10, path.join(work, 'p1'), env, logs));
    procs.push(await startInvigil('p2', BASE + 20, path.join(work, 'p2'), env, logs));
    nginx = await startNginx(work, BASE, [BASE + 10, BASE + 20]);
    base = `http://127.0.0.1:${BASE}`;
    seedEnv = { DATABASE_URL: dbUrl, DATA_DIR: path.join(work, 'p1') };
  }
  console.log(`stack ${STACK} up at ${base}; ${N} candidates`);

  // ---- sampling RSS and fds of the server processes ----
  let peakRss = 0;
  let peakFds = 0;
  const sampler = setInterval(() => {
    let rss = 0;
    let fds = 0;
    for (const p of procs) {
      try {
        rss += Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p.proc.pid}/status`, 'utf8'))![1]) * 1024;
        fds += fs.readdirSync(`/proc/${p.proc.pid}/fd`).length;
      } catch {
        /* gone */
      }
    }
    peakRss = Math.max(peakRss, rss);
    peakFds = Math.max(peakFds, fds);
  }, 500);

  // ---- seed, register the faces (one zip import: setup, not measured) ----
  const demo = seedDemo(N, seedEnv, ['--face', 'on']) as ReturnType<typeof seedDemo> & { sessionId: string; admin: { username: string; password: string } };
  const fx = await buildFaceFixtures({ videos: false });
  const adminLogin = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify(demo.admin) });
  const adminCookie = adminLogin.headers
    .getSetCookie()
    .map((x) => x.split(';')[0])
    .join('; ');
  const zip = new JSZip();
  const photo = fs.readFileSync(fx.photo.man0);
  for (const c of demo.candidates) zip.file(`${c.idNumber}.jpg`, photo);
  const imported = await fetch(`${base}/api/face/sessions/${demo.sessionId}/photos.zip`, {
    method: 'POST',
    headers: { cookie: adminCookie, 'content-type': 'application/zip', origin: base },
    body: (await zip.generateAsync({ type: 'nodebuffer' })) as unknown as RequestInit['body'],
    signal: AbortSignal.timeout(3_600_000),
  });
  const report = (await imported.json()) as { accepted: number };
  if (report.accepted !== N) throw new Error(`photo import accepted ${report.accepted}/${N}: ${JSON.stringify(report).slice(0, 300)}`);
  const turn = { left: fx.turn.left.map((f) => fs.readFileSync(f).toString('base64')), right: fx.turn.right.map((f) => fs.readFileSync(f).toString('base64')) };

  // A reused keep-alive connection the server has just closed fails once ("other side closed"): tried again, as a
  // browser does.
  const call = async (method: string, url: string, cookie: string | null, body?: Buffer | object, headers: Record<string, string> = {}): Promise<Response> => {
    for (let i = 0; ; i++) {
      try {
        return await call1(method, url, cookie, body, headers);
      } catch (e) {
        if (i >= 5) throw e;
        await sleep(200 * (i + 1));
      }
    }
  };
  const call1 = (method: string, url: string, cookie: string | null, body?: Buffer | object, headers: Record<string, string> = {}) => {
    const isBuf = Buffer.isBuffer(body);
    return fetch(base + url, {
      method,
      headers: { origin: base, ...(cookie ? { cookie } : {}), ...(body === undefined ? {} : { 'content-type': isBuf ? 'application/octet-stream' : 'application/json' }), ...headers },
      body: (body === undefined ? undefined : isBuf ? body : JSON.stringify(body)) as RequestInit['body'],
      signal: AbortSignal.timeout(60_000),
    });
  };
  const json = async <T>(r: Response): Promise<T> => {
    if (!r.ok) throw new Error(`${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  };

  // ---- 1. login with a face each, arrivals spread over the window ----
  const loginMs: number[] = [];
  const queuedPlaces: number[] = [];
  const sessions: { cookie: string; attemptId: string }[] = [];
  const loginStart = Date.now();
  await Promise.all(
    demo.candidates.map(async (c, i) => {
      await sleep((i / N) * LOGIN_WINDOW * 1000);
      const t0 = Date.now();
      const login = await call('POST', '/api/auth/candidate-login', null, { idNumber: c.idNumber, ticket: c.ticket, clientId: `bench-client-${i}-00000000` });
      const cookie = login.headers
        .getSetCookie()
        .map((x) => x.split(';')[0])
        .join('; ');
      const { attemptId } = await json<{ attemptId: string }>(login);
      const state = await json<{ challenge: { id: string; action: string } }>(await call('POST', '/api/face/me/consent', cookie, { accepted: true, policyVersion: 'bench' }));
      let answer = await json<{ passed?: boolean; queued?: boolean; ticket?: string; position?: number }>(
        await call('POST', '/api/face/me/verify', cookie, { challengeId: state.challenge.id, frames: state.challenge.action === 'turn-left' ? turn.left : turn.right }),
      );
      while (answer.queued) {
        queuedPlaces.push(answer.position!);
        answer = await json(await call('GET', `/api/face/me/verify/${answer.ticket}`, cookie));
      }
      if (!answer.passed) throw new Error(`candidate ${i}: face login refused: ${JSON.stringify(answer)}`);
      loginMs.push(Date.now() - t0);
      sessions.push({ cookie, attemptId });
    }),
  );
  row('logins with a face (passed)', `${loginMs.length}/${N} in ${((Date.now() - loginStart) / 1000).toFixed(0)} s`, 'all, within 5 min');
  row('login p50 / p99 (login → face decision)', `${(pct(loginMs, 50) / 1000).toFixed(2)} / ${(pct(loginMs, 99) / 1000).toFixed(2)} s`, 'p99 ≤ 3 s');
  row('face queue: most candidates ahead seen', `${queuedPlaces.length ? Math.max(...queuedPlaces) : 0}`);

  // ---- 2. record camera + screen, paced, against a server (Invigil or the minimal baseline) ----
  const chunks = liveChunks(RECORD);
  async function paced(
    target: string,
    open: (i: number, stream: string) => Promise<{ id: string; cookie: string | null }>,
  ): Promise<{ acks: number[]; recs: { id: string; cookie: string | null }[] }> {
    const acks: number[] = [];
    const recs: { id: string; cookie: string | null }[] = [];
    const opened = await Promise.all(sessions.flatMap((_, i) => STREAMS.map((s) => open(i, s))));
    recs.push(...opened);
    const start = Date.now() + 1000;
    await Promise.all(
      opened.map(async (rec, k) => {
        const offset = (k / opened.length) * 1000; // spread within the second, as real recorders start
        for (let seq = 0; seq < chunks.length; seq++) {
          const due = start + offset + seq * 1000;
          await sleep(Math.max(0, due - Date.now()));
          const body = chunks[seq]!;
          const headers = { 'x-segment-sha256': sha(body), 'x-segment-run': '0', 'x-segment-recorded-at': String(due), 'x-segment-duration-ms': '1000' };
          for (let delay = 200; ; delay = Math.min(delay * 2, 2000)) {
            const t0 = Date.now();
            const ok = await fetch(`${target}/api/recordings/${rec.id}/segments/${seq}`, {
              method: 'PUT',
              headers: { origin: target, ...(rec.cookie ? { cookie: rec.cookie } : {}), 'content-type': 'application/octet-stream', ...headers },
              body: body as unknown as RequestInit['body'],
              signal: AbortSignal.timeout(30_000),
            })
              .then(async (r) => (await r.arrayBuffer(), r.ok))
              .catch(() => false);
            if (ok) {
              acks.push(Date.now() - t0);
              break;
            }
            await sleep(delay);
          }
        }
      }),
    );
    return { acks, recs };
  }
  const inv = await paced(base, async (i, stream) => {
    const s = sessions[i]!;
    const r = await json<{ id: string }>(await call('POST', `/api/attempts/${s.attemptId}/recordings`, s.cookie, { stream, mimeType: 'video/webm' }));
    return { id: r.id, cookie: s.cookie };
  });

  // ---- 3. everyone ends in the same second ----
  const endAt = Date.now();
  const verifiedAt: number[] = [];
  await Promise.all(
    inv.recs.map(async (rec) => {
      for (let delay = 200; ; delay = Math.min(delay * 2, 2000)) {
        const r = await call('POST', `/api/recordings/${rec.id}/finalize`, rec.cookie, { lastSeq: RECORD - 1 }).catch(() => null);
        if (r?.ok) {
          const body = (await r.json()) as { status: string };
          if (body.status === 'verified' || body.status === 'complete') break;
        }
        await sleep(delay);
      }
      verifiedAt.push(Date.now());
    }),
  );
  const allVerifiedMs = Math.max(...verifiedAt) - endAt;
  // Assembly: watched in the database (support's view of the same columns).
  const ids = inv.recs.map((r) => r.id);
  const counts = async (): Promise<{ assembled: number; failed: number; segments: number }> => {
    if (dbUrl) {
      const db = new pg.Client({ connectionString: dbUrl });
      await db.connect();
      try {
        const a = (
          await db.query(
            `SELECT count(*) FILTER (WHERE assembly_state = 'assembled')::int AS assembled, count(*) FILTER (WHERE assembly_state = 'failed')::int AS failed FROM recordings WHERE id = ANY($1)`,
            [ids],
          )
        ).rows[0];
        const s = (await db.query(`SELECT count(*)::int AS n FROM segments WHERE recording_id = ANY($1)`, [ids])).rows[0];
        return { assembled: a.assembled, failed: a.failed, segments: s.n };
      } finally {
        await db.end();
      }
    }
    const db = new Database(path.join(seedEnv.DATA_DIR!, 'invigil.db'), { readonly: true });
    try {
      const q = `(${ids.map(() => '?').join(',')})`;
      const a = db.prepare(`SELECT sum(assembly_state = 'assembled') AS assembled, sum(assembly_state = 'failed') AS failed FROM recordings WHERE id IN ${q}`).get(...ids) as {
        assembled: number;
        failed: number;
      };
      const s = db.prepare(`SELECT count(*) AS n FROM segments WHERE recording_id IN ${q}`).get(...ids) as { n: number };
      return { assembled: a.assembled ?? 0, failed: a.failed ?? 0, segments: s.n };
    } finally {
      db.close();
    }
  };
  let c = await counts();
  while (c.assembled + c.failed < ids.length) {
    await sleep(1000);
    c = await counts();
  }
  const allAssembledMs = Date.now() - endAt;
  clearInterval(sampler);

  // ---- 6. baseline: the same paced segment load against the minimal ingest server ----
  const minimalDir = path.join(work, 'minimal');
  fs.mkdirSync(minimalDir);
  // It listens on a free port and says which over IPC (as bench/ingest/proc.ts starts it).
  const minimal = spawn('node', ['--import', 'tsx', 'bench/ingest/minimal-server.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: minimalDir, MINIMAL_SYNC: 'after' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const minimalUrl = await new Promise<string>((resolve) => minimal.once('message', (m: { base: string }) => resolve(m.base)));
  await until('minimal server', () => fetch(`${minimalUrl}/`).then(() => true));
  let minimalRes: Awaited<ReturnType<typeof paced>>;
  try {
    minimalRes = await paced(minimalUrl, async () => ({ id: ((await (await fetch(`${minimalUrl}/api/recordings`, { method: 'POST', body: '{}' })).json()) as { id: string }).id, cookie: null }));
  } finally {
    await stopProc(minimal);
  }

  const cores = os.availableParallelism();
  row(`segments: ${sessions.length} candidates × ${STREAMS.length} streams × ${RECORD} s`, `${inv.acks.length} acknowledged`);
  row('segment ack p50 / p99 — Invigil', `${pct(inv.acks, 50)} / ${pct(inv.acks, 99)} ms`, 'p99 < 1 s');
  row('segment ack p50 / p99 — minimal ingest (baseline)', `${pct(minimalRes.acks, 50)} / ${pct(minimalRes.acks, 99)} ms`);
  row('上传成功 for every recording after the common end', `${(allVerifiedMs / 1000).toFixed(1)} s`, '≤ 60 s');
  row('every recording assembled after the common end', `${(allAssembledMs / 1000).toFixed(1)} s (${c.failed} failed)`, 'report');
  row('assembly concurrency per process (ASSEMBLY_CONCURRENCY)', `${process.env.ASSEMBLY_CONCURRENCY ?? `max(2, cores) = ${Math.max(2, cores)}`} × ${procs.length} process(es)`);
  row('peak RSS / open fds (server processes, summed)', `${(peakRss / 1048576).toFixed(0)} MB / ${peakFds}`);
  row('segments acknowledged vs stored', `${inv.acks.length} vs ${c.segments}`, 'equal');

  const w = [Math.max(...rows.map((r) => r[0].length)), Math.max(...rows.map((r) => r[1].length))];
  console.log(
    `\nExam morning — stack ${STACK}, ${N} candidates, ${RECORD} s recordings, ${cores} cores, load ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  for (const [a, b, t] of rows) console.log(`${a.padEnd(w[0]!)}  ${b.padEnd(w[1]!)}  ${t}`);
  if (inv.acks.length !== c.segments) process.exitCode = 1;
} catch (e) {
  console.error('bench failed:', e);
  process.exitCode = 1;
} finally {
  await cleanup();
}
