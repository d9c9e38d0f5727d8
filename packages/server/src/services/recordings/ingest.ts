// Opening a recording and receiving its segments: the idempotent half of the upload protocol.
// A segment is acknowledged only after its SHA-256 matched and its bytes are durably in the blob store.
// Segment receipts are not written to the audit log: the segments table is their record (received_at), and an
// audit row per chunk would serialize every upload on the audit chain. Opening and finalizing are audited.
import { createHash, randomUUID } from 'node:crypto';
import type { Recording, SegmentAck, Stream } from '@invigil/contracts';
import type { Ctx } from '../context.ts';
import type { BlobStore } from '../../adapters/blob/port.ts';
import { BlobHashMismatchError, BlobStorageFullError } from '../../adapters/blob/port.ts';
import { AppError, forbidden, notFound } from '../errors.ts';
import { withAudit } from '../audit.ts';
import { isWebmHeaderStart, mayWriteStream, recordingFor, toRecording, UPLOAD_LIMITS, type RecordingCaller } from './access.ts';
import { countAccepted, overQuota } from './quota.ts';
import { compiledOnce } from '../../adapters/db/compiled-once.ts';
import type { Transaction } from 'kysely';
import type { Db } from '../../adapters/db/database.ts';
import type { Database } from '../../adapters/db/schema.ts';

export interface SegmentMeta {
  sha256: string;
  run: number;
  recordedAt: number;
  durationMs: number;
  runStartedAt?: number; // first segment of a run: the epoch ms of its first real frame
}

/** Idempotent per (attempt, stream): a reloaded page gets the same recording back and continues it. */
export async function openRecording(ctx: Ctx, caller: RecordingCaller, attemptId: string, input: { stream: Stream; mimeType: string }): Promise<Recording> {
  if (caller.kind !== 'candidate' || caller.attemptId !== attemptId || !mayWriteStream(caller.device, input.stream)) throw forbidden();
  const existing = await ctx.db.selectFrom('recordings').selectAll().where('attempt_id', '=', attemptId).where('stream', '=', input.stream).executeTakeFirst();
  if (existing) return toRecording(ctx, existing);
  // A reloaded page may continue a recording after the end; nobody starts a new one then.
  const attempt = await ctx.db.selectFrom('attempts').select('status').where('id', '=', attemptId).executeTakeFirst();
  if (attempt?.status === 'ended') throw new AppError('ATTEMPT_ENDED');
  const now = ctx.clock.now();
  const id = randomUUID();
  await withAudit(
    ctx.db,
    async (trx) => {
      const res = await trx
        .insertInto('recordings')
        .values({
          id,
          attempt_id: attemptId,
          stream: input.stream,
          mime_type: input.mimeType,
          status: 'uploading',
          last_seq: null,
          report: null,
          assembled_ref: null,
          // Running totals: the segments_tally trigger adds each stored segment (migration 013).
          bytes_stored: 0,
          segments_stored: 0,
          ms_stored: 0,
          max_seq_stored: null,
          created_at: now,
          finalized_at: null,
        })
        .onConflict((oc) => oc.columns(['attempt_id', 'stream']).doNothing())
        .executeTakeFirst();
      const created = Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
      return { result: null, audit: created ? { actor: caller.actor, action: 'recording.open', target: `recording:${id}`, data: { attemptId, stream: input.stream, mimeType: input.mimeType } } : [] };
    },
    now,
  );
  const rec = await ctx.db.selectFrom('recordings').selectAll().where('attempt_id', '=', attemptId).where('stream', '=', input.stream).executeTakeFirstOrThrow();
  return toRecording(ctx, rec);
}

export async function getRecording(ctx: Ctx, caller: RecordingCaller, recordingId: string): Promise<Recording> {
  return toRecording(ctx, await recordingFor(ctx, caller, recordingId));
}

