// The upload protocol end to end through the real app, with real WebM and real ffmpeg.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BlobStorageFullError, type BlobStore } from '../src/adapters/blob/port.ts';
import { localWriterPool } from '../src/adapters/blob/local.ts';
import {
  assembled,
  chunk,
  createWorld,
  dbChoices,
  ffprobeSeconds,
  finalize,
  finalizeAssembled,
  liveWebm,
  openRec,
  putSegment,
  segmentsOf,
  sha256,
  type Seg,
  type World,
} from './support/recording-fixtures.ts';

async function expectTotalsMatchSegments(w: World) {
  const recs = await w.ctx.db.selectFrom('recordings').select(['id', 'bytes_stored', 'segments_stored', 'ms_stored', 'max_seq_stored']).execute();
  for (const r of recs) {
    const segs = await w.ctx.db.selectFrom('segments').select(['bytes', 'duration_ms', 'seq']).where('recording_id', '=', r.id).execute();
    expect({ bytes: Number(r.bytes_stored), segments: Number(r.segments_stored), ms: Number(r.ms_stored), maxSeq: r.max_seq_stored === null ? null : Number(r.max_seq_stored) }, r.id).toEqual({
      bytes: segs.reduce((n, x) => n + Number(x.bytes), 0),
      segments: segs.length,
      ms: segs.reduce((n, x) => n + Number(x.duration_ms), 0),
      maxSeq: segs.length ? Math.max(...segs.map((x) => x.seq)) : null,
    });
  }
}

let media: string;
let segs: Seg[]; // one 6-second run in 6 chunks
beforeAll(async () => {
  media = await fs.mkdtemp(path.join(os.tmpdir(), 'invigil-media-'));
  const run = await liveWebm(media, 'run0.webm', 6);
  segs = segmentsOf([{ chunks: chunk(run, 6), seconds: 6 }], Date.now() - 60_000);
});
afterAll(() => fs.rm(media, { recursive: true, force: true }));

