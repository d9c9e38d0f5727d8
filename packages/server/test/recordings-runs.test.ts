// Recordings made of several runs (recorder restarted), the staff view and CLI built on them, and storage that
// lost a segment after it was acknowledged.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assembled, chunk, createWorld, dbChoices, finalize, finalizeAssembled, liveWebm, openRec, putSegment, segmentsOf, type Seg, type World } from './support/recording-fixtures.ts';
import { recordingsCommand } from '../src/cli/recordings.ts';
import { playbackRuns } from '../src/services/review/playback.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

let media: string;
let twoRuns: Seg[]; // 6 s in 4 chunks, a 5 s interruption, then 4 s in 4 chunks
const GAP_MS = 5000;
beforeAll(async () => {
  media = await fs.mkdtemp(path.join(os.tmpdir(), 'invigil-media-'));
  // The second run has its tracks in the other order, as Chromium produces after a restart.
  const [a, b] = await Promise.all([liveWebm(media, 'run0.webm', 6), liveWebm(media, 'run1.webm', 4, 660, true)]);
  twoRuns = segmentsOf(
    [
      { chunks: chunk(a, 4), seconds: 6 },
      { chunks: chunk(b, 4), seconds: 4 },
    ],
    Date.now() - 120_000,
    GAP_MS,
  );
});
afterAll(() => fs.rm(media, { recursive: true, force: true }));

function capture() {
  let text = '';
  return {
    write: (s: string) => (text += s),
    get text() {
      return text;
    },
  };
}