export const segmentKey = (recordingId: string, seq: number, sha256: string) =>
  // The hash is part of the key, so a conflicting upload can never overwrite the bytes of a verified segment.
  `recordings/${recordingId}/segments/${String(seq).padStart(7, '0')}-${sha256}.webm`;

// The two queries of every segment PUT (this path runs ~1000×/s), compiled once.
// 1. The recording and whatever is already stored under this seq.
// The previous seq's run tells whether this segment starts a run (and so must carry the WebM header).
const segmentSlot = compiledOnce((db, p: { recordingId: string; seq: number; prevSeq: number }) =>
  db
    .selectFrom('recordings')
    .leftJoin('segments', (j) => j.onRef('segments.recording_id', '=', 'recordings.id').on('segments.seq', '=', p.seq))
    .leftJoin('segments as prev', (j) => j.onRef('prev.recording_id', '=', 'recordings.id').on('prev.seq', '=', p.prevSeq))
    .select(['recordings.id', 'recordings.attempt_id', 'recordings.status', 'recordings.mime_type', 'recordings.stream', 'segments.sha256 as storedSha', 'prev.run as prevRun'])
    .where('recordings.id', '=', p.recordingId),
);

// 2. One atomic statement: insert only while the recording is open and seq is not beyond a declared end.
// (Finalize re-checks the segment count before it commits 'complete', so a PUT racing it cannot be lost.)
const insertSegment = compiledOnce(
  (db, p: { recordingId: string; seq: number; run: number; sha256: string; bytes: number; ref: string; recordedAt: number; durationMs: number; runStartedAt: number | null; now: number }) =>
    db
      .insertInto('segments')
      .columns(['recording_id', 'seq', 'run', 'sha256', 'bytes', 'blob_ref', 'recorded_at', 'duration_ms', 'received_at', 'run_started_at'])
      .expression((eb) =>
        eb
          .selectFrom('recordings')
          .select([
            eb.val(p.recordingId).as('recording_id'),
            eb.val(p.seq).as('seq'),
            eb.val(p.run).as('run'),
            eb.val(p.sha256).as('sha256'),
            eb.val(p.bytes).as('bytes'),
            eb.val(p.ref).as('blob_ref'),
            eb.val(p.recordedAt).as('recorded_at'),
            eb.val(p.durationMs).as('duration_ms'),
            eb.val(p.now).as('received_at'),
            eb.val(p.runStartedAt).as('run_started_at'),
          ])
          .where('id', '=', p.recordingId)
          .where('status', '=', 'uploading')
          .where((w) => w.or([w('last_seq', 'is', null), w('last_seq', '>=', p.seq)])),
      )
      .onConflict((oc) => oc.columns(['recording_id', 'seq']).doNothing()),
);

type SegmentRow = Parameters<typeof insertSegment.execute>[1];
interface Waiting {
  row: SegmentRow;
  done(inserted: boolean): void;
  failed(e: unknown): void;
}
const groups = new WeakMap<Db, Waiting[]>();

/**
 * Group commit: the rows of all segments whose bytes became durable in the same event-loop turn are inserted in
 * one transaction. Each commit writes whole pages to the WAL, and at full ingest one commit per segment cost more
 * than the insert itself (measured: 65 µs per segment alone, 25 µs in groups). Every PUT still waits for its own
 * row to be committed before it is acknowledged.
 */
function commitSegmentRow(db: Db, row: SegmentRow): Promise<boolean> {
  return new Promise((done, failed) => {
    let group = groups.get(db);
    if (!group) {
      groups.set(db, (group = []));
      setImmediate(() => {
        groups.delete(db);
        void commitGroup(db, group!);
      });
    }
    group.push({ row, done, failed });
  });
}

