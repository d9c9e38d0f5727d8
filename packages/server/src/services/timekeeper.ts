// Moves attempts along the clock on the server, even when the browser is gone:
// waiting → answering at the start, and anything in progress → ended at the end ("面试结束系统自动终止答题").
// Idempotent conditional updates, so several server processes may run it at once.
import { IN_EXAM_STATUSES } from '@invigil/contracts';
import type { Ctx } from './context.ts';
import { withAudit } from './audit.ts';
import type { Bus } from './bus.ts';
import { endsAt } from '@invigil/contracts';
import { endAttempt } from './attempts.ts';
import { staffTargets } from './access.ts';
import { attemptTimeline } from './sessions.ts';
import { dashboardChanged } from './dashboard.ts';

export async function tick(ctx: Ctx, bus: Bus): Promise<{ started: number; ended: number }> {
  const now = ctx.clock.now();
  const due = await ctx.db
    .selectFrom('attempts')
    .innerJoin('sessions', 'sessions.id', 'attempts.session_id')
    .innerJoin('candidates', 'candidates.id', 'attempts.candidate_id')
    .selectAll('sessions')
    .select(['attempts.id as attempt_id', 'attempts.status', 'attempts.entered_at', 'candidates.extra_time_sec'])
    .where('attempts.status', 'in', ['logged-in', ...IN_EXAM_STATUSES])
    .where('sessions.starts_at', '<=', now)
    .execute();
  let started = 0;
  let ended = 0;
  for (const row of due) {
    // Each attempt by its own timeline: a practice attempt's own start, a candidate's extra time.
    const tl = attemptTimeline(row, row, row.extra_time_sec, now);
    const a = { id: row.attempt_id, status: row.status, starts_at: tl.startsAt };
    if (now >= endsAt(tl)) {
      // Only attempts that entered the exam end "by time"; a login that never entered stays as it was (absent).
      if (a.status !== 'logged-in' && (await endAttempt(ctx, 'system', a.id, 'time-up', bus))) ended++;
    } else if (a.status === 'waiting' && now >= a.starts_at) {
      const moved = await withAudit(
        ctx.db,
        async (trx) => {
          const res = await trx.updateTable('attempts').set({ status: 'answering' }).where('id', '=', a.id).where('status', '=', 'waiting').executeTakeFirst();
          const n = Number(res.numUpdatedRows);
          return { result: n, audit: n ? { actor: 'system', action: 'attempt.answering', target: `attempt:${a.id}` } : [] };
        },
        now,
      );
      if (moved) {
        started++;
        bus.emit([{ attempt: a.id }, ...(await staffTargets(ctx, a.id))], 'attempt:changed', { attemptId: a.id, status: 'answering' });
        dashboardChanged(ctx, bus, row.id);
      }
    }
  }
  return { started, ended };
}

export function startTimekeeper(ctx: Ctx, bus: Bus, log: { error(o: unknown, m: string): void }, intervalMs = 1000): () => void {
  let running = false;
  const t = setInterval(() => {
    if (running) return;
    running = true;
    tick(ctx, bus)
      .catch((err) => log.error({ err }, 'timekeeper tick failed'))
      .finally(() => (running = false));
  }, intervalMs);
  t.unref();
  return () => clearInterval(t);
}