describe.each(dbChoices)('recording runs and status (%s)', (db) => {
  let w: World;
  afterEach(() => w?.close());

  it('joins two runs, reports the interruption with its length and raises it as an attempt event', async () => {
    w = await createWorld({ db });
    const { cookie, attemptId } = w.candidates[0]!;
    const rec = await openRec(w.app, cookie, attemptId, 'screen');
    for (const s of twoRuns) expect((await putSegment(w.app, cookie, rec.id, s)).statusCode).toBe(200);
    const done = await finalizeAssembled(w.app, cookie, rec.id, twoRuns.length - 1);
    expect(done.statusCode, done.body).toBe(200);
    const { report } = done.json();
    expect(report).toMatchObject({ runs: 2, segments: 8, secondsRecorded: 10, gapSeconds: 5 });
    expect(report.gaps).toEqual([{ afterSeq: 3, beforeSeq: 4, fromAt: twoRuns[3]!.recordedAt, toAt: twoRuns[3]!.recordedAt + GAP_MS, seconds: 5 }]);
    expect(Math.abs(report.secondsReceived - 10) / 10).toBeLessThan(0.02);

    // The joined file decodes cleanly with one video and one audio track, whatever each run's track order was.
    const admin = await w.staff('admin');
    const file = await w.app.inject({ method: 'GET', url: `/api/recordings/${rec.id}/file`, headers: { cookie: admin } });
    expect(file.statusCode).toBe(200);
    const out = path.join(media, `joined-${db}.webm`);
    await fs.writeFile(out, file.rawPayload);
    const probe = await exec('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', out]);
    expect(probe.stdout.trim().split('\n')).toEqual(['vp8', 'opus']);
    const decode = await exec('ffmpeg', ['-v', 'error', '-nostdin', '-i', out, '-f', 'null', '-']);
    expect(decode.stderr).toBe('');

    expect(
      report.perRun.map((r: { startedAt: number }) => r.startedAt),
      "without a declared start: first chunk's end − its duration",
    ).toEqual([twoRuns[0]!.recordedAt - twoRuns[0]!.durationMs, twoRuns[4]!.recordedAt - twoRuns[4]!.durationMs]);

    const events = await w.ctx.db.selectFrom('attempt_events').selectAll().where('attempt_id', '=', attemptId).execute();
    expect(events).toHaveLength(1);
    expect(events[0]!.type).toBe('recording-gap');
    expect(JSON.parse(events[0]!.data)).toEqual({ stream: 'screen', seconds: 5, fromAt: report.gaps[0].fromAt, toAt: report.gaps[0].toAt });
  });

  it("stores each run's true start (its first real frame, declared on its first segment) and uses it for the gap, the report and playback (issue #15 item 6)", async () => {
    w = await createWorld({ db });
    const { cookie, attemptId } = w.candidates[0]!;
    const rec = await openRec(w.app, cookie, attemptId, 'screen');
    // A display capture's first frame came 900 ms (run 0) and 700 ms (run 1) after its recorder started; a start
    // declared on a later segment, or outside the first chunk, is not believed.
    const run0 = twoRuns[0]!.recordedAt - twoRuns[0]!.durationMs + 900;
    const run1 = twoRuns[4]!.recordedAt - twoRuns[4]!.durationMs + 700;
    const segs = twoRuns.map((s) => (s.seq === 0 ? { ...s, runStartedAt: run0 } : s.seq === 4 ? { ...s, runStartedAt: run1 } : s.seq === 5 ? { ...s, runStartedAt: 1 } : s));
    for (const s of segs) expect((await putSegment(w.app, cookie, rec.id, s)).statusCode).toBe(200);
    const stored = await w.ctx.db.selectFrom('segments').select(['seq', 'run_started_at']).where('recording_id', '=', rec.id).where('seq', 'in', [0, 1, 4]).orderBy('seq').execute();
    expect(stored.map((r) => [r.seq, r.run_started_at === null ? null : Number(r.run_started_at)])).toEqual([
      [0, run0],
      [1, null],
      [4, run1],
    ]);

    const done = await finalizeAssembled(w.app, cookie, rec.id, segs.length - 1);
    expect(done.statusCode, done.body).toBe(200);
    const { report } = done.json();
    expect(report.perRun.map((r: { startedAt: number }) => r.startedAt)).toEqual([run0, run1]);
    // The interruption lasted until run 1's first frame, not until its recorder was started.
    expect(report.gaps).toEqual([{ afterSeq: 3, beforeSeq: 4, fromAt: twoRuns[3]!.recordedAt, toAt: run1, seconds: (run1 - twoRuns[3]!.recordedAt) / 1000 }]);
    const events = await w.ctx.db.selectFrom('attempt_events').select(['type', 'data']).where('attempt_id', '=', attemptId).execute();
    expect(JSON.parse(events[0]!.data)).toMatchObject({ toAt: run1 });

    // Playback places each run's file time 0 at its first frame.
    const rows = await w.ctx.db.selectFrom('segments').select(['seq', 'run', 'recorded_at', 'duration_ms', 'bytes', 'run_started_at']).where('recording_id', '=', rec.id).orderBy('seq').execute();
    const runs = playbackRuns(
      rows.map((s) => ({
        seq: s.seq,
        run: s.run,
        recordedAt: Number(s.recorded_at),
        durationMs: s.duration_ms,
        bytes: Number(s.bytes),
        runStartedAt: s.run_started_at === null ? null : Number(s.run_started_at),
      })),
      report,
    );
    expect(runs.map((r) => r.startAt)).toEqual([run0, run1]);
  });

  it('shows staff and the CLI, per candidate and stream, what is complete, partial, uploading or missing', async () => {
    w = await createWorld({ db, candidates: 3 });
    const [a, b, c] = w.candidates as [World['candidates'][0], World['candidates'][0], World['candidates'][0]];
    // A: camera in one run (complete), screen with an interruption (partial). B: camera half uploaded. C: nothing.
    const oneRun = twoRuns.filter((s) => s.run === 0);
    const camA = await openRec(w.app, a.cookie, a.attemptId, 'camera');
    for (const s of oneRun) await putSegment(w.app, a.cookie, camA.id, s);
    expect((await finalizeAssembled(w.app, a.cookie, camA.id, oneRun.length - 1)).statusCode).toBe(200);
    const scrA = await openRec(w.app, a.cookie, a.attemptId, 'screen');
    for (const s of twoRuns) await putSegment(w.app, a.cookie, scrA.id, s);
    expect((await finalizeAssembled(w.app, a.cookie, scrA.id, twoRuns.length - 1)).statusCode).toBe(200);
    const camB = await openRec(w.app, b.cookie, b.attemptId, 'camera');
    for (const s of [twoRuns[0]!, twoRuns[2]!]) await putSegment(w.app, b.cookie, camB.id, s);

    const admin = await w.staff('admin');
    const res = await w.app.inject({ method: 'GET', url: `/api/sessions/${w.sessionId}/recordings`, headers: { cookie: admin } });
    expect(res.statusCode, res.body).toBe(200);
    const rows = res.json().rows as { candidateId: string; stream: string; status: string; segments: number; missingSeqs: number[]; gaps: number }[];
    const row = (id: string, stream: string) => rows.find((r) => r.candidateId === id && r.stream === stream)!;
    expect(rows).toHaveLength(6); // 3 candidates × camera, screen (no phone: proof camera not required)
    expect(row(a.candidateId, 'camera')).toMatchObject({ status: 'complete', segments: 4, gaps: 0 });
    expect(row(a.candidateId, 'screen')).toMatchObject({ status: 'partial', segments: 8, gaps: 1 });
    expect(row(b.candidateId, 'camera')).toMatchObject({ status: 'uploading', segments: 2, missingSeqs: [1] });
    expect(row(b.candidateId, 'screen').status).toBe('missing');
    expect(row(c.candidateId, 'camera').status).toBe('missing');

    const table = capture();
    expect(await recordingsCommand(w.ctx, ['--session', w.sessionId], table, capture())).toBe(1);
    expect(table.text).toMatch(/T001\s+考生1\s+screen\s+partial\s+0:00:1\d\s+8\s+[\d.]+\s+1 \(5\.0 s\)/);
    expect(table.text).toMatch(/T002\s+考生2\s+camera\s+uploading \(holes: 1\)/);
    expect(table.text).toContain('6 streams: 1 complete, 1 partial, 1 uploading, 3 missing');
    const json = capture();
    expect(await recordingsCommand(w.ctx, ['--session', w.sessionId, '--json'], json, capture())).toBe(1);
    expect(JSON.parse(json.text).rows).toEqual(res.json().rows);
    const err = capture();
    expect(await recordingsCommand(w.ctx, ['--session', 'nope'], capture(), err)).toBe(2);
    expect(err.text).toContain('No session');
    expect(await recordingsCommand(w.ctx, [], capture(), capture())).toBe(2);
  });

  it('never says complete over a stored segment whose bytes changed: the assembly fails naming it, for a person to look', async () => {
    w = await createWorld({ db });
    const { cookie, attemptId } = w.candidates[0]!;
    const rec = await openRec(w.app, cookie, attemptId);
    const run = twoRuns.filter((s) => s.run === 0);
    for (const s of run) await putSegment(w.app, cookie, rec.id, s);
    const stored = await w.ctx.db.selectFrom('segments').select('blob_ref').where('seq', '=', 1).executeTakeFirstOrThrow();
    await w.blobs.put(stored.blob_ref.replace(/^local:/, ''), Buffer.from('bit rot')); // storage corrupted after the ack

    // Every row is there and was verified on arrival: 上传成功. The assembly re-hashes the bytes and finds the rot.
    const res = await finalize(w.app, cookie, rec.id, run.length - 1);
    expect(res.statusCode, res.body).toBe(200);
    const done = await assembled(w.app, cookie, rec.id);
    expect(done.json().status).toBe('verified');
    expect(done.json().assembly).toMatchObject({ state: 'failed', attempts: 1 });
    expect(done.json().assembly.error).toMatch(/lost or damaged after verification: 1$/);
    const lost = await w.ctx.db.selectFrom('audit_log').select('data').where('action', '=', 'recording.segments-lost').execute();
    expect(lost.map((l) => JSON.parse(l.data))).toEqual([{ lost: [1] }]);
    // Staff see why; the CLI shows it too.
    const admin = await w.staff('admin');
    const rows = (await w.app.inject({ method: 'GET', url: `/api/sessions/${w.sessionId}/recordings`, headers: { cookie: admin } })).json().rows;
    expect(rows.find((r: { recordingId: string }) => r.recordingId === rec.id)).toMatchObject({ status: 'verified', assembly: { state: 'failed' } });
    const table = capture();
    expect(await recordingsCommand(w.ctx, ['--session', w.sessionId], table, capture())).toBe(1);
    expect(table.text).toMatch(/T001\s+考生1\s+camera\s+verified\s.*failed: stored segments lost or damaged after verification: 1/);
  });
});
