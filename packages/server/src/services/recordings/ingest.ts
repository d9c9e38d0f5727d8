// Opening a recording and receiving its segments: the idempotent half of the upload protocol.
// A segment is acknowledged only after its SHA-256 matched and its bytes are durably in the blob store.
// Segment receipts are not written to the audit log: the segments table is their record (received_at), and an
// audit row per chunk would serialize every upload on the audit chain. Opening and finalizing are audited.
import { createHash, randomUUID } from 'node:crypto';
import type { Recording, SegmentAck, Stream } from '@invigil/contracts';
import type { Ctx } from '../context.ts';
import type { BlobStore } from '../../adapters/blob/port.ts';
import { BlobStorageFullError } from '../../adapters/blob/port.ts';
import { AppError, forbidden } from '../../http/errors.ts';
import { withAudit } from '../audit.ts';
import { lockRecording, recordingFor, toRecording, type RecordingCaller } from './access.ts';

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
  const rec = await recordingFor(ctx, caller, recordingId);
  const sha256 = createHash('sha256').update(body).digest('hex');
  if (sha256 !== meta.sha256.toLowerCase()) throw new AppError('SEGMENT_HASH_MISMATCH', {}, { seq, declared: meta.sha256.toLowerCase(), received: sha256, bytes: body.length });

  const known = await ctx.db.selectFrom('segments').select('sha256').where('recording_id', '=', rec.id).where('seq', '=', seq).executeTakeFirst();
  if (known) return ack(ctx, rec.id, seq, sha256, known.sha256);
  if (rec.status !== 'uploading') throw new AppError('RECORDING_FINALIZED');

  let ref: string;
  try {
    ({ ref } = await blobs.put(segmentKey(rec.id, seq, sha256), body, { contentType: rec.mime_type }));
  } catch (e) {
    if (e instanceof BlobStorageFullError) throw new AppError('STORAGE_FULL', {}, { seq });
    throw e;
  }

  const now = ctx.clock.now();
  const outcome = await ctx.db.transaction().execute(async (trx) => {
    const cur = await lockRecording(ctx, trx, rec.id);
    const res = await trx
      .insertInto('segments')
      .values({ recording_id: rec.id, seq, run: meta.run, sha256, bytes: body.length, blob_ref: ref, recorded_at: meta.recordedAt, duration_ms: meta.durationMs, received_at: now })
      .onConflict((oc) => oc.columns(['recording_id', 'seq']).doNothing())
      .executeTakeFirst();
    if (Number(res.numInsertedOrUpdatedRows ?? 0) === 0) {
      // A concurrent upload of the same seq won the race.
      const other = await trx.selectFrom('segments').select('sha256').where('recording_id', '=', rec.id).where('seq', '=', seq).executeTakeFirstOrThrow();
      return { kind: 'raced', stored: other.sha256 } as const;
    }
    // Refusals come after the insert attempt so a raced duplicate still gets its harmless 200.
    if (cur.status !== 'uploading') throw new AppError('RECORDING_FINALIZED');
    if (cur.last_seq !== null && seq > cur.last_seq) throw new AppError('CONFLICT', { detail: `segment ${seq} is after the declared last segment ${cur.last_seq}` });
    return { kind: 'stored' } as const;
  }).catch(async (e) => {
    await blobs.delete(ref).catch(() => undefined); // no row points at it (the transaction rolled back)
    throw e;
  });
  if (outcome.kind === 'raced') {
    if (outcome.stored !== sha256) await blobs.delete(ref).catch(() => undefined); // a different key: ours is an orphan
    return ack(ctx, rec.id, seq, sha256, outcome.stored);
  }
  return { seq, sha256, duplicate: false, receivedSegments: await countSegments(ctx, rec.id) };
}

async function ack(ctx: Ctx, recordingId: string, seq: number, sent: string, stored: string): Promise<SegmentAck> {
  if (stored !== sent) throw new AppError('SEGMENT_CONFLICT', {}, { seq, stored, sent });
  return { seq, sha256: sent, duplicate: true, receivedSegments: await countSegments(ctx, recordingId) };
}

async function countSegments(ctx: Ctx, recordingId: string): Promise<number> {
  const r = await ctx.db.selectFrom('segments').select((eb) => eb.fn.countAll<number>().as('n')).where('recording_id', '=', recordingId).executeTakeFirstOrThrow();
  return Number(r.n);
}
