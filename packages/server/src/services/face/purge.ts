// Retention of face data (PIPL): `retentionDays` after a session ended, its live captures and every descriptor
// of its candidates are deleted. Kept: the decisions' scores and reasons (numbers, not biometrics), the registered
// photo (the institution's own record, managed with the candidate list) and flag evidence frames (they belong to
// the violation record and follow the recordings' retention).
import type { Ctx } from '../context.ts';
import { withAudit } from '../audit.ts';
import { BlobNotFoundError } from '../../adapters/blob/port.ts';
import type { FaceDeps } from './settings.ts';

export interface PurgeReport {
  sessions: number;
  captures: number;
  descriptors: number;
}

const DAY = 86_400_000;

export async function purgeFaceData(ctx: Ctx, deps: Pick<FaceDeps, 'blobs' | 'settings'>, actor = 'system'): Promise<PurgeReport> {
  const now = ctx.clock.now();
  const cutoff = now - deps.settings.retentionDays * DAY;
  // A session ends at starts_at + duration; both columns are plain numbers on SQLite and PostgreSQL alike.
  const sessions = await ctx.db
    .selectFrom('sessions')
    .select('id')
    .where((eb) => eb(eb('starts_at', '+', eb('duration_sec', '*', 1000)), '<', cutoff))
    .execute();
  const report: PurgeReport = { sessions: 0, captures: 0, descriptors: 0 };
  for (const { id: sessionId } of sessions) {
    const captures = await ctx.db
      .selectFrom('face_verifications as v')
      .innerJoin('attempts as a', 'a.id', 'v.attempt_id')
      .select(['v.id', 'v.capture_ref'])
      .where('a.session_id', '=', sessionId)
      .where('v.capture_ref', 'is not', null)
      .execute();
    const candidateIds = ctx.db.selectFrom('candidates').select('id').where('session_id', '=', sessionId);
    const descriptors = await ctx.db.selectFrom('face_registrations').select('candidate_id').where('candidate_id', 'in', candidateIds).where('descriptor', 'is not', null).execute();
    if (captures.length === 0 && descriptors.length === 0) continue;
    // Files first, rows after: a crash in between leaves rows pointing at nothing, which the next run clears,
    // never a file that no row remembers (and that no later purge would find).
    for (const c of captures)
      await deps.blobs.delete(c.capture_ref!).catch((e) => {
        if (!(e instanceof BlobNotFoundError)) throw e;
      });
    await withAudit(
      ctx.db,
      async (trx) => {
        if (captures.length)
          await trx
            .updateTable('face_verifications')
            .set({ capture_ref: null })
            .where(
              'id',
              'in',
              captures.map((c) => c.id),
            )
            .execute();
        if (descriptors.length)
          await trx
            .updateTable('face_registrations')
            .set({ descriptor: null, purged_at: now })
            .where(
              'candidate_id',
              'in',
              descriptors.map((d) => d.candidate_id),
            )
            .execute();
        return {
          result: null,
          audit: { actor, action: 'face.purge', target: `session:${sessionId}`, data: { captures: captures.length, descriptors: descriptors.length, retentionDays: deps.settings.retentionDays } },
        };
      },
      now,
    );
    report.sessions++;
    report.captures += captures.length;
    report.descriptors += descriptors.length;
  }
  return report;
}
