// Retention of the in-exam monitor's raw data (issue #19): `retentionDays` after a session ended (the face data's
// retention, services/face/purge.ts), its per-second scores (monitor_batches) and the evidence frames that no
// event took (monitor_frames not in flag_evidence) are deleted. Kept: the episodes and their events with the
// scores copied into each event's data, and the frames that are a flag's evidence (they belong to the violation
// record and follow the recordings' retention, as the face purge keeps them). After the purge, re-weighting the
// session leaves its events as they are: index.ts `plan` only recomputes attempts that still have samples.
import type { Ctx } from '../context.ts';
import { withAudit } from '../audit.ts';
import { BlobNotFoundError, type BlobStore } from '../../adapters/blob/port.ts';

export interface MonitorPurgeReport {
  sessions: number;
  batches: number;
  frames: number;
}

const DAY = 86_400_000;

export async function purgeMonitorData(ctx: Ctx, deps: { blobs: BlobStore; retentionDays: number }, actor = 'system'): Promise<MonitorPurgeReport> {
  const now = ctx.clock.now();
  const cutoff = now - deps.retentionDays * DAY;
  const sessions = await ctx.db
    .selectFrom('sessions')
    .select('id')
    .where((eb) => eb(eb('starts_at', '+', eb('duration_sec', '*', 1000)), '<', cutoff))
    .execute();
  const report: MonitorPurgeReport = { sessions: 0, batches: 0, frames: 0 };
  for (const { id: sessionId } of sessions) {
    const attemptIds = ctx.db.selectFrom('attempts').select('id').where('session_id', '=', sessionId);
    const batches = await ctx.db.selectFrom('monitor_batches').select('id').where('attempt_id', 'in', attemptIds).execute();
    const frames = await ctx.db
      .selectFrom('monitor_frames')
      .select(['id', 'blob_ref'])
      .where('attempt_id', 'in', attemptIds)
      .where('blob_ref', 'not in', ctx.db.selectFrom('flag_evidence').select('blob_ref'))
      .execute();
    if (batches.length === 0 && frames.length === 0) continue;
    // Files first, rows after (as the face purge): a crash in between leaves rows the next run clears.
    for (const f of frames)
      await deps.blobs.delete(f.blob_ref).catch((e) => {
        if (!(e instanceof BlobNotFoundError)) throw e;
      });
    await withAudit(
      ctx.db,
      async (trx) => {
        if (batches.length)
          await trx
            .deleteFrom('monitor_batches')
            .where(
              'id',
              'in',
              batches.map((b) => b.id),
            )
            .execute();
        if (frames.length)
          await trx
            .deleteFrom('monitor_frames')
            .where(
              'id',
              'in',
              frames.map((f) => f.id),
            )
            .execute();
        return {
          result: null,
          audit: { actor, action: 'monitor.purge', target: `session:${sessionId}`, data: { batches: batches.length, frames: frames.length, retentionDays: deps.retentionDays } },
        };
      },
      now,
    );
    report.sessions++;
    report.batches += batches.length;
    report.frames += frames.length;
  }
  return report;
}
