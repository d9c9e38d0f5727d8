// The exam-morning benchmark (issue #18 "Done when"), through the public API only, printed as one table with the
// baselines measured in the same run:
//   1. N candidates log in over --login-window seconds, each with a real face (the fixture man turning his head
//      as the server's challenge asks; Human model on the server; the verification queue of #18 item 3); then the
//      desktop connects its monitoring socket and binds the proof phone (bind code on the desktop, the phone binds
//      with it from its own address, as a phone on mobile data would);
//   2. each records camera + screen (desktop) + phone (the bound phone's own session) for --record-seconds: one real
//      VP8/Opus WebM segment per --segment-seconds (default 3, the web recorder's timeslice) per stream, kept and sent
//      again until acknowledged (the uploader's journal);
//      the phone sends its heartbeat every 5 s meanwhile;
//   3. all end in the same second: every recording is finalized at once → time until every candidate has
//      上传成功, then time until every recording is assembled (the job queue's concurrency printed);
//   4. proctor events throughout (login, recording, end, assembly): each desktop socket sends a heartbeat
//      (`monitor:status`) and a thumbnail every --every-ms, the demo proctor's socket (all N are in its room)
//      receives them; candidate → proctor latency per phase (bench/realtime/load.ts), and in which 10 s of each
//      phase the late ones (> 150 ms) were sent;
//   5. peak RSS and open file descriptors of the server process(es), sampled every 500 ms;
//   6. segments acknowledged vs stored (must be equal);
//   7. baselines, together and under the same paced load: the segments against bench/ingest/minimal-server.ts
//      (PUT → SHA-256 → write → fsync soon after, no framework) and the same socket traffic against
//      bench/realtime/baseline-server.ts (bare socket.io relay, one room of N, no auth, no database).
//
//   node --max-semi-space-size=32 --import tsx bench/morning/run.ts --stack sqlite --candidates 1000 [--login-window 300] [--record-seconds 60]
//   node --max-semi-space-size=32 --import tsx bench/morning/run.ts --stack scaled --candidates 300 [...]
//
// The load generator runs with the server's young generation (scripts/server.sh): it stands in for 2,000 machines of
// their own, shares the 2 cores with the server, and with V8's default its scavenges took CPU the server then lacked
// (server stalls while recording 9.6 s with the default here, 1.8 s with the flag).
//
// --stack sqlite: one Invigil process, SQLite, local blob store. --stack scaled: scripts/scaled-stack.ts (the
// `npm run up:scaled` pieces: a PostgreSQL cluster and a Redis of the bench's own, s3rver, two Invigil processes
// and nginx in front, TRUST_PROXY set as a deployment behind nginx must). Every candidate's desktop and phone
// connect from an address of their own (127.x.y.1: nginx's ip_hash spreads them over both processes, and per-address
// limits see one candidate each, as in a real morning). Ports: BENCH_PORT_BASE (default 4400: nginx/single = base,
// Invigil base+10/base+20, s3 base+30), PostgreSQL 5406, Redis 6406.
import { fork, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import JSZip from 'jszip';
import pg from 'pg';
import { buildFaceFixtures } from '../../e2e/fixtures/faces.ts';
import { liveChunks, seedDemo, sleep, startInvigil, stopProc, until, type InvigilProc } from '../../scripts/faults/lib.ts';
import { startScaledStack, type ScaledStack } from '../../scripts/scaled-stack.ts';
import { percentile, RelayLoad, type LoadResult } from '../realtime/load.ts';

const Database = createRequire(new URL('../../packages/server/package.json', import.meta.url))('better-sqlite3') as typeof import('better-sqlite3');

const { values } = parseArgs({
  options: {
    stack: { type: 'string', default: 'sqlite' },
    candidates: { type: 'string', default: '20' },
    'login-window': { type: 'string', default: '30' },
    'record-seconds': { type: 'string', default: '20' },
    'segment-seconds': { type: 'string', default: '3' },
    'every-ms': { type: 'string', default: '5000' },
    'thumb-kb': { type: 'string', default: '6' },
  },
});
const N = Number(values.candidates);
const LOGIN_WINDOW = Number(values['login-window']);
const RECORD = Number(values['record-seconds']);
/** The recorder's timeslice: one segment per stream every SEG seconds (the web app's default is 3 s, recorder.ts). */
const SEG = Number(values['segment-seconds']);
const EVERY = Number(values['every-ms']);
const THUMB = Number(values['thumb-kb']) * 1024;
const STACK = values.stack as 'sqlite' | 'scaled';
if (STACK !== 'sqlite' && STACK !== 'scaled') throw new Error('--stack sqlite|scaled');
const BASE = Number(process.env.BENCH_PORT_BASE ?? 4400);
const STREAMS = ['camera', 'screen', 'phone'] as const;
const PHONE_HEARTBEAT_MS = 5000; // the phone app's default (PROOF_HEARTBEAT_SEC)
const PHONE_UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 Mobile Safari/537.36';
const ROOT = path.resolve(import.meta.dirname, '../..');

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/**
 * Starts `fn` for every item "at once", as thousands of candidates' own machines would, but a slice per round of
 * this process's event loop: starting 3,000 requests in one task stalled the bench for ~1 s, and the proctor's
 * socket, read in this process too, then made events look late that the server had delivered on time.
 */
async function allAtOnce<T, R>(items: T[], fn: (item: T, k: number) => Promise<R>, perRound = 50): Promise<R[]> {
  const started: Promise<R>[] = [];
  for (let k = 0; k < items.length; k++) {
    if (k && k % perRound === 0) await new Promise<void>((r) => setImmediate(r));
    started.push(fn(items[k]!, k));
  }
  return Promise.all(started);
}
const rows: [string, string, string][] = [];
const row = (what: string, value: string, target = '') => rows.push([what, value, target]);
const t0run = Date.now();
const log = (msg: string) => console.log(`[${((Date.now() - t0run) / 1000).toFixed(0).padStart(5)} s] ${msg}`);

// ---- HTTP from a given source address (node:http: fetch cannot choose it) ----
/** Candidate i's desktop and phone: addresses of their own, differing in the first three octets (nginx's ip_hash key). */
const deskAddr = (i: number) => `127.${10 + Math.floor(i / 250)}.${i % 250}.1`;
const phoneAddr = (i: number) => `127.${60 + Math.floor(i / 250)}.${i % 250}.1`;
interface Who {
  cookie: string;
  addr: string;
}
interface Res {
  status: number;
  ok: boolean;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}
const agents = new Map<string, http.Agent>();
const agentOf = (addr: string) => {
  let a = agents.get(addr);
  if (!a) agents.set(addr, (a = new http.Agent({ keepAlive: true, localAddress: addr } as http.AgentOptions)));
  return a;
};
function request(url: string, method: string, addr: string, headers: Record<string, string>, body?: Buffer | string, timeoutMs = 60_000): Promise<Res> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname + u.search,
        method,
        agent: agentOf(addr),
        timeout: timeoutMs,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }) },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, ok: res.statusCode! >= 200 && res.statusCode! < 300, headers: res.headers, body: Buffer.concat(parts) }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}