async function commitGroup(db: Db, group: Waiting[]): Promise<void> {
  const one = (w: Waiting, trx?: Transaction<Database>) => insertSegment.execute(db, w.row, trx).then((r) => Number(r.numAffectedRows ?? 0) === 1);
  if (group.length > 1) {
    try {
      // In recording order: each stored segment updates its recording's totals (the segments_tally trigger), and
      // on PostgreSQL two groups in flight at once that lock the same recordings in opposite orders would deadlock.
      const ordered = [...group].sort((x, y) => (x.row.recordingId < y.row.recordingId ? -1 : x.row.recordingId > y.row.recordingId ? 1 : x.row.seq - y.row.seq));
      const inserted = await db.transaction().execute(async (trx) => {
        const out: boolean[] = [];
        for (const w of ordered) out.push(await one(w, trx));
        return out;
      });
      ordered.forEach((w, i) => w.done(inserted[i]!));
      return;
    } catch {
      // Nothing of the group was committed. One bad row must not fail the others: each is tried on its own.
    }
  }
  await Promise.all(group.map((w) => one(w).then(w.done, w.failed)));
}

/** A segment of `run` stored below `seq`: then `seq` continues that run rather than starting it. */
async function runHasEarlier(ctx: Ctx, recordingId: string, run: number, seq: number): Promise<boolean> {
  const row = await ctx.db.selectFrom('segments').select('seq').where('recording_id', '=', recordingId).where('run', '=', run).where('seq', '<', seq).limit(1).executeTakeFirst();
  return row !== undefined;
}

export async function putSegment(ctx: Ctx, blobs: BlobStore, caller: RecordingCaller, recordingId: string, seq: number, meta: SegmentMeta, body: Buffer): Promise<SegmentAck> {
  // The same segment sent again while its first copy is still in work (a retry after a client timeout): segments
  // are written in place, so the copy waits for the first and then answers from its row instead of writing the
  // same file twice. Keyed before anything is read: a copy that read "not stored yet" while the first was between
  // its write and its row would otherwise write the file again once the first had finished (seen on PostgreSQL).
  const key = segmentKey(recordingId, seq, meta.sha256.toLowerCase());
  for (let earlier = writing.get(key); earlier; earlier = writing.get(key)) await earlier.catch(() => undefined);
  const work = putSegmentOnce(ctx, blobs, caller, recordingId, seq, meta, body);
  writing.set(key, work);
  try {
    return await work;
  } finally {
    if (writing.get(key) === work) writing.delete(key);
  }
}

const writing = new Map<string, Promise<SegmentAck>>();

async function putSegmentOnce(ctx: Ctx, blobs: BlobStore, caller: RecordingCaller, recordingId: string, seq: number, meta: SegmentMeta, body: Buffer): Promise<SegmentAck> {
  if (caller.kind !== 'candidate') throw forbidden();
  const rec = await segmentSlot.first(ctx.db, { recordingId, seq, prevSeq: seq - 1 });
  if (!rec || rec.attempt_id !== caller.attemptId) throw notFound();
  if (!mayWriteStream(caller.device, rec.stream)) throw new AppError('STREAM_FORBIDDEN');
  if (!rec.storedSha) {
    if (body.length === 0) throw new AppError('SEGMENT_INVALID', {}, { seq, reason: 'empty' });
    if (body.length > UPLOAD_LIMITS.segmentMaxBytes) throw new AppError('PAYLOAD_TOO_LARGE', {}, { seq, maxBytes: UPLOAD_LIMITS.segmentMaxBytes });
    if (seq > UPLOAD_LIMITS.maxSeq) throw new AppError('SEGMENT_INVALID', {}, { seq, reason: `seq above ${UPLOAD_LIMITS.maxSeq}` });
    // A higher run number than the previous segment's starts a run. A lower one is the late last chunk of the run
    // before (a recorder's final chunk can arrive after its successor's first one): no header, and never refused
    // for it — a refusal there would be retried forever and hold back the rest of the upload.
    // The previous seq can itself be such a late chunk (run N-1 between two chunks of run N): then this one still
    // continues run N, which already has an earlier segment — only the rare run-boundary case asks the database.
    const startsRun = seq === 0 || (rec.prevRun !== null && rec.prevRun < meta.run && !(await runHasEarlier(ctx, recordingId, meta.run, seq)));
    if (startsRun && !isWebmHeaderStart(body)) throw new AppError('SEGMENT_INVALID', {}, { seq, reason: 'the first segment of a run must start with the WebM header' });
    if (rec.status === 'uploading' && (await overQuota(ctx, rec.attempt_id, body.length))) throw new AppError('UPLOAD_QUOTA', {}, { seq, limits: UPLOAD_LIMITS });
  }
  const declared = meta.sha256.toLowerCase();
  if (rec.storedSha || rec.status !== 'uploading') {
    // Off the usual path (a repeat, or a recording already closed): hash here to tell a harmless repeat from a
    // conflict. New segments are hashed by the blob store, beside the write (PutOptions.sha256).
    const sha256 = createHash('sha256').update(body).digest('hex');
    if (sha256 !== declared) throw hashMismatch(seq, declared, sha256, body.length);
    if (rec.storedSha) return ack(seq, sha256, rec.storedSha);
    throw new AppError('RECORDING_FINALIZED');
  }

  const bytes = body.length;
  const a = await storeSegment(ctx, blobs, { ...rec, key: segmentKey(rec.id, seq, declared) }, seq, meta, declared, body);
  if (!a.duplicate) countAccepted(rec.attempt_id, bytes);
  return a;
}

