// Finalize: the browser declares its last segment; the server proves nothing is missing, assembles, and only
// then says 'complete'. The rule: never complete unless every segment 0..lastSeq is present and hash-verified
// and the assembled file is stored. Idempotent: a second finalize returns the stored report.
import { randomUUID } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { createReadStream } from 'node:fs';
import type { Recording } from '@invigil/contracts';
import type { Ctx } from '../context.ts';
import { BlobStorageFullError, type BlobStore } from '../../adapters/blob/port.ts';
import { AppError, forbidden } from '../errors.ts';
import { appendAudit, withAudit } from '../audit.ts';
import type { Bus } from '../bus.ts';
import { pushEvents, recordEvents, type RaisedEvent } from '../events.ts';
import { lockRecording, recordingFor, toRecording, type RecordingCaller } from './access.ts';
import { assemble, AssemblyError } from './assemble.ts';
import { buildReport, missingSeqs, splitRuns } from './report.ts';

const MAX_LISTED_MISSING = 1000;

// Retries of the same finalize (a client timing out while ffmpeg works) join the assembly already under way.
const inFlight = new Map<string, Promise<unknown>>();

export async function finalizeRecording(ctx: Ctx, blobs: BlobStore, caller: RecordingCaller, recordingId: string, lastSeq: number, bus: Bus): Promise<Recording> {
  if (caller.kind !== 'candidate') throw forbidden();
  const rec = await recordingFor(ctx, caller, recordingId);
  const running = inFlight.get(rec.id);
  if (running) {
    await running.catch(() => undefined);
    return finalizeRecording(ctx, blobs, caller, recordingId, lastSeq, bus);
  }
  if (rec.status !== 'uploading') return alreadyFinal(ctx, rec.id, lastSeq);
  const work = finalizeOnce(ctx, blobs, caller.actor, rec.id, lastSeq, bus);
  inFlight.set(rec.id, work);
  try {
    return await work;
  } finally {
    inFlight.delete(rec.id);
  }
}

async function alreadyFinal(ctx: Ctx, recordingId: string, lastSeq: number): Promise<Recording> {
  const rec = await ctx.db.selectFrom('recordings').selectAll().where('id', '=', recordingId).executeTakeFirstOrThrow();
  if (rec.last_seq !== lastSeq) throw new AppError('RECORDING_FINALIZED', {}, { lastSeq: rec.last_seq });
  return toRecording(ctx, rec);
}

