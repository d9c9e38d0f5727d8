// Assembly as a job (DESIGN.md "Upload done ≠ assembled"): finalize marks a verified recording 'queued'; this
// job turns its segments into one seekable WebM, re-checking every hash, and commits 'complete' once. The job
// queue bounds how many run at once per process and retries a failed attempt; the state each attempt reaches is
// written on the recording (queued → assembling → assembled, or failed with the reason) for staff and the CLI.
// Exactly once: a singleton key per recording keeps one job queued or running, and the commit is conditional on
// the recording still being 'verified' — an attempt that outlived its expiry finds the work done and discards its own.
import { randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Ctx } from '../context.ts';
import type { BlobStore } from '../../adapters/blob/port.ts';
import type { JobInfo, JobQueue, QueueOptions } from '../../adapters/jobs/port.ts';
import { queueDefaults } from '../../adapters/jobs/port.ts';
import type { Db } from '../../adapters/db/database.ts';
import { withAudit } from '../audit.ts';
import type { Bus } from '../bus.ts';
import { pushEvents, recordEvents, type RaisedEvent } from '../events.ts';
import { assemble } from './assemble.ts';
import { buildReport, splitRuns, unreadableGap } from './report.ts';

export const ASSEMBLE_JOB = 'recording-assemble';
export const ASSEMBLY_SWEEP_JOB = 'recording-assembly-sweep';

// The queue that serves a database, registered by startAssembly (main.ts through features.ts, or a test).
// Finalize finds it here rather than through every route's signature; without one (the CLI), recordings stay
// 'queued' in the database and the next server's sweep queues them.
const queues = new WeakMap<Db, JobQueue>();

export interface AssemblyOptions extends Partial<Omit<QueueOptions, 'concurrency'>> {
  concurrency: number;
  /** Look for verified recordings without a queued job this often (a process killed between commit and send). */
  sweepEverySec?: number;
  log?: { error(o: unknown, m: string): void };
  /** Where a run left out of the file is pushed to proctors as a `recording-gap` (the server's realtime bus). */
  bus?: Bus;
}

export async function startAssembly(ctx: Ctx, jobs: JobQueue, blobs: BlobStore, o: AssemblyOptions): Promise<void> {
  queues.set(ctx.db, jobs);
  const opts: QueueOptions = { ...queueDefaults, ...o, concurrency: o.concurrency };
  await jobs.work<{ recordingId: string }>(ASSEMBLE_JOB, opts, (data, job) => assembleRecording(ctx, blobs, data.recordingId, job, o.bus));
  await jobs.every(ASSEMBLY_SWEEP_JOB, o.sweepEverySec ?? 60, () => sweepQueued(ctx).then(() => undefined));
}

export async function queueAssembly(ctx: Ctx, recordingId: string): Promise<boolean> {
  const q = queues.get(ctx.db);
  if (!q) return false;
  return (await q.send(ASSEMBLE_JOB, { recordingId }, { singletonKey: recordingId })) !== null;
}

/** Queues every verified recording whose job never started and was queued a while ago — the process that
 *  committed 'queued' died before it could send the job. Retries and killed attempts are the queue's own business
 *  (retry with backoff; expiry on pg-boss, reset at start in-process), so they are left alone here. A recording
 *  whose job is still queued is skipped by its singleton key. Returns how many jobs were queued. */
export async function sweepQueued(ctx: Ctx, olderThanMs = 30_000): Promise<number> {
  const rows = await ctx.db
    .selectFrom('recordings')
    .select('id')
    .where('status', '=', 'verified')
    .where('assembly_state', '=', 'queued')
    .where((eb) => eb.or([eb('assembly_attempts', '=', 0), eb('assembly_attempts', 'is', null)]))
    .where('assembly_at', '<', ctx.clock.now() - olderThanMs)
    .execute();
  let n = 0;
  for (const r of rows) if (await queueAssembly(ctx, r.id)) n++;
  return n;
}