const cookieOf = (r: Res) => (r.headers['set-cookie'] ?? []).map((x) => x.split(';')[0]).join('; ');
const json = <T>(r: Res): T => {
  if (!r.ok) throw new Error(`${r.status} ${r.body.toString().slice(0, 300)}`);
  return JSON.parse(r.body.toString()) as T;
};

// ---- the stack ----
const work = fs.mkdtempSync(path.join(os.tmpdir(), `invigil-morning-${STACK}-`));
const logs = path.join(work, 'logs');
fs.mkdirSync(logs);
// Every Invigil process's event-loop stalls (bench/loop-watch.ts), to tell the server's late events from the bench's.
const loops = path.join(work, 'loops');
fs.mkdirSync(loops);
process.env.BENCH_LOOP_WATCH = loops;
/** The servers' stalls over 50 ms that began in [from, to) (wall clock). */
const serverStalls = (from: number, to: number): number[] =>
  fs
    .readdirSync(loops)
    .flatMap((f) => fs.readFileSync(path.join(loops, f), 'utf8').split('\n'))
    .map((l) => l.split(' ').map(Number))
    .filter(([at, ms]) => ms! > 0 && at! >= from && at! < to)
    .map(([, ms]) => ms!);
const procs: InvigilProc[] = [];
let scaled: ScaledStack | null = null;
let base: string;
let seedEnv: Record<string, string>;
let dbUrl: string | null = null;
const children: Array<ReturnType<typeof spawn>> = [];

