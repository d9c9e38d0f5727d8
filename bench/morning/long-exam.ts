// What a long exam costs the event loop (issue #18): bench/morning records 60 s; an exam lasts 25 minutes, i.e.
// 500 segments per stream at the recorder's 3 s timeslice. Three reads run while candidates record and at the
// common end — the session dashboard pushed to admin and support (at most every 500 ms while candidates move) and
// the per-attempt upload quota tally (every 5 s per recording attempt, on the segment PUT path) — and the support
// view's recordings table (polled every 10 s by each support user). All are synchronous on SQLite: whatever they
// cost, the event loop does nothing else meanwhile.
//
// N candidates × 3 streams × K segments are written straight into the tables (real schema, real migrations), for
// K = the baseline (1 minute) and K = the long exam; each read is timed on both, and the ratio printed.
//   node --import tsx bench/morning/long-exam.ts [--candidates 1000] [--minutes 25] [--base-minutes 1]
import { parseArgs } from 'node:util';
import { cookieOf, makeApp } from '../../packages/server/test/helpers/app.ts';
import { seedDemo } from '../../packages/server/src/services/demo.ts';
import { dashboard } from '../../packages/server/src/services/dashboard.ts';
import { uploadTally } from '../../packages/server/src/services/recordings/quota.ts';

// kysely is the server package's dependency, not the bench's: the same module the server's Kysely comes from.
const { sql } = (await import(
  new URL('../../packages/server/node_modules/kysely/dist/esm/index.js', import.meta.url).href
)) as typeof import('../../packages/server/node_modules/kysely/dist/esm/index.js');

const { values: a } = parseArgs({ options: { candidates: { type: 'string', default: '1000' }, minutes: { type: 'string', default: '25' }, 'base-minutes': { type: 'string', default: '1' } } });
const N = Number(a.candidates);
const SEG_SEC = 3;
const STREAMS = ['camera', 'screen', 'phone'];

const pct = (xs: number[], p: number) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const round = (x: number) => Math.round(x * 100) / 100;