export async function assembleRecording(ctx: Ctx, blobs: BlobStore, recordingId: string, job: JobInfo, bus?: Bus): Promise<void> {
  const rec = await ctx.db.selectFrom('recordings').selectAll().where('id', '=', recordingId).executeTakeFirst();
  if (!rec || rec.status !== 'verified' || rec.last_seq === null) return; // assembled already, or never finalized
  await setState(ctx, recordingId, { assembly_state: 'assembling', assembly_attempts: job.attempt });
  const workDir = path.join(ctx.config.dataDir, 'tmp', `assemble-${recordingId}-${randomUUID()}`);
  let assembledRef: string | null = null;
  try {
    await fsp.mkdir(workDir, { recursive: true });
    const rows = await ctx.db.selectFrom('segments').selectAll().where('recording_id', '=', recordingId).where('seq', '<=', rec.last_seq).orderBy('seq').execute();
    const segments = rows.map((r) => ({
      seq: r.seq,
      run: r.run,
      recordedAt: Number(r.recorded_at),
      durationMs: r.duration_ms,
      bytes: Number(r.bytes),
      sha256: r.sha256,
      blobRef: r.blob_ref,
      runStartedAt: r.run_started_at === null ? null : Number(r.run_started_at),
    }));
    const runs = splitRuns(segments);
    const result = await assemble(blobs, runs, workDir);
    if (!result.ok && !result.lostSeqs.length) {
      // Not one run ffmpeg can read: nothing to assemble, and retrying reads the same bytes. The segments stay
      // stored (recoverable by hand, `invigil recordings`); staff see the reason.
      const reason = `no run could be read: ${result.excluded.map((e) => `run ${runs[e.index]![0]!.run} (seq ${runs[e.index]![0]!.seq}–${runs[e.index]!.at(-1)!.seq}): ${e.reason}`).join('; ')}`.slice(
        0,
        2000,
      );
      await withAudit(
        ctx.db,
        async (trx) => {
          await trx.updateTable('recordings').set({ assembly_state: 'failed', assembly_error: reason, assembly_at: ctx.clock.now() }).where('id', '=', recordingId).execute();
          return { result: null, audit: { actor: 'system', action: 'recording.unreadable', target: `recording:${recordingId}`, data: { runs: result.excluded.map((e) => runs[e.index]![0]!.run) } } };
        },
        ctx.clock.now(),
      );
      return;
    }
    if (!result.ok) {
      // Stored bytes that vanished or rotted after they were verified: no retry brings them back, and the browser
      // has released its journal. A person must look (the candidate's computer may still hold them).
      const reason = `stored segments lost or damaged after verification: ${result.lostSeqs.slice(0, 20).join(', ')}${result.lostSeqs.length > 20 ? ', …' : ''}`;
      await withAudit(
        ctx.db,
        async (trx) => {
          await trx.updateTable('recordings').set({ assembly_state: 'failed', assembly_error: reason, assembly_at: ctx.clock.now() }).where('id', '=', recordingId).execute();
          return { result: null, audit: { actor: 'system', action: 'recording.segments-lost', target: `recording:${recordingId}`, data: { lost: result.lostSeqs } } };
        },
        ctx.clock.now(),
      );
      return;
    }
    const put = await blobs.put(`recordings/${recordingId}/assembled-${randomUUID()}.webm`, createReadStream(result.file), { contentType: 'video/webm' });
    assembledRef = put.ref;
    const now = ctx.clock.now();
    const report = buildReport(runs, { seconds: result.seconds, runSeconds: result.runSeconds, sha256: result.sha256, at: now, excluded: result.excluded });
    let raised: RaisedEvent[] = [];
    const committed = await withAudit(
      ctx.db,
      async (trx) => {
        const res = await trx
          .updateTable('recordings')
          .set({ status: 'complete', report: JSON.stringify(report), assembled_ref: put.ref, assembly_state: 'assembled', assembly_error: null, assembly_at: now })
          .where('id', '=', recordingId)
          .where('status', '=', 'verified')
          .executeTakeFirst();
        if (!Number(res.numUpdatedRows)) return { result: false, audit: [] };
        // A run left out is time the file does not hold: a recording-gap for staff, through the one event pipeline,
        // like the gaps between runs that finalize raised.
        const unreadable = result.excluded.map((e) => unreadableGap(runs[e.index]!, e.reason));
        raised = await recordEvents(
          trx,
          unreadable.map((g) => ({
            attemptId: rec.attempt_id,
            type: 'recording-gap' as const,
            at: g.fromAt,
            data: { stream: rec.stream, seconds: g.seconds, fromAt: g.fromAt, toAt: g.toAt, reason: 'unreadable', detail: g.detail, seqs: [g.afterSeq + 1, g.beforeSeq - 1] },
          })),
          now,
        );
        const data = {
          stream: rec.stream,
          segments: report.segments,
          runs: report.runs,
          gapSeconds: report.gapSeconds,
          seconds: report.secondsReceived,
          sha256: report.sha256,
          attempt: job.attempt,
          ...(unreadable.length ? { excludedRuns: result.excluded.map((e) => runs[e.index]![0]!.run) } : {}),
        };
        return { result: true, audit: { actor: 'system', action: 'recording.assembled', target: `recording:${recordingId}`, data } };
      },
      now,
    );
    if (committed) assembledRef = null; // keep it
    if (committed && bus && raised.length) await pushEvents(ctx, bus, raised).catch(() => undefined); // stored and audited already: the proctor's next fetch shows it
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    await setState(ctx, recordingId, { assembly_state: job.lastAttempt ? 'failed' : 'queued', assembly_error: reason.slice(0, 2000) }).catch(() => undefined);
    throw e; // the queue retries it, with a growing delay
  } finally {
    if (assembledRef) await blobs.delete(assembledRef).catch(() => undefined);
    await fsp.rm(workDir, { recursive: true, force: true });
  }
}

async function setState(ctx: Ctx, recordingId: string, set: { assembly_state: string; assembly_error?: string | null; assembly_attempts?: number }) {
  await ctx.db
    .updateTable('recordings')
    .set({ ...set, assembly_at: ctx.clock.now() })
    .where('id', '=', recordingId)
    .where('status', '=', 'verified')
    .execute();
}
