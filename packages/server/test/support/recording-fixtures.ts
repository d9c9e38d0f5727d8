// Test fixtures for the recording pipeline: a database with a session and candidates (SQLite by default,
// PostgreSQL in a private schema when TEST_DATABASE_URL is set), login cookies, the real app, and real WebM
// made by ffmpeg and cut into chunks the way MediaRecorder emits them (header only in a run's first chunk).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openDatabase, migrate, type OpenedDb } from '../../src/adapters/db/database.ts';
import { loadConfig } from '../../src/config.ts';
import type { Ctx } from '../../src/services/context.ts';
import { systemClock } from '../../src/services/context.ts';
import { buildApp } from '../../src/app.ts';
import { recordingRoutes } from '../../src/http/routes/recordings.ts';
import { LocalBlobStore } from '../../src/adapters/blob/local.ts';
import type { BlobStore } from '../../src/adapters/blob/port.ts';
import { InProcessJobQueue } from '../../src/adapters/jobs/in-process.ts';
import { startAssembly } from '../../src/services/recordings/assembly-job.ts';
import { attemptRow } from '../../src/adapters/db/rows.ts';

const exec = promisify(execFile);
export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export type DbChoice = 'sqlite' | 'postgres';
export const dbChoices: DbChoice[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

async function openTestDb(kind: DbChoice, dir: string): Promise<OpenedDb> {
  if (kind === 'sqlite') return openDatabase({ kind: 'sqlite', file: path.join(dir, 'test.db') });
  // A private database per test (not a schema: Kysely's migrator would see other schemas' migration tables).
  const name = `invigil_t_${randomUUID().replaceAll('-', '')}`;
  const pg = await import('pg');
  const admin = async (q: string) => {
    const c = new pg.default.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await c.connect();
    try {
      await c.query(q);
    } finally {
      await c.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  const opened = await openDatabase({ kind: 'postgres', url: url.toString() });
  return {
    ...opened,
    async close() {
      await opened.close();
      await admin(`drop database if exists ${name}`);
    },
  };
}

export interface World {
  dir: string;
  ctx: Ctx;
  jobs: InProcessJobQueue;
  app: FastifyInstance;
  blobs: BlobStore;
  sessionId: string;
  candidates: { candidateId: string; attemptId: string; cookie: string }[];
  staff(role: 'admin' | 'support' | 'proctor'): Promise<string>;
  close(): Promise<void>;
}

/** A session with `n` candidates who have logged in; `wrapBlobs` lets a test inject storage failures. */
export async function createWorld(
  opts: { db?: DbChoice; candidates?: number; proof?: boolean; wrapBlobs?: (b: BlobStore) => BlobStore; assembly?: { retryLimit?: number }; env?: Record<string, string> } = {},
): Promise<World> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'invigil-rec-'));
  const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', ...opts.env });
  const db = await openTestDb(opts.db ?? 'sqlite', dir);
  await migrate(db.db);
  const ctx: Ctx = { db: db.db, dbKind: db.kind, config, clock: systemClock };
  const local = await LocalBlobStore.create(path.join(dir, 'blobs'));
  const blobs = opts.wrapBlobs ? opts.wrapBlobs(local) : local;
  const now = Date.now();
  const examId = randomUUID();
  const sessionId = randomUUID();
  await db.db.insertInto('exams').values({ id: examId, name: 'Exam', description: '', created_at: now }).execute();
  await db.db
    .insertInto('sessions')
    .values({
      id: sessionId,
      exam_id: examId,
      name: 'S1',
      kind: 'real',
      login_opens_at: now - 3600_000,
      entry_opens_at: now - 1800_000,
      waiting_cutoff_at: null,
      starts_at: now - 600_000,
      duration_sec: 7200,
      entry_cutoff_mode: 'at-start',
      entry_cutoff_minutes: 0,
      face_required: 0,
      proof_required: opts.proof ? 1 : 0,
      created_at: now,
    })
    .execute();
  const candidates: World['candidates'] = [];
  for (let i = 0; i < (opts.candidates ?? 2); i++) {
    const candidateId = randomUUID();
    const attemptId = randomUUID();
    await db.db
      .insertInto('candidates')
      .values({
        id: candidateId,
        session_id: sessionId,
        room_id: null,
        panel_id: null,
        name: `考生${i + 1}`,
        id_number: `11010119900101${String(i).padStart(4, '0')}`,
        ticket: `T${String(i + 1).padStart(3, '0')}`,
        anonymous_number: `A${i}`,
        photo_key: null,
        created_at: now,
      })
      .execute();
    await db.db
      .insertInto('attempts')
      .values(
        attemptRow({
          id: attemptId,
          candidate_id: candidateId,
          session_id: sessionId,
          status: 'in-progress',
          logged_in_at: now,
          entered_at: now,
          live_client_id: 'c',
          live_seen_at: now,
        }),
      )
      .execute();
    candidates.push({ candidateId, attemptId, cookie: await authCookie(ctx, { kind: 'candidate', candidate_id: candidateId, attempt_id: attemptId }) });
  }
  const app = await buildApp(config, { db, plugins: [(a, c) => recordingRoutes(a, c, blobs)] });
  await app.ready();
  // Assembly runs on the job queue, as in the server (a short poll so retries come round quickly in tests).
  const jobs = new InProcessJobQueue(db.db, { pollMs: 100 });
  await startAssembly(ctx, jobs, blobs, { concurrency: 2, retryDelaySec: 0.2, ...opts.assembly });
  await jobs.start();
  return {
    dir,
    ctx,
    jobs,
    app,
    blobs,
    sessionId,
    candidates,
    async staff(role) {
      const userId = randomUUID();
      await db.db
        .insertInto('users')
        .values({ id: userId, username: `${role}-${userId.slice(0, 8)}`, display_name: role, role, password_hash: 'x', disabled: 0, created_at: now })
        .execute();
      return authCookie(ctx, { kind: 'staff', user_id: userId });
    },
    async close() {
      await jobs.stop();
      await app.close();
      await db.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

/** A login the way services/auth.ts stores it: the row id is the SHA-256 of the cookie token. */
export async function authCookie(ctx: Ctx, who: { kind: 'candidate'; candidate_id: string; attempt_id: string } | { kind: 'staff'; user_id: string }): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const now = Date.now();
  await ctx.db
    .insertInto('auth_sessions')
    .values({
      id: sha256(Buffer.from(token)),
      kind: who.kind,
      user_id: who.kind === 'staff' ? who.user_id : null,
      candidate_id: who.kind === 'candidate' ? who.candidate_id : null,
      attempt_id: who.kind === 'candidate' ? who.attempt_id : null,
      client_id: 'test',
      created_at: now,
      expires_at: now + 3600_000,
      last_seen_at: now,
    })
    .execute();
  return `invigil_sid=${token}`;
}

/** A live-style WebM (written to a pipe: no duration, no cues — like MediaRecorder), `seconds` long. */
/** `audioFirst` puts the Opus track before the VP8 one, as Chromium's MediaRecorder sometimes does on a restart. */
export async function liveWebm(dir: string, name: string, seconds: number, tone = 440, audioFirst = false): Promise<Buffer> {
  const file = path.join(dir, name);
  const map = audioFirst ? '-map 1:a -map 0:v' : '-map 0:v -map 1:a';
  await exec('sh', [
    '-c',
    `ffmpeg -hide_banner -loglevel error -nostdin -f lavfi -i testsrc=size=320x240:rate=15 -f lavfi -i sine=frequency=${tone}:sample_rate=48000 ${map} -t ${seconds} -c:v libvpx -b:v 200k -deadline realtime -c:a libopus -f webm pipe:1 > '${file}'`,
  ]);
  return fs.readFile(file);
}

/** Cuts a run into `n` byte chunks; only the first holds the WebM header, exactly like a timeslice recording. */
export function chunk(file: Buffer, n: number): Buffer[] {
  const size = Math.ceil(file.length / n);
  return Array.from({ length: n }, (_, i) => file.subarray(i * size, Math.min(file.length, (i + 1) * size))).filter((b) => b.length > 0);
}

export interface Seg {
  seq: number;
  run: number;
  body: Buffer;
  recordedAt: number;
  durationMs: number;
  runStartedAt?: number; // first segment of a run: its first real frame, as the browser declares it
}

/** Segments of consecutive runs; each run starts `gapMs` after the previous one ended. */
export function segmentsOf(runs: { chunks: Buffer[]; seconds: number }[], startAt: number, gapMs = 0): Seg[] {
  const out: Seg[] = [];
  let t = startAt;
  for (const [run, r] of runs.entries()) {
    if (run > 0) t += gapMs;
    const per = Math.round((r.seconds * 1000) / r.chunks.length);
    for (const body of r.chunks) {
      t += per;
      out.push({ seq: out.length, run, body, recordedAt: t, durationMs: per });
    }
  }
  return out;
}

export function putSegment(app: FastifyInstance, cookie: string, recordingId: string, s: Seg, sha = sha256(s.body)) {
  return app.inject({
    method: 'PUT',
    url: `/api/recordings/${recordingId}/segments/${s.seq}`,
    headers: {
      cookie,
      'content-type': 'application/octet-stream',
      'x-segment-sha256': sha,
      'x-segment-run': String(s.run),
      'x-segment-recorded-at': String(s.recordedAt),
      'x-segment-duration-ms': String(s.durationMs),
      ...(s.runStartedAt !== undefined ? { 'x-segment-run-started-at': String(s.runStartedAt) } : {}),
    },
    payload: s.body,
  });
}

export async function openRec(app: FastifyInstance, cookie: string, attemptId: string, stream = 'camera') {
  const res = await app.inject({ method: 'POST', url: `/api/attempts/${attemptId}/recordings`, headers: { cookie }, payload: { stream, mimeType: 'video/webm;codecs=vp8,opus' } });
  if (res.statusCode !== 200) throw new Error(`open failed: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; status: string };
}

export const finalize = (app: FastifyInstance, cookie: string, recordingId: string, lastSeq: number) =>
  app.inject({ method: 'POST', url: `/api/recordings/${recordingId}/finalize`, headers: { cookie }, payload: { lastSeq } });

/** Waits (by polling the candidate's own GET, as a client would) until the recording's assembly job is done —
 *  assembled or failed for good — and returns that last answer. */
export async function assembled(app: FastifyInstance, cookie: string, recordingId: string, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await app.inject({ method: 'GET', url: `/api/recordings/${recordingId}`, headers: { cookie } });
    const state = res.json().assembly?.state;
    if (res.statusCode !== 200 || state === 'assembled' || state === 'failed' || res.json().status === 'missing') return res;
    if (Date.now() > until) throw new Error(`recording ${recordingId} not assembled after ${timeoutMs} ms: ${res.body.slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Finalize, which answers 'verified' at once (上传成功), then the assembled recording once its job is done. */
export async function finalizeAssembled(app: FastifyInstance, cookie: string, recordingId: string, lastSeq: number) {
  const res = await finalize(app, cookie, recordingId, lastSeq);
  if (res.statusCode !== 200) return res;
  return assembled(app, cookie, recordingId);
}

export async function ffprobeSeconds(file: string): Promise<number> {
  const { stdout } = await exec('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=nw=1:nk=1', file]);
  return Number(stdout.trim());
}