async function measure(minutes: number) {
  const t = await makeApp('sqlite');
  try {
    const ctx = t.app.ctx;
    const demo = await seedDemo(ctx, { startsInSec: 60, durationSec: minutes * 60, candidates: N, kind: 'real', face: false, proof: true, baseUrl: 'http://x' });
    const sessionId = demo.sessionId;
    const now = ctx.clock.now();
    const K = Math.round((minutes * 60) / SEG_SEC);
    // One candidate logs in through the API (the others' attempts are written below): their recording is read
    // through the real route, as the browser reads it on resume and in finalize's answer.
    const who = demo.candidates[0]!;
    const login = await t.candidateLogin(who.idNumber, who.ticket);
    if (login.statusCode !== 200) throw new Error(`login ${login.statusCode}: ${login.body}`);
    const cookie = cookieOf(login);
    const w0 = performance.now();
    // Attempts, recordings and segments in three statements (a recursive counter for the segments' seq).
    await sql`INSERT INTO attempts (id, candidate_id, session_id, status, logged_in_at, entered_at, ended_at)
              SELECT 'a-' || id, id, session_id, 'ended', ${now}, ${now}, ${now} FROM candidates c WHERE session_id = ${sessionId}
                AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.candidate_id = c.id)`.execute(ctx.db);
    for (const s of STREAMS)
      await sql`INSERT INTO recordings (id, attempt_id, stream, mime_type, status, created_at, finalized_at)
                SELECT 'r-' || ${s} || '-' || id, id, ${s}, 'video/webm', 'verified', ${now}, ${now} FROM attempts WHERE session_id = ${sessionId}`.execute(ctx.db);
    await sql`WITH RECURSIVE k(seq) AS (SELECT 0 UNION ALL SELECT seq + 1 FROM k WHERE seq + 1 < ${K})
              INSERT INTO segments (recording_id, seq, run, sha256, bytes, blob_ref, recorded_at, duration_ms, received_at)
              SELECT r.id, k.seq, 0, ${'ab'.repeat(32)}, 262144, 'ref', ${now}, 3000, ${now} FROM recordings r CROSS JOIN k`.execute(ctx.db);
    const writeSec = (performance.now() - w0) / 1000;
    const attempts = (await ctx.db.selectFrom('attempts').select('id').where('session_id', '=', sessionId).execute()).map((r) => r.id);

    const dash: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 7; i++) {
      const s = performance.now();
      bytes = (await dashboard(ctx, sessionId)).upload.bytes;
      if (i >= 2) dash.push(performance.now() - s);
    }
    // The tally's first read of each attempt goes to the database (then it is cached 5 s): 200 different attempts.
    const tally: number[] = [];
    for (const id of attempts.slice(0, 200)) {
      const s = performance.now();
      await uploadTally(ctx, id);
      tally.push(performance.now() - s);
    }
    // GET /api/recordings/:id of one stream: the list of held segments with their hashes (the browser checks every
    // one against its journal before it drops it).
    const own = await ctx.db
      .selectFrom('recordings')
      .innerJoin('attempts', 'attempts.id', 'recordings.attempt_id')
      .innerJoin('candidates', 'candidates.id', 'attempts.candidate_id')
      .select('recordings.id')
      .where('candidates.ticket', '=', who.ticket)
      .where('recordings.stream', '=', 'camera')
      .executeTakeFirstOrThrow();
    const getMs: number[] = [];
    let bodyBytes = 0;
    for (let i = 0; i < 12; i++) {
      const s = performance.now();
      const res = await t.req('GET', `/api/recordings/${own.id}`, cookie);
      if (res.statusCode !== 200) throw new Error(`GET recording ${res.statusCode}: ${res.body}`);
      bodyBytes = res.body.length;
      if (i >= 2) getMs.push(performance.now() - s);
    }
    // The support view's recordings table (every candidate × stream), polled every 10 s by each support user.
    const support = await t.login(demo.support.username, demo.support.password);
    const tableMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const s = performance.now();
      const res = await t.req('GET', `/api/sessions/${sessionId}/recordings`, support);
      if (res.statusCode !== 200) throw new Error(`GET session recordings ${res.statusCode}: ${res.body}`);
      if (i >= 1) tableMs.push(performance.now() - s);
    }
    const expected = N * STREAMS.length * K * 262144;
    if (bytes !== expected) throw new Error(`dashboard upload bytes ${bytes}, expected ${expected}`);
    return {
      minutes,
      segments: N * STREAMS.length * K,
      writeSec: round(writeSec),
      dashboardMs: { median: round(pct(dash, 50)), max: round(Math.max(...dash)) },
      tallyMs: { median: round(pct(tally, 50)), p95: round(pct(tally, 95)) },
      recordingGet: { ms: round(pct(getMs, 50)), kb: round(bodyBytes / 1024) },
      supportTableMs: round(pct(tableMs, 50)),
    };
  } finally {
    await t.cleanup();
  }
}

const base = await measure(Number(a['base-minutes']));
console.error('base', JSON.stringify(base));
const long = await measure(Number(a.minutes));
console.error('long', JSON.stringify(long));
const row = (label: string, b: number, l: number) => console.log(`${label.padEnd(52)} ${String(b).padStart(9)} ${String(l).padStart(9)}   ×${round(l / b)}`);
console.log(`\nLong exam vs ${base.minutes}-minute baseline, same run — ${N} candidates × 3 streams, ${SEG_SEC} s segments, SQLite`);
console.log(`${''.padEnd(52)} ${(base.minutes + ' min').padStart(9)} ${(long.minutes + ' min').padStart(9)}`);
row('segments stored', base.segments, long.segments);
row('session dashboard, one push (ms, median of 5)', base.dashboardMs.median, long.dashboardMs.median);
row('upload quota tally, one attempt (ms, median)', base.tallyMs.median, long.tallyMs.median);
row('upload quota tally, one attempt (ms, p95)', base.tallyMs.p95, long.tallyMs.p95);
row('support view: GET /api/sessions/:id/recordings (ms, median of 4)', base.supportTableMs, long.supportTableMs);
row('GET /api/recordings/:id, one stream (ms, median of 10)', base.recordingGet.ms, long.recordingGet.ms);
row('GET /api/recordings/:id, body (KB)', base.recordingGet.kb, long.recordingGet.kb);
console.log(JSON.stringify({ when: new Date().toISOString(), candidates: N, base, long }));