async function cleanup() {
  for (const c of children) await stopProc(c);
  if (scaled) await scaled.stop();
  else for (const p of procs) await stopProc(p.proc);
  for (const a of agents.values()) a.destroy();
  if (!process.env.BENCH_KEEP) fs.rmSync(work, { recursive: true, force: true, maxRetries: 5, retryDelay: 500 });
}

try {
  if (STACK === 'sqlite') {
    procs.push(await startInvigil('single', BASE, path.join(work, 'single'), { PUBLIC_URL: `http://127.0.0.1:${BASE}`, NODE_ENV: 'production' }, logs));
    base = `http://127.0.0.1:${BASE}`;
    seedEnv = { DATA_DIR: path.join(work, 'single') };
  } else {
    scaled = await startScaledStack({
      dir: work,
      logs,
      portBase: BASE,
      pgPort: Number(process.env.BENCH_PG_PORT ?? 5406),
      redisPort: Number(process.env.BENCH_REDIS_PORT ?? 6406),
      dbName: 'invigil_morning',
      env: { NODE_ENV: 'production' },
    });
    procs.push(...scaled.procs);
    base = scaled.url;
    dbUrl = scaled.dbUrl;
    seedEnv = scaled.seedEnv;
  }
  log(`stack ${STACK} up at ${base}; ${N} candidates`);

  // ---- sampling RSS and fds of the server processes ----
  let peakRss = 0;
  let peakFds = 0;
  const cpuSec = procs.map(() => 0); // user + system, seconds, per process: does nginx spread the work?
  const sampler = setInterval(() => {
    let rss = 0;
    let fds = 0;
    for (const [i, p] of procs.entries()) {
      try {
        const stat = fs.readFileSync(`/proc/${p.proc.pid}/stat`, 'utf8');
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        cpuSec[i] = (Number(f[11]) + Number(f[12])) / 100;
        rss += Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p.proc.pid}/status`, 'utf8'))![1]) * 1024;
        fds += fs.readdirSync(`/proc/${p.proc.pid}/fd`).length;
      } catch {
        /* gone */
      }
    }
    peakRss = Math.max(peakRss, rss);
    peakFds = Math.max(peakFds, fds);
  }, 500);

  // A reused keep-alive connection the server has just closed fails once ("socket hang up"): tried again, as a
  // browser does.
  const call = async (method: string, url: string, who: Who | null, body?: Buffer | object, headers: Record<string, string> = {}, timeoutMs = 60_000): Promise<Res> => {
    const isBuf = Buffer.isBuffer(body);
    const h = {
      origin: base,
      ...(who?.cookie ? { cookie: who.cookie } : {}),
      ...(body === undefined ? {} : { 'content-type': isBuf ? 'application/octet-stream' : 'application/json' }),
      ...headers,
    };
    for (let i = 0; ; i++) {
      try {
        return await request(base + url, method, who?.addr ?? '127.0.0.1', h, body === undefined ? undefined : isBuf ? body : JSON.stringify(body), timeoutMs);
      } catch (e) {
        if (i >= 5) throw e;
        await sleep(200 * (i + 1));
      }
    }
  };

  // ---- seed, register the faces (one zip import: setup, not measured) ----
  const demo = seedDemo(N, seedEnv, ['--face', 'on', '--proof', 'on']) as ReturnType<typeof seedDemo> & {
    sessionId: string;
    admin: { username: string; password: string };
    proctor: { username: string; password: string };
  };
  const fx = await buildFaceFixtures({ videos: false });
  const adminCookie = cookieOf(await call('POST', '/api/auth/login', null, demo.admin));
  const zip = new JSZip();
  const photo = fs.readFileSync(fx.photo.man0);
  for (const c of demo.candidates) zip.file(`${c.idNumber}.jpg`, photo);
  const imported = await call(
    'POST',
    `/api/face/sessions/${demo.sessionId}/photos.zip`,
    { cookie: adminCookie, addr: '127.0.0.1' },
    (await zip.generateAsync({ type: 'nodebuffer' })) as Buffer,
    { 'content-type': 'application/zip' },
    3_600_000,
  );
  const report = json<{ accepted: number }>(imported);
  if (report.accepted !== N) throw new Error(`photo import accepted ${report.accepted}/${N}: ${JSON.stringify(report).slice(0, 300)}`);
  const turn = { left: fx.turn.left.map((f) => fs.readFileSync(f).toString('base64')), right: fx.turn.right.map((f) => fs.readFileSync(f).toString('base64')) };
  log(`seeded, ${N} face photos registered`);

  // ---- proctor events: the demo proctor watches the session from the start (all N are in its room) ----
  // The recordings' media, made now: ffmpeg runs synchronously, and made between the logins and the recording (as
  // before) it stalled this process for 1.0–1.4 s while it read the proctor's socket — late events at the login
  // phase's end that the server had delivered on time.
  const seconds = liveChunks(RECORD);
  const chunks = Array.from({ length: Math.ceil(RECORD / SEG) }, (_, k) => Buffer.concat(seconds.slice(k * SEG, (k + 1) * SEG)));
  const relay = new RelayLoad({ everyMs: EVERY, thumbBytes: THUMB });
  const proctorCookie = cookieOf(await call('POST', '/api/auth/login', null, demo.proctor));
  await relay.proctor(base, proctorCookie, demo.sessionId);

  // ---- 1. login with a face each, arrivals spread over the window; then the socket and the proof phone ----
  // When each phase began (performance.now(), as the relay stamps its events): to say where a phase's late events fall.
  const phaseStart = new Map<string, number>();
  const phaseWall = new Map<string, [number, number]>();
  const enterPhase = (p: string) => {
    if (relay.phase) endPhase(relay.phase);
    relay.phase = p;
    phaseStart.set(p, performance.now());
    phaseWall.set(p, [Date.now(), Infinity]);
  };
  const endPhase = (p: string) => {
    phaseWall.get(p)![1] = Date.now();
    log(`event-loop stalls in the ${p} phase — bench: ${stallsOf(benchStalls.get(p) ?? [])}; server: ${stallsOf(serverStalls(...phaseWall.get(p)!))}`);
  };
  const sincePhase = (p: string) => ((performance.now() - phaseStart.get(p)!) / 1000).toFixed(0);
  // The bench's own event loop: the proctor's socket is read here too, so a stall of this process (sending 3,000
  // requests in one task, say) makes events look late that the server delivered on time. Stalls over 50 ms, per phase.
  const benchStalls = new Map<string, number[]>();
  let lastTick = performance.now();
  const stallWatch = setInterval(() => {
    const now = performance.now();
    const stall = now - lastTick - 10;
    lastTick = now;
    if (stall > 50 && relay.phase) benchStalls.set(relay.phase, [...(benchStalls.get(relay.phase) ?? []), stall]);
  }, 10);
  const stallsOf = (xs: number[]) => {
    return `${xs.length} over 50 ms, longest ${Math.max(0, ...xs).toFixed(0)} ms, ${(xs.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s in all`;
  };
  enterPhase('login');
  const loginMs: number[] = [];
  let mostAhead = 0; // a running maximum: one entry per poll overflowed Math.max(...list) at N = 1,000
  const sessions: { desk: Who; phone: Who; attemptId: string }[] = [];
  const loginStart = Date.now();
  await Promise.all(
    demo.candidates.map(async (c, i) => {
      await sleep((i / N) * LOGIN_WINDOW * 1000);
      const t0 = Date.now();
      const desk: Who = { cookie: '', addr: deskAddr(i) };
      const login = await call('POST', '/api/auth/candidate-login', desk, { idNumber: c.idNumber, ticket: c.ticket, clientId: `bench-client-${i}-00000000` });
      desk.cookie = cookieOf(login);
      const { attemptId } = json<{ attemptId: string }>(login);
      const state = json<{ challenge: { id: string; action: string } }>(await call('POST', '/api/face/me/consent', desk, { accepted: true, policyVersion: 'bench' }));
      let answer = json<{ passed?: boolean; queued?: boolean; ticket?: string; position?: number }>(
        await call('POST', '/api/face/me/verify', desk, { challengeId: state.challenge.id, frames: state.challenge.action === 'turn-left' ? turn.left : turn.right }),
      );
      while (answer.queued) {
        mostAhead = Math.max(mostAhead, answer.position ?? 0);
        answer = json(await call('GET', `/api/face/me/verify/${answer.ticket}`, desk));
      }
      if (!answer.passed) throw new Error(`candidate ${i}: face login refused: ${JSON.stringify(answer)}`);
      loginMs.push(Date.now() - t0);
      await relay.candidate(base, desk.cookie, {}, Math.random() * EVERY, desk.addr);
      const { code } = json<{ code: string }>(await call('POST', '/api/proof/bind-code', desk));
      const phone: Who = { cookie: '', addr: phoneAddr(i) };
      phone.cookie = cookieOf(await call('POST', '/api/proof/bind', phone, { code, userAgent: PHONE_UA }).then((r) => (json(r), r)));
      sessions.push({ desk, phone, attemptId });
    }),
  );
  const loginSeconds = (Date.now() - loginStart) / 1000;
  log(
    `${sessions.length} logged in with a face, socket connected, phone bound, in ${loginSeconds.toFixed(0)} s; login p50 / p99 ${pct(loginMs, 50)} / ${pct(loginMs, 99)} ms; most ahead in the face queue ${mostAhead}`,
  );

  // ---- 2. record camera + screen + phone, paced, against a server (Invigil or the minimal baseline) ----
  interface Rec {
    id: string;
    who: Who;
  }
  async function paced(target: string, recs: Rec[], refusals = new Map<string, number>()): Promise<number[]> {
    const acks: number[] = [];
    const start = Date.now() + 1000;
    await Promise.all(
      recs.map(async (rec, k) => {
        const offset = Math.round((k / recs.length) * SEG * 1000); // spread within the timeslice, as real recorders start
        for (let seq = 0; seq < chunks.length; seq++) {
          const due = start + offset + seq * SEG * 1000;
          await sleep(Math.max(0, due - Date.now()));
          const body = chunks[seq]!;
          const headers = {
            origin: target,
            ...(rec.who.cookie ? { cookie: rec.who.cookie } : {}),
            'content-type': 'application/octet-stream',
            'x-segment-sha256': sha(body),
            'x-segment-run': '0',
            'x-segment-recorded-at': String(due),
            'x-segment-duration-ms': String(SEG * 1000),
          };
          for (let delay = 200; ; delay = Math.min(delay * 2, 2000)) {
            const t0 = Date.now();
            const answer = await request(`${target}/api/recordings/${rec.id}/segments/${seq}`, 'PUT', rec.who.addr, headers, body, 30_000).catch((e: Error) => e);
            if (!(answer instanceof Error) && answer.ok) {
              acks.push(Date.now() - t0);
              break;
            }
            const why = answer instanceof Error ? `0 ${answer.message}` : `${answer.status} ${answer.body.toString().slice(0, 200)}`;
            refusals.set(why.split(' ')[0]!, (refusals.get(why.split(' ')[0]!) ?? 0) + 1);
            // A browser would keep trying for the whole exam; a refusal that lasts is a broken run, not a slow one.
            if (Date.now() - due > 180_000 || (!(answer instanceof Error) && answer.status === 400)) throw new Error(`segment ${seq} of ${rec.id} not acknowledged after 180 s: ${why}`);
            await sleep(delay);
          }
        }
      }),
    );
    return acks;
  }
  log(`opening ${sessions.length * STREAMS.length} recordings at once (login phase + ${sincePhase('login')} s)`);
  const invRecs: Rec[] = await allAtOnce(
    sessions.flatMap((s) => STREAMS.map((stream) => ({ s, stream }))),
    async ({ s, stream }) => {
      const who = stream === 'phone' ? s.phone : s.desk;
      return { id: json<{ id: string }>(await call('POST', `/api/attempts/${s.attemptId}/recordings`, who, { stream, mimeType: 'video/webm' })).id, who };
    },
  );
  // The phones' heartbeats while they record.
  let beats = 0;
  const beatFailures: Record<string, number> = {};
  const beatTimers = sessions.map((s) =>
    setTimeout(() => {
      const beat = () =>
        void call('POST', '/api/proof/heartbeat', s.phone, { recording: true, battery: null, storageFreeMb: null, wakeLock: true })
          .then((r) => (r.ok ? beats++ : (beatFailures[r.status] = (beatFailures[r.status] ?? 0) + 1)))
          .catch(() => (beatFailures['0'] = (beatFailures['0'] ?? 0) + 1));
      beat();
      beatTimers.push(setInterval(beat, PHONE_HEARTBEAT_MS));
    }, Math.random() * PHONE_HEARTBEAT_MS),
  );
  enterPhase('recording');
  log(`recording ${invRecs.length} streams for ${RECORD} s`);
  const invRefusals = new Map<string, number>();
  const invAcks = await paced(base, invRecs, invRefusals);
  beatTimers.forEach((t) => clearInterval(t));
  const recEv = relay.results.get('recording');
  const recEvAll = recEv ? [...recEv.status, ...recEv.thumbs] : [];
  log(
    `recorded: ${invAcks.length} acks, p50 / p99 ${pct(invAcks, 50)} / ${pct(invAcks, 99)} ms; proctor events p50 / p99 ${percentile(recEvAll, 50).toFixed(0)} / ${percentile(recEvAll, 99).toFixed(0)} ms`,
  );

  // ---- 3. everyone ends in the same second ----
  enterPhase('end');
  const endAt = Date.now();
  const verifiedAt: number[] = [];
  const finalizeSent: number[] = [];
  await allAtOnce(invRecs, async (rec) => {
    finalizeSent.push(Date.now()); // the first try of each: all in the same second?
    for (let delay = 200; ; delay = Math.min(delay * 2, 2000)) {
      const r = await call('POST', `/api/recordings/${rec.id}/finalize`, rec.who, { lastSeq: chunks.length - 1 }).catch(() => null);
      if (r?.ok) {
        const body = JSON.parse(r.body.toString()) as { status: string };
        if (body.status === 'verified' || body.status === 'complete') break;
      }
      await sleep(delay);
    }
    verifiedAt.push(Date.now());
  });
  const allVerifiedMs = Math.max(...verifiedAt) - endAt;
  log(`上传成功 for all after ${(allVerifiedMs / 1000).toFixed(1)} s; waiting for assembly`);
  enterPhase('assembly');
  // Assembly: watched in the database (support's view of the same columns).
  const ids = invRecs.map((r) => r.id);
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
  log(`all assembled after ${(allAssembledMs / 1000).toFixed(1)} s`);
  clearInterval(sampler);
  clearInterval(stallWatch);
  endPhase('assembly');
  const droppedSockets = relay.dropped();
  await relay.stop();

  // ---- 7. baselines, together: the same paced segments against the minimal ingest server, the same socket traffic
  // against the bare socket.io relay ----
  const minimalDir = path.join(work, 'minimal');
  fs.mkdirSync(minimalDir);
  const childUrl = (child: ReturnType<typeof spawn>) =>
    new Promise<string>((resolve, reject) => {
      child.once('message', (m) => resolve((m as { base: string }).base));
      child.once('exit', (code) => reject(new Error(`baseline server exited with ${code} before it was ready`)));
    });
  // It listens on a free port and says which over IPC (as bench/ingest/proc.ts starts it).
  const minimal = spawn('node', ['--import', 'tsx', 'bench/ingest/minimal-server.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: minimalDir, MINIMAL_SYNC: 'after' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  children.push(minimal);
  const bare = fork(path.join(ROOT, 'bench/realtime/baseline-server.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_CANDIDATES: String(N), BENCH_PER_ROOM: String(N) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(bare);
  const [minimalUrl, bareUrl] = await Promise.all([childUrl(minimal), childUrl(bare)]);
  await until('minimal server', () => fetch(`${minimalUrl}/`).then(() => true));
  const bareRelay = new RelayLoad({ everyMs: EVERY, thumbBytes: THUMB });
  await bareRelay.proctor(bareUrl, '', 'bench', { room: '0' });
  for (let i = 0; i < sessions.length; i += 50)
    await Promise.all(sessions.slice(i, i + 50).map((_, j) => bareRelay.candidate(bareUrl, '', { room: '0', attempt: `a${i + j}` }, Math.random() * EVERY, deskAddr(i + j))));
  await sleep(EVERY); // every socket has started ticking
  const minimalRecs: Rec[] = await Promise.all(
    sessions.flatMap((s) =>
      STREAMS.map(async (stream) => {
        const who = { cookie: '', addr: stream === 'phone' ? s.phone.addr : s.desk.addr };
        return { id: json<{ id: string }>(await request(`${minimalUrl}/api/recordings`, 'POST', who.addr, {}, '{}')).id, who };
      }),
    ),
  );
  bareRelay.phase = 'baseline';
  log('baselines: minimal ingest + bare socket.io, same paced load');
  const minimalAcks = await paced(minimalUrl, minimalRecs);
  const bareDropped = bareRelay.dropped();
  await bareRelay.stop();
  for (const ch of children) await stopProc(ch);

  const cores = os.availableParallelism();
  const ev = (r: LoadResult | undefined) => {
    const all = r ? [...r.status, ...r.thumbs] : [];
    const sent = r ? r.sentStatus + r.sentThumbs : 0;
    return { p50: percentile(all, 50), p99: percentile(all, 99), got: all.length, sent };
  };
  const evRow = (name: string, r: LoadResult | undefined, target = '') => {
    const e = ev(r);
    row(name, `${e.p50.toFixed(0)} / ${e.p99.toFixed(0)} ms (${e.got}/${e.sent})`, target);
    return e;
  };
  row('logins with a face (passed)', `${loginMs.length}/${N} in ${loginSeconds.toFixed(0)} s`, 'all, within 5 min');
  row('login p50 / p99 (login → face decision)', `${(pct(loginMs, 50) / 1000).toFixed(2)} / ${(pct(loginMs, 99) / 1000).toFixed(2)} s`, 'p99 ≤ 3 s');
  row('face queue: most candidates ahead seen', `${mostAhead}`);
  row('proof phones bound (own address each)', `${sessions.length}/${N}`);
  row(`segments: ${sessions.length} candidates × ${STREAMS.length} streams × ${RECORD} s in ${SEG} s segments`, `${invAcks.length} acknowledged`);
  row('segment tries refused, by status (retried)', JSON.stringify(Object.fromEntries(invRefusals)));
  row('segment ack p50 / p99 — Invigil', `${pct(invAcks, 50)} / ${pct(invAcks, 99)} ms`, 'p99 < 1 s');
  row('segment ack p50 / p99 — minimal ingest (baseline)', `${pct(minimalAcks, 50)} / ${pct(minimalAcks, 99)} ms`);
  row('phone heartbeats answered / failed', `${beats} / ${JSON.stringify(beatFailures)}`);
  const phases = ['login', 'recording', 'end', 'assembly'] as const;
  const worst = phases.map((p) => evRow(`proctor events p50 / p99 (delivered/sent) — ${p}`, relay.results.get(p), 'p99 < 150 ms'));
  const bareEv = evRow('proctor events p50 / p99 — bare socket.io (baseline, recording load)', bareRelay.results.get('baseline'));
  row('candidate sockets dropped — Invigil / bare socket.io', `${droppedSockets} / ${bareDropped}`, '0');
  row('finalize of every recording sent within', `${((Math.max(...finalizeSent) - endAt) / 1000).toFixed(2)} s of the common end`, 'same second');
  row('上传成功 for every recording after the common end', `${(allVerifiedMs / 1000).toFixed(1)} s`, '≤ 60 s');
  row('every recording assembled after the common end', `${(allAssembledMs / 1000).toFixed(1)} s (${c.failed} failed)`, 'report');
  row('assembly concurrency per process (ASSEMBLY_CONCURRENCY)', `${process.env.ASSEMBLY_CONCURRENCY ?? `max(2, cores) = ${Math.max(2, cores)}`} × ${procs.length} process(es)`);
  row('server CPU per process (user + system)', cpuSec.map((x) => `${x.toFixed(0)} s`).join(' + '));
  row('peak RSS / open fds (server processes, summed)', `${(peakRss / 1048576).toFixed(0)} MB / ${peakFds}`);
  row('segments acknowledged vs stored', `${invAcks.length} vs ${c.segments}`, 'equal');

  const w = [Math.max(...rows.map((r) => r[0].length)), Math.max(...rows.map((r) => r[1].length))];
  console.log(
    `\nExam morning — stack ${STACK}, ${N} candidates, ${RECORD} s recordings × ${STREAMS.length} streams in ${SEG} s segments, events every ${EVERY} ms, ${cores} cores, ${new Date().toISOString()}, load ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  for (const [a, b, t] of rows) console.log(`${a.padEnd(w[0]!)}  ${b.padEnd(w[1]!)}  ${t}`);
  const p99s = worst.map((e) => e.p99).filter(Number.isFinite);
  console.log(
    `proctor events: worst phase p99 ${Math.max(...p99s).toFixed(0)} ms vs bare socket.io ${bareEv.p99.toFixed(0)} ms (×${(Math.max(...p99s) / bareEv.p99).toFixed(2)}); ` +
      `segment ack p99 Invigil / minimal ×${(pct(invAcks, 99) / pct(minimalAcks, 99)).toFixed(2)}`,
  );
  // Where the late events of each phase fall, in 10-second windows from the phase's start (the busiest four).
  for (const p of phases) {
    const late = relay.late.filter((e) => e.phase === p);
    if (!late.length) continue;
    const windows = new Map<number, { n: number; worst: number }>();
    for (const e of late) {
      const k = Math.floor((e.sentAt - phaseStart.get(p)!) / 10_000);
      const win = windows.get(k) ?? { n: 0, worst: 0 };
      win.n++;
      win.worst = Math.max(win.worst, e.ms);
      windows.set(k, win);
    }
    const top = [...windows].sort((a, b) => b[1].n - a[1].n).slice(0, 4);
    console.log(
      `late proctor events (> ${relay.lateMs} ms) — ${p}: ${late.length}; most sent at ${top.map(([k, x]) => `+${k * 10}–${k * 10 + 10} s: ${x.n} (worst ${x.worst.toFixed(0)} ms)`).join(', ')}`,
    );
  }
  if (invAcks.length !== c.segments) process.exitCode = 1;
} catch (e) {
  console.error('bench failed:', e);
  process.exitCode = 1;
} finally {
  await cleanup();
}
process.exit(process.exitCode ?? 0);