async function finalizeOnce(ctx: Ctx, blobs: BlobStore, actor: string, recordingId: string, lastSeq: number, bus: Bus): Promise<Recording> {
  // 1. Declare the end and prove there is no hole. From here on, a PUT beyond lastSeq is refused.
  const declared = await ctx.db.transaction().execute(async (trx) => {
    const cur = await lockRecording(ctx, trx, recordingId);
    if (cur.status !== 'uploading') return 'final' as const;
    const seqs = (await trx.selectFrom('segments').select('seq').where('recording_id', '=', recordingId).execute()).map((r) => r.seq);
    const beyond = seqs.filter((s) => s > lastSeq);
    if (beyond.length) throw new AppError('CONFLICT', { detail: `segments after the declared last segment ${lastSeq}: ${beyond.slice(0, 10).join(', ')}` }, { beyond });
    const missing = missingSeqs(seqs, lastSeq, MAX_LISTED_MISSING);
    if (missing.length) throw incomplete(missing, lastSeq + 1 - seqs.length);
    const now = ctx.clock.now();
    if (lastSeq === -1) {
      // The recorder produced nothing at all: say so plainly rather than pretend a recording exists.
      await trx.updateTable('recordings').set({ status: 'missing', last_seq: -1, finalized_at: now }).where('id', '=', recordingId).execute();
      await appendAudit(trx, { actor, action: 'recording.finalize-empty', target: `recording:${recordingId}` }, now);
      return 'final' as const;
    }
    await trx.updateTable('recordings').set({ last_seq: lastSeq }).where('id', '=', recordingId).execute();
    return 'declared' as const;
  });
  if (declared === 'final') return alreadyFinal(ctx, recordingId, lastSeq);

  // 2. Assemble outside any transaction (it takes seconds to minutes).
  const rows = await ctx.db.selectFrom('segments').selectAll().where('recording_id', '=', recordingId).orderBy('seq').execute();
  const segments = rows.map((r) => ({ seq: r.seq, run: r.run, recordedAt: r.recorded_at, durationMs: r.duration_ms, bytes: Number(r.bytes), sha256: r.sha256, blobRef: r.blob_ref }));
  const runs = splitRuns(segments);
  const workDir = path.join(ctx.config.dataDir, 'tmp', `assemble-${recordingId}-${randomUUID()}`);
  await fsp.mkdir(workDir, { recursive: true });
  let assembledRef: string | null = null;
  try {
    const result = await assemble(blobs, runs, workDir).catch((e) => {
      if (e instanceof AssemblyError) throw new AppError('RECORDING_ASSEMBLY_FAILED', {}, { reason: e.message });
      throw e;
    });
    if (!result.ok) return await forgetLost(ctx, actor, recordingId, result.lostSeqs);

    const put = await blobs.put(`recordings/${recordingId}/assembled-${randomUUID()}.webm`, createReadStream(result.file), { contentType: 'video/webm' }).catch((e) => {
      throw e instanceof BlobStorageFullError ? new AppError('STORAGE_FULL') : e;
    });
    assembledRef = put.ref;
    const now = ctx.clock.now();
    const report = buildReport(runs, { seconds: result.seconds, runSeconds: result.runSeconds, sha256: result.sha256, at: now });
    const rec = await ctx.db.selectFrom('recordings').selectAll().where('id', '=', recordingId).executeTakeFirstOrThrow();

    // 3. Commit 'complete' only if nothing moved while ffmpeg worked.
    let gaps: RaisedEvent[] = [];
    await withAudit(ctx.db, async (trx) => {
      const cur = await lockRecording(ctx, trx, recordingId);
      const count = await trx.selectFrom('segments').select((eb) => eb.fn.countAll<number>().as('n')).where('recording_id', '=', recordingId).executeTakeFirstOrThrow();
      if (cur.status !== 'uploading' || cur.last_seq !== lastSeq || Number(count.n) !== rows.length)
        throw new AppError('CONFLICT', { detail: 'the recording changed during assembly; finalize again' });
      await trx.updateTable('recordings').set({ status: 'complete', report: JSON.stringify(report), assembled_ref: put.ref, finalized_at: now }).where('id', '=', recordingId).execute();
      // A gap is an interruption of the recording: it becomes a flag for staff, never silently glued over.
      gaps = await recordEvents(trx, report.gaps.map((gap) => ({ attemptId: rec.attempt_id, type: 'recording-gap' as const, at: gap.fromAt, data: { stream: rec.stream, seconds: gap.seconds, fromAt: gap.fromAt, toAt: gap.toAt } })), now);
      const data = { stream: rec.stream, segments: report.segments, runs: report.runs, gapSeconds: report.gapSeconds, seconds: report.secondsReceived, sha256: report.sha256 };
      return { result: null, audit: { actor, action: 'recording.finalize', target: `recording:${recordingId}`, data } };
    }, now);
    assembledRef = null; // committed: keep it
    await pushEvents(ctx, bus, gaps);
    return toRecording(ctx, { ...rec, status: 'complete', report: JSON.stringify(report), assembled_ref: put.ref, finalized_at: now, last_seq: lastSeq });
  } finally {
    if (assembledRef) await blobs.delete(assembledRef).catch(() => undefined);
    await fsp.rm(workDir, { recursive: true, force: true });
  }
}

function incomplete(missing: number[], total: number): AppError {
  const detail = `${total} missing (${missing.slice(0, 10).join(', ')}${total > 10 ? ', …' : ''})`;
  return new AppError('RECORDING_INCOMPLETE', { detail }, { missing, missingCount: total });
}

/** Stored bytes that no longer match: drop those rows so the browser re-sends them from its journal. */
async function forgetLost(ctx: Ctx, actor: string, recordingId: string, lost: number[]): Promise<never> {
  await withAudit(ctx.db, async (trx) => {
    await trx.deleteFrom('segments').where('recording_id', '=', recordingId).where('seq', 'in', lost).execute();
    return { result: null, audit: { actor: 'system', action: 'recording.segments-lost', target: `recording:${recordingId}`, data: { lost, finalizedBy: actor } } };
  });
  throw incomplete(lost.slice(0, MAX_LISTED_MISSING), lost.length);
}