async function storeSegment(ctx: Ctx, blobs: BlobStore, rec: { id: string; key: string; mime_type: string }, seq: number, meta: SegmentMeta, sha256: string, body: Buffer): Promise<SegmentAck> {
  let ref: string;
  const bytes = body.length; // the body may be moved to a writer thread: read nothing of it after put
  try {
    ({ ref } = await blobs.put(rec.key, body, { contentType: rec.mime_type, durability: 'soon', sha256 }));
  } catch (e) {
    if (e instanceof BlobHashMismatchError) throw hashMismatch(seq, sha256, e.actual, bytes);
    if (e instanceof BlobStorageFullError) throw new AppError('STORAGE_FULL', {}, { seq });
    throw e;
  }

  const now = ctx.clock.now();
  const inserted = await commitSegmentRow(ctx.db, {
    recordingId: rec.id,
    seq,
    run: meta.run,
    sha256,
    bytes,
    ref,
    recordedAt: meta.recordedAt,
    durationMs: meta.durationMs,
    runStartedAt: meta.runStartedAt ?? null,
    now,
  });
  if (inserted) return { seq, sha256, duplicate: false };

  // Not inserted: find out why, and drop our blob unless it is the very one a stored row points at.
  const after = await ctx.db
    .selectFrom('recordings')
    .leftJoin('segments', (j) => j.onRef('segments.recording_id', '=', 'recordings.id').on('segments.seq', '=', seq))
    .select(['recordings.status', 'recordings.last_seq', 'segments.sha256 as storedSha'])
    .where('recordings.id', '=', rec.id)
    .executeTakeFirstOrThrow();
  if (after.storedSha !== sha256) await blobs.delete(ref).catch(() => undefined);
  if (after.storedSha) return ack(seq, sha256, after.storedSha); // a concurrent upload of this seq won
  if (after.status !== 'uploading') throw new AppError('RECORDING_FINALIZED');
  throw new AppError('CONFLICT', { detail: `segment ${seq} is after the declared last segment ${after.last_seq}` });
}

function hashMismatch(seq: number, declared: string, received: string, bytes: number): AppError {
  return new AppError('SEGMENT_HASH_MISMATCH', {}, { seq, declared, received, bytes });
}

function ack(seq: number, sent: string, stored: string): SegmentAck {
  if (stored !== sent) throw new AppError('SEGMENT_CONFLICT', {}, { seq, stored, sent });
  return { seq, sha256: sent, duplicate: true };
}
