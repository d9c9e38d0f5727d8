// Finalize: the browser declares its last segment; the server proves nothing is missing and answers at once.
// The rule: never say 'verified' (上传成功 — the browser then drops its journal) unless every segment 0..lastSeq
// is stored and was hash-verified on arrival (a segment's row is written only after its bytes matched their
// SHA-256). Assembly into one seekable file follows as a job (assembly-job.ts), re-checking every hash on the
// way; its state is the recording's assembly_* columns. Idempotent: a second finalize returns the stored state.
import type { Recording } from '@invigil/contracts';
import type { Ctx } from '../context.ts';
import type { BlobStore } from '../../adapters/blob/port.ts';
import { AppError, forbidden } from '../errors.ts';
import { withAudit } from '../audit.ts';
import type { Bus } from '../bus.ts';
import { pushEvents, recordEvents, type RaisedEvent } from '../events.ts';
import { lockRecording, mayFinalize, recordingFor, toRecording, type RecordingCaller } from './access.ts';
import { missingSeqs, runGaps, splitRuns } from './report.ts';
import { queueAssembly } from './assembly-job.ts';
import { dashboardTouched } from '../dashboard.ts';

const MAX_LISTED_MISSING = 1000;

/** Flush rounds before finalize gives up waiting for segments that keep arriving during its flush. */
const FLUSH_ROUNDS = 3;

export async function finalizeRecording(ctx: Ctx, blobs: BlobStore, caller: RecordingCaller, recordingId: string, lastSeq: number, bus: Bus): Promise<Recording> {
  if (caller.kind !== 'candidate') throw forbidden();
  const rec = await recordingFor(ctx, caller, recordingId);
  if (!(await mayFinalize(ctx, caller, rec))) throw new AppError('RECORDING_NOT_FINISHED');
  if (rec.status !== 'uploading') return alreadyFinal(ctx, rec.id, lastSeq);
  let result: Awaited<ReturnType<typeof verifyAndQueue>> | 'moved' = 'moved';
  for (let round = 0; round < FLUSH_ROUNDS && result === 'moved'; round++) {
    // 上传成功 lets the browser drop its journal: the segments' bytes must be on disk first, not inside the local
    // store's 'soon' fsync window. The segments counted here are flushed; should more arrive meanwhile (a late
    // retry), the transaction sees a different count and the flush is done again. The count is the recording's
    // running total (kept by the segments_tally trigger in each insert's statement): the row just read, first.
    const counted = round === 0 ? Number(rec.segments_stored) : await segmentCount(ctx, rec.id);
    await blobs.flush(`recordings/${rec.id}/`);
    result = await verifyAndQueue(ctx, caller.actor, rec.id, lastSeq, counted);
  }
  if (result === 'moved') throw new AppError('CONFLICT', { detail: 'segments are still arriving; finalize again' });
  const { outcome, gaps } = result;
  // After the commit: the job is queued here; should this process die first, the assembly sweep queues it.
  if (outcome === 'queued') await queueAssembly(ctx, rec.id);
  await pushEvents(ctx, bus, gaps);
  if (outcome === 'queued') dashboardTouched(ctx, bus, rec.attempt_id);
  return alreadyFinal(ctx, rec.id, lastSeq);
}

async function alreadyFinal(ctx: Ctx, recordingId: string, lastSeq: number): Promise<Recording> {
  const rec = await ctx.db.selectFrom('recordings').selectAll().where('id', '=', recordingId).executeTakeFirstOrThrow();
  if (rec.last_seq !== lastSeq) throw new AppError('RECORDING_FINALIZED', {}, { lastSeq: rec.last_seq });
  return toRecording(ctx, rec);
}

/** Segments stored so far: the recording's running total, not a count of its rows (500 per stream in 25 minutes). */
async function segmentCount(ctx: Ctx, recordingId: string): Promise<number> {
  const r = await ctx.db.selectFrom('recordings').select('segments_stored').where('id', '=', recordingId).executeTakeFirstOrThrow();
  return Number(r.segments_stored);
}

