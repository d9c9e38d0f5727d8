// Extra time (accommodation) for one candidate: set by an admin before the session starts, audited. The timeline
// adds it to the end (contracts/timeline.ts endsAt), so the countdown and the timekeeper's auto-end follow it.
import type { Ctx } from './context.ts';
import { AppError, notFound } from './errors.ts';
import { withAudit } from './audit.ts';
import { isPracticeKind } from './practice/rules.ts';

export async function setExtraTime(ctx: Ctx, actor: string, sessionId: string, candidateId: string, extraTimeSec: number): Promise<{ candidateId: string; extraTimeSec: number }> {
  const c = await ctx.db
    .selectFrom('candidates')
    .innerJoin('sessions', 'sessions.id', 'candidates.session_id')
    .select(['candidates.id', 'candidates.extra_time_sec', 'sessions.starts_at', 'sessions.kind'])
    .where('candidates.id', '=', candidateId)
    .where('candidates.session_id', '=', sessionId)
    .executeTakeFirst();
  if (!c) throw notFound();
  // Changing the end under a running exam would be unfair both ways; a self-test window has no common start.
  const now = ctx.clock.now();
  if (!isPracticeKind(c.kind) && now >= c.starts_at) throw new AppError('EXTRA_TIME_TOO_LATE');
  await withAudit(
    ctx.db,
    async (trx) => {
      await trx.updateTable('candidates').set({ extra_time_sec: extraTimeSec }).where('id', '=', candidateId).execute();
      return { result: null, audit: { actor, action: 'candidate.extra-time', target: `candidate:${candidateId}`, data: { from: c.extra_time_sec, to: extraTimeSec } } };
    },
    now,
  );
  return { candidateId, extraTimeSec };
}