describe.each(dbChoices)('recording upload (%s)', (db) => {
  let w: World;
  afterEach(async () => {
    // Whatever the test did (duplicates, concurrent re-sends, conflicts, refusals, a full disk), each recording's
    // running totals (the segments_tally trigger, migration 013) are exactly its stored segments: the dashboard
    // and the upload quota read them instead of summing the segments.
    if (w) await expectTotalsMatchSegments(w);
    await w?.close();
  });

  it('assembles a clean upload into a seekable WebM whose duration is within 2 % of what was recorded', async () => {
    w = await createWorld({ db });
    const { cookie, attemptId } = w.candidates[0]!;
    const rec = await openRec(w.app, cookie, attemptId);
    expect(rec.status).toBe('uploading');
    for (const s of segs) {
      const res = await putSegment(w.app, cookie, rec.id, s);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ seq: s.seq, sha256: sha256(s.body), duplicate: false });
    }
    // 上传成功 at once: every segment stored and verified; the assembly follows as a job.
    const verified = await finalize(w.app, cookie, rec.id, segs.length - 1);
    expect(verified.statusCode, verified.body).toBe(200);
    expect(verified.json()).toMatchObject({ status: 'verified', report: null, lastSeq: 5 });
    expect(['queued', 'assembling']).toContain(verified.json().assembly.state);
    expect(verified.json().segments).toHaveLength(6);
    const done = await assembled(w.app, cookie, rec.id);
    const body = done.json();
    expect(body.status).toBe('complete');
    expect(body.assembly).toMatchObject({ state: 'assembled', attempts: 1, error: null });
    expect(body.report).toMatchObject({ runs: 1, segments: 6, gaps: [], gapSeconds: 0, secondsRecorded: 6 });
    expect(Math.abs(body.report.secondsReceived - 6) / 6).toBeLessThan(0.02);

    // Staff download the exact file the report describes, and can seek in it.
    const support = await w.staff('support');
    const file = await w.app.inject({ method: 'GET', url: `/api/recordings/${rec.id}/file`, headers: { cookie: support } });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('video/webm');
    expect(sha256(file.rawPayload)).toBe(body.report.sha256);
    const out = path.join(w.dir, 'downloaded.webm');
    await fs.writeFile(out, file.rawPayload);
    expect(Math.abs((await ffprobeSeconds(out)) - 6)).toBeLessThan(0.12);
    const part = await w.app.inject({ method: 'GET', url: `/api/recordings/${rec.id}/file`, headers: { cookie: support, range: 'bytes=100-199' } });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-199/${file.rawPayload.length}`);
    expect(part.rawPayload.equals(file.rawPayload.subarray(100, 200))).toBe(true);

    // Finalize is idempotent: the retry gets the stored report, no second assembly.
    const again = await finalize(w.app, cookie, rec.id, segs.length - 1);
    expect(again.statusCode).toBe(200);
    expect(again.json().report).toEqual(body.report);
    const audits = await w.ctx.db.selectFrom('audit_log').select('action').where('action', 'in', ['recording.finalize', 'recording.assembled']).execute();
    expect(audits.map((a) => a.action)).toEqual(['recording.finalize', 'recording.assembled']);
  });

  it("does not answer 上传成功 while segment bytes are still inside the local store's fsync window (a stalled disk)", async () => {
    w = await createWorld({ db });
    const { cookie, attemptId } = w.candidates[0]!;
    const rec = await openRec(w.app, cookie, attemptId);
    localWriterPool().holdSyncs();
    try {
      for (const s of segs) expect((await putSegment(w.app, cookie, rec.id, s)).statusCode).toBe(200);
      let answered = false;
      const verified = finalize(w.app, cookie, rec.id, segs.length - 1).then((r) => ((answered = true), r));
      await new Promise((r) => setTimeout(r, 300));
      expect(answered).toBe(false);
      const row = await w.app.ctx.db.selectFrom('recordings').select('status').where('id', '=', rec.id).executeTakeFirstOrThrow();
      expect(row.status).toBe('uploading');
      localWriterPool().releaseSyncs();
      const res = await verified;
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ status: 'verified' });
      expect(localWriterPool().unsyncedFiles()).toBe(0);
    } finally {
      localWriterPool().releaseSyncs();
    }
  });

  it('accepts segments out of order and re-sent duplicates without storing anything twice', async () => {
    w = await createWorld({ db });
    const { cookie, attemptId } = w.candidates[0]!;
    const rec = await openRec(w.app, cookie, attemptId);
    expect((await openRec(w.app, cookie, attemptId)).id).toBe(rec.id); // a reloaded page continues the same recording
    for (const i of [3, 0, 5, 1, 4, 2]) expect((await putSegment(w.app, cookie, rec.id, segs[i]!)).statusCode).toBe(200);
    const dup = await putSegment(w.app, cookie, rec.id, segs[4]!);
    expect(dup.statusCode).toBe(200);
    expect(dup.json()).toMatchObject({ seq: 4, duplicate: true });
    const state = await w.app.inject({ method: 'GET', url: `/api/recordings/${rec.id}`, headers: { cookie } });
    expect(state.json().segments.map((s: { seq: number }) => s.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    const done = await finalizeAssembled(w.app, cookie, rec.id, 5);
    expect(done.statusCode, done.body).toBe(200);
    expect(Math.abs(done.json().report.secondsReceived - 6) / 6).toBeLessThan(0.02);
  });

  it('refuses a body that does not match its SHA-256 (422), stores nothing, and accepts the repaired re-send', async () => {
    w = await createWorld({ db });
    const { cookie, attemptId } = w.candidates[0]!;
    const rec = await openRec(w.app, cookie, attemptId);
    const damaged = { ...segs[0]!, body: Buffer.concat([segs[0]!.body.subarray(0, 1000), Buffer.alloc(10)]) };
    const bad = await putSegment(w.app, cookie, rec.id, damaged, sha256(segs[0]!.body));
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe('SEGMENT_HASH_MISMATCH');
    const state = await w.app.inject({ method: 'GET', url: `/api/recordings/${rec.id}`, headers: { cookie } });
    expect(state.json().segments).toEqual([]);
    expect((await putSegment(w.app, cookie, rec.id, segs[0]!)).json()).toMatchObject({ seq: 0, duplicate: false });
  });

  it('takes the same segment sent several times at once (retries after timeouts): one write, one row, all answered', async () => {
    const puts = new Map<string, number>();
    const counting = (b: BlobStore): BlobStore => ({
      backend: b.backend,
      put: (k, body, o) => (puts.set(k, (puts.get(k) ?? 0) + 1), b.put(k, body, o)),
      get: (r, range) => b.get(r, range),
      head: (r) => b.head(r),
      delete: (r) => b.delete(r),
      flush: (p) => b.flush(p),
      list: (p) => b.list(p),
    });
    w = await createWorld({ db, wrapBlobs: counting });
    const { cookie, attemptId } = w.candidates[0]!;
    const rec = await openRec(w.app, cookie, attemptId);
    // Segments are written in place under their hash: concurrent copies must not write the same file together.
    const answers = await Promise.all(segs.flatMap((s) => [s, s, s]).map((s) => putSegment(w.app, cookie, rec.id, s)));
    expect(answers.map((a) => a.statusCode)).toEqual(answers.map(() => 200));
    for (const s of segs) expect(answers.filter((a) => a.json().seq === s.seq && a.json().duplicate === false)).toHaveLength(1);
    const state = await w.app.inject({ method: 'GET', url: `/api/recordings/${rec.id}`, headers: { cookie } });
    expect(state.json().segments.map((s: { seq: number }) => s.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    expect([...puts.values()]).toEqual([1, 1, 1, 1, 1, 1]);
    const done = await finalizeAssembled(w.app, cookie, rec.id, 5); // assembly re-hashes every stored file
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().status).toBe('complete');
  });

  it('refuses the same seq with different bytes (409 SEGMENT_CONFLICT) and keeps the first', async () => {
    w = await createWorld({ db });
    const { cookie, attemptId } = w.candidates[0]!;
    const rec = await openRec(w.app, cookie, attemptId);
    await putSegment(w.app, cookie, rec.id, segs[0]!);
    const other = await putSegment(w.app, cookie, rec.id, { ...segs[0]!, body: segs[1]!.body });
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('SEGMENT_CONFLICT');
    const state = await w.app.inject({ method: 'GET', url: `/api/recordings/${rec.id}`, headers: { cookie } });
    expect(state.json().segments).toEqual([{ seq: 0, run: 0, sha256: sha256(segs[0]!.body), bytes: segs[0]!.body.length }]);
  });

  it('refuses to finalize while a middle segment is missing, naming it; completes once it arrives', async () => {
    w = await createWorld({ db });
    const { cookie, attemptId } = w.candidates[0]!;
    const rec = await openRec(w.app, cookie, attemptId);
    for (const s of segs) if (s.seq !== 2) await putSegment(w.app, cookie, rec.id, s);
    const early = await finalize(w.app, cookie, rec.id, 5);
    expect(early.statusCode).toBe(409);
    expect(early.json().error).toMatchObject({ code: 'RECORDING_INCOMPLETE', details: { missing: [2] } });
    const tooShort = await finalize(w.app, cookie, rec.id, 3); // declaring an end before segments it sent
    expect(tooShort.statusCode).toBe(409);
    expect((await w.app.inject({ method: 'GET', url: `/api/recordings/${rec.id}`, headers: { cookie } })).json().status).toBe('uploading');
    await putSegment(w.app, cookie, rec.id, segs[2]!);
    const done = await finalizeAssembled(w.app, cookie, rec.id, 5);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().status).toBe('complete');
  });

  it('after finalize, refuses new segments (409) but still answers a harmless re-send with 200', async () => {
    w = await createWorld({ db });
    const { cookie, attemptId } = w.candidates[0]!;
    const rec = await openRec(w.app, cookie, attemptId);
    for (const s of segs.slice(0, 5)) await putSegment(w.app, cookie, rec.id, s);
    expect((await finalize(w.app, cookie, rec.id, 4)).statusCode).toBe(200);
    const late = await putSegment(w.app, cookie, rec.id, segs[5]!);
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('RECORDING_FINALIZED');
    expect((await putSegment(w.app, cookie, rec.id, segs[4]!)).json()).toMatchObject({ duplicate: true });
    expect((await finalize(w.app, cookie, rec.id, 5)).json().error.code).toBe('RECORDING_FINALIZED');
  });

  it('answers 507 STORAGE_FULL when the blob store is full, and accepts the segment once space is back', async () => {
    let full = true;
    const wrap = (b: BlobStore): BlobStore => ({
      backend: b.backend,
      put: (k, body, o) => (full ? Promise.reject(new BlobStorageFullError('disk full')) : b.put(k, body, o)),
      get: (r, range) => b.get(r, range),
      head: (r) => b.head(r),
      delete: (r) => b.delete(r),
      flush: (p) => b.flush(p),
      list: (p) => b.list(p),
    });
    w = await createWorld({ db, wrapBlobs: wrap });
    const { cookie, attemptId } = w.candidates[0]!;
    const rec = await openRec(w.app, cookie, attemptId);
    const res = await putSegment(w.app, cookie, rec.id, segs[0]!);
    expect(res.statusCode).toBe(507);
    expect(res.json().error.code).toBe('STORAGE_FULL');
    expect(await w.ctx.db.selectFrom('segments').selectAll().execute()).toEqual([]);
    full = false;
    expect((await putSegment(w.app, cookie, rec.id, segs[0]!)).statusCode).toBe(200);
  });
});