/** Declares the end, proves there is no hole, and marks the recording verified with its assembly queued — in one
 *  transaction, so a PUT beyond lastSeq is refused from here on and nothing is half-written. */
async function verifyAndQueue(ctx: Ctx, actor: string, recordingId: string, lastSeq: number, flushedCount: number): Promise<{ outcome: 'queued' | 'final'; gaps: RaisedEvent[] } | 'moved'> {
  const now = ctx.clock.now();
  return withAudit<{ outcome: 'queued' | 'final'; gaps: RaisedEvent[] } | 'moved'>(
    ctx.db,
    async (trx) => {
      const cur = await lockRecording(ctx, trx, recordingId);
      if (cur.status !== 'uploading') return { result: { outcome: 'final' as const, gaps: [] }, audit: [] };
      const rows = await trx.selectFrom('segments').select(['seq', 'run', 'recorded_at', 'duration_ms', 'bytes', 'run_started_at']).where('recording_id', '=', recordingId).execute();
      // A segment stored after the flush began may still be inside its fsync window: flush again, then decide.
      if (rows.length !== flushedCount) return { result: 'moved' as const, audit: [] };
      const beyond = rows.map((r) => r.seq).filter((s) => s > lastSeq);
      if (beyond.length) throw new AppError('CONFLICT', { detail: `segments after the declared last segment ${lastSeq}: ${beyond.slice(0, 10).join(', ')}` }, { beyond });
      const missing = missingSeqs(
        rows.map((r) => r.seq),
        lastSeq,
        MAX_LISTED_MISSING,
      );
      if (missing.length) throw incomplete(missing, lastSeq + 1 - rows.length);
      if (lastSeq === -1) {
        // The recorder produced nothing at all: say so plainly rather than pretend a recording exists.
        await trx.updateTable('recordings').set({ status: 'missing', last_seq: -1, finalized_at: now }).where('id', '=', recordingId).execute();
        return { result: { outcome: 'final' as const, gaps: [] }, audit: { actor, action: 'recording.finalize-empty', target: `recording:${recordingId}` } };
      }
      await trx
        .updateTable('recordings')
        .set({ status: 'verified', last_seq: lastSeq, finalized_at: now, assembly_state: 'queued', assembly_error: null, assembly_at: now })
        .where('id', '=', recordingId)
        .execute();
      // The interruptions between runs are known from the segments' own metadata: staff see them now, not after assembly.
      const runs = splitRuns(
        rows.map((r) => ({
          seq: r.seq,
          run: r.run,
          recordedAt: r.recorded_at,
          durationMs: r.duration_ms,
          bytes: Number(r.bytes),
          runStartedAt: r.run_started_at === null ? null : Number(r.run_started_at),
        })),
      );
      const gaps = runGaps(runs);
      // A gap is an interruption of the recording: it becomes a flag for staff, never silently glued over (a
      // practice attempt's gaps are muted by the pipeline and show in its own verdict).
      const raised = await recordEvents(
        trx,
        gaps.map((gap) => ({ attemptId: cur.attempt_id, type: 'recording-gap' as const, at: gap.fromAt, data: { stream: cur.stream, seconds: gap.seconds, fromAt: gap.fromAt, toAt: gap.toAt } })),
        now,
      );
      const seconds = Math.round(rows.reduce((n, r) => n + r.duration_ms, 0)) / 1000;
      const data = { stream: cur.stream, segments: rows.length, runs: runs.length, gapSeconds: Math.round(gaps.reduce((n, g) => n + g.seconds, 0) * 1000) / 1000, secondsRecorded: seconds };
      return { result: { outcome: 'queued' as const, gaps: raised }, audit: { actor, action: 'recording.finalize', target: `recording:${recordingId}`, data } };
    },
    now,
  );
}

export function incomplete(missing: number[], total: number): AppError {
  const detail = `${total} missing (${missing.slice(0, 10).join(', ')}${total > 10 ? ', …' : ''})`;
  return new AppError('RECORDING_INCOMPLETE', { detail }, { missing, missingCount: total });
}
