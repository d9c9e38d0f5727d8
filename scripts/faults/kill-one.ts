// Fault: kill -9 one of the two Invigil processes of `npm run up:scaled` in the middle of an exam's uploads.
// Simulated candidates upload real WebM segments through nginx (one per second, each retried until acknowledged,
// as the browser's uploader does from its journal); one process is killed mid-way; nginx sends the retries to the
// other. At the end every candidate finalizes, and the script prints the seconds of recording lost (segments
// acknowledged or recorded but not stored — must be 0) and the longest pause a candidate's upload saw.
//
//   npm run up:scaled            # in another terminal (same STACK_DIR / PORT / PG_DB as below)
//   node --import tsx scripts/faults/kill-one.ts [--candidates 20] [--seconds 20] [--kill-at 8]
//
// Exit code 0 when nothing was lost.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';

const { values } = parseArgs({ options: { candidates: { type: 'string', default: '20' }, seconds: { type: 'string', default: '20' }, 'kill-at': { type: 'string', default: '8' } } });
const N = Number(values.candidates);
const SECONDS = Number(values.seconds);
const KILL_AT = Number(values['kill-at']);
const stack = process.env.STACK_DIR ?? path.resolve('data-scaled');
const base = `http://127.0.0.1:${process.env.PORT ?? 8080}`;
const dbUrl = `${(process.env.PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres').replace(/\/[^/]*$/, '')}/${process.env.PG_DB ?? 'invigil_scaled'}`;

// A live-style WebM cut into one-second chunks, header only in the first (as MediaRecorder's timeslice makes them).
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'invigil-fault-'));
execFileSync('sh', [
  '-c',
  `ffmpeg -hide_banner -loglevel error -nostdin -f lavfi -i testsrc=size=320x240:rate=15 -f lavfi -i sine=frequency=440:sample_rate=48000 -t ${SECONDS} -c:v libvpx -b:v 200k -deadline realtime -c:a libopus -f webm pipe:1 > '${tmp}/live.webm'`,
]);
const live = fs.readFileSync(`${tmp}/live.webm`);
const size = Math.ceil(live.length / SECONDS);
const chunks = Array.from({ length: SECONDS }, (_, i) => live.subarray(i * size, Math.min(live.length, (i + 1) * size)));
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const seedOut = execFileSync('npm', ['run', '--silent', 'invigil', '--', 'seed-demo', '--candidates', String(N), '--starts-in', '0', '--duration', '3600'], {
  env: { ...process.env, DATABASE_URL: dbUrl, DATA_DIR: path.join(stack, 'p1') },
  encoding: 'utf8',
});
const demo = JSON.parse(seedOut.trim().split('\n').at(-1)!) as { candidates: { idNumber: string; ticket: string }[] };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function call(method: string, url: string, cookie: string | null, body?: Buffer | object, headers: Record<string, string> = {}) {
  const isBuf = Buffer.isBuffer(body);
  return fetch(base + url, {
    method,
    headers: { ...(cookie ? { cookie } : {}), ...(body === undefined ? {} : { 'content-type': isBuf ? 'application/octet-stream' : 'application/json' }), ...headers },
    body: body === undefined ? undefined : isBuf ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
}
/** Retries until the server answers 2xx, like the browser's uploader; returns the answer and how long it took. */
async function untilOk(f: () => Promise<Response>): Promise<{ res: Response; waitedMs: number }> {
  const t0 = Date.now();
  for (let delay = 200; ; delay = Math.min(delay * 2, 2000)) {
    try {
      const res = await f();
      if (res.ok) return { res, waitedMs: Date.now() - t0 };
    } catch {
      // connection refused or reset while nginx notices the dead upstream: try again
    }
    await sleep(delay);
  }
}

let longestPauseMs = 0;
const recordings: string[] = [];
await Promise.all(
  demo.candidates.map(async (c, i) => {
    const login = (await untilOk(() => call('POST', '/api/auth/candidate-login', null, { idNumber: c.idNumber, ticket: c.ticket, clientId: `fault-client-${i}` }))).res;
    const cookie = login.headers
      .getSetCookie()
      .map((x) => x.split(';')[0])
      .join('; ');
    const attemptId = ((await login.json()) as { attemptId: string }).attemptId;
    const rec = (await (await untilOk(() => call('POST', `/api/attempts/${attemptId}/recordings`, cookie, { stream: 'camera', mimeType: 'video/webm' }))).res.json()) as { id: string };
    recordings.push(rec.id);
    const start = Date.now();
    for (let seq = 0; seq < SECONDS; seq++) {
      await sleep(Math.max(0, start + (seq + 1) * 1000 - Date.now())); // the recorder's pace
      const body = chunks[seq]!;
      const headers = { 'x-segment-sha256': sha(body), 'x-segment-run': '0', 'x-segment-recorded-at': String(Date.now()), 'x-segment-duration-ms': '1000' };
      const { waitedMs } = await untilOk(() => call('PUT', `/api/recordings/${rec.id}/segments/${seq}`, cookie, body, headers));
      longestPauseMs = Math.max(longestPauseMs, waitedMs);
    }
    await untilOk(() => call('POST', `/api/recordings/${rec.id}/finalize`, cookie, { lastSeq: SECONDS - 1 }));
  }),
  (async () => {
    await sleep(KILL_AT * 1000);
    const pid = Number(fs.readFileSync(path.join(stack, 'p1.pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    console.log(`kill -9 process 1 (pid ${pid}) at ${KILL_AT} s`);
  })(),
);

const db = new pg.Client({ connectionString: dbUrl });
await db.connect();
const rows = (await db.query(`SELECT r.id, r.status, count(s.seq)::int AS n FROM recordings r LEFT JOIN segments s ON s.recording_id = r.id WHERE r.id = ANY($1) GROUP BY r.id`, [recordings]))
  .rows as { status: string; n: number }[];
await db.end();
const stored = rows.reduce((n, r) => n + r.n, 0);
const lostSeconds = N * SECONDS - stored;
console.log(`candidates ${N}, segments recorded ${N * SECONDS}, stored ${stored}, verified recordings ${rows.filter((r) => r.status !== 'uploading').length}/${N}`);
console.log(`seconds of recording lost: ${lostSeconds}`);
console.log(`longest pause a candidate's upload saw: ${(longestPauseMs / 1000).toFixed(1)} s`);
fs.rmSync(tmp, { recursive: true, force: true });
process.exit(lostSeconds === 0 ? 0 : 1);
