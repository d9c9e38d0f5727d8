// Opening a recording and receiving its segments: the idempotent half of the upload protocol.
// A segment is acknowledged only after its SHA-256 matched and its bytes are durably in the blob store.
// Segment receipts are not written to the audit log: the segments table is their record (received_at), and an
// audit row per chunk would serialize every upload on the audit chain. Opening and finalizing are audited.
import { createHash, randomUUID } from 'node:crypto';
import type { Recording, SegmentAck, Stream } from '@invigil/contracts';
import type { Ctx } from '../context.ts';
import type { BlobStore } from '../../adapters/blob/port.ts';
import { BlobStorageFullError } from '../../adapters/blob/port.ts';
import { AppError, forbidden, notFound } from '../../http/errors.ts';
import { withAudit } from '../audit.ts';
import { recordingFor, toRecording, type RecordingCaller } from './access.ts';

export interface SegmentMeta {
  sha256: string;
  run: number;
  recordedAt: number;
  durationMs: number;
}

/** Idempotent per (attempt, stream): a reloaded page gets the same recording back and continues it. */
export async function openRecording(ctx: Ctx, caller: RecordingCaller, attemptId: string, input: { stream: Stream; mimeType: string }): Promise<Recording> {
  if (caller.kind !== 'candidate' || caller.attemptId !== attemptId) throw forbidden();
  const now = ctx.clock.now();
  const id = randomUUID();
  await withAudit(
    ctx.db,
    async (trx) => {
      const res = await trx
        .insertInto('recordings')
        .values({ id, attempt_id: attemptId, stream: input.stream, mime_type: input.mimeType, status: 'uploading', last_seq: null, report: null, assembled_ref: null, created_at: now, finalized_at: null })
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

export async function putSegment(ctx: Ctx, blobs: BlobStore, caller: RecordingCaller, recordingId: string, seq: number, meta: SegmentMeta, body: Buffer): Promise<SegmentAck> {
  if (caller.kind !== 'candidate') throw forbidden();
  // One query for the recording and whatever is already stored under this seq: this path runs ~1000×/s.
  const rec = await ctx.db
    .selectFrom('recordings')
    .leftJoin('segments', (j) => j.onRef('segments.recording_id', '=', 'recordings.id').on('segments.seq', '=', seq))
    .select(['recordings.id', 'recordings.attempt_id', 'recordings.status', 'recordings.mime_type', 'segments.sha256 as storedSha'])
    .select((eb) => eb.selectFrom('segments').select(eb.fn.countAll<number>().as('n')).where('recording_id', '=', recordingId).as('received'))
    .where('recordings.id', '=', recordingId)
    .executeTakeFirst();
  if (!rec || rec.attempt_id !== caller.attemptId) throw notFound();
  const sha256 = createHash('sha256').update(body).digest('hex');
  if (sha256 !== meta.sha256.toLowerCase()) throw new AppError('SEGMENT_HASH_MISMATCH', {}, { seq, declared: meta.sha256.toLowerCase(), received: sha256, bytes: body.length });
  if (rec.storedSha) return ack(ctx, rec.id, seq, sha256, rec.storedSha);
  if (rec.status !== 'uploading') throw new AppError('RECORDING_FINALIZED');

  let ref: string;
  try {
    ({ ref } = await blobs.put(segmentKey(rec.id, seq, sha256), body, { contentType: rec.mime_type, durability: 'contents' }));
  } catch (e) {
    if (e instanceof BlobStorageFullError) throw new AppError('STORAGE_FULL', {}, { seq });
    throw e;
  }

  // One atomic statement: insert only while the recording is open and seq is not beyond a declared end.
  // (Finalize re-checks the segment count before it commits 'complete', so a PUT racing it cannot be lost.)
  const now = ctx.clock.now();
  const res = await ctx.db
    .insertInto('segments')
    .columns(['recording_id', 'seq', 'run', 'sha256', 'bytes', 'blob_ref', 'recorded_at', 'duration_ms', 'received_at'])
    .expression((eb) =>
      eb
        .selectFrom('recordings')
        .select([
          eb.val(rec.id).as('recording_id'), eb.val(seq).as('seq'), eb.val(meta.run).as('run'), eb.val(sha256).as('sha256'), eb.val(body.length).as('bytes'),
          eb.val(ref).as('blob_ref'), eb.val(meta.recordedAt).as('recorded_at'), eb.val(meta.durationMs).as('duration_ms'), eb.val(now).as('received_at'),
        ])
        .where('id', '=', rec.id)
        .where('status', '=', 'uploading')
        .where((w) => w.or([w('last_seq', 'is', null), w('last_seq', '>=', seq)])),
    )
    .onConflict((oc) => oc.columns(['recording_id', 'seq']).doNothing())
    .executeTakeFirst();
  // Counted before the insert, plus this one: exact unless the same recording uploads in parallel (then a hint).
  if (Number(res.numInsertedOrUpdatedRows ?? 0) === 1) return { seq, sha256, duplicate: false, receivedSegments: Number(rec.received ?? 0) + 1 };

  // Not inserted: find out why, and drop our blob unless it is the very one a stored row points at.
  const after = await ctx.db
    .selectFrom('recordings')
    .leftJoin('segments', (j) => j.onRef('segments.recording_id', '=', 'recordings.id').on('segments.seq', '=', seq))
    .select(['recordings.status', 'recordings.last_seq', 'segments.sha256 as storedSha'])
    .where('recordings.id', '=', rec.id)
    .executeTakeFirstOrThrow();
  if (after.storedSha !== sha256) await blobs.delete(ref).catch(() => undefined);
  if (after.storedSha) return ack(ctx, rec.id, seq, sha256, after.storedSha); // a concurrent upload of this seq won
  if (after.status !== 'uploading') throw new AppError('RECORDING_FINALIZED');
  throw new AppError('CONFLICT', { detail: `segment ${seq} is after the declared last segment ${after.last_seq}` });
}

async function ack(ctx: Ctx, recordingId: string, seq: number, sent: string, stored: string): Promise<SegmentAck> {
  if (stored !== sent) throw new AppError('SEGMENT_CONFLICT', {}, { seq, stored, sent });
  return { seq, sha256: sent, duplicate: true, receivedSegments: await countSegments(ctx, recordingId) };
}

async function countSegments(ctx: Ctx, recordingId: string): Promise<number> {
  const r = await ctx.db.selectFrom('segments').select((eb) => eb.fn.countAll<number>().as('n')).where('recording_id', '=', recordingId).executeTakeFirstOrThrow();
  return Number(r.n);
}
