// An examiner's score for one candidate: drafts save as often as the page likes; 【提交】 locks it; only an admin
// unlocks it again, with a reason (audited). Every mark is checked against its criterion (max, step).
import { randomUUID } from 'node:crypto';
import type { MyScore, Rubric, ScoreBody, ScoreState } from '@invigil/contracts';
import type { Ctx } from '../context.ts';
import { withAudit } from '../audit.ts';
import { ReviewError } from './errors.ts';
import { checkPoints, totalOf } from '../../domain/aggregate.ts';
import { getRubric, requireNotPublished } from './rubric.ts';
import type { ReviewTarget } from './panel-access.ts';

const EMPTY: MyScore = { state: 'todo', marks: {}, comment: '', total: null, updatedAt: null, submittedAt: null };

export async function myScore(ctx: Ctx, userId: string, attemptId: string | null): Promise<MyScore> {
  if (!attemptId) return EMPTY;
  const s = await ctx.db.selectFrom('scores').selectAll().where('attempt_id', '=', attemptId).where('user_id', '=', userId).executeTakeFirst();
  if (!s) return EMPTY;
  const marks = await ctx.db.selectFrom('score_marks').select(['criterion_id', 'points']).where('score_id', '=', s.id).execute();
  return {
    state: s.status as ScoreState,
    marks: Object.fromEntries(marks.map((m) => [m.criterion_id, Number(m.points)])),
    comment: s.comment,
    total: marks.length ? totalOf(marks.map((m) => Number(m.points))) : null,
    updatedAt: Number(s.updated_at),
    submittedAt: s.submitted_at === null ? null : Number(s.submitted_at),
  };
}

/** Throws the first problem a person should fix: unknown criterion, out of range, off step, then (on submit) missing. */
export function validateMarks(rubric: Rubric, marks: Record<string, number>, complete: boolean): void {
  const byId = new Map(rubric.criteria.map((c) => [c.id, c]));
  for (const id of Object.keys(marks)) if (!byId.has(id)) throw new ReviewError('SCORE_UNKNOWN_CRITERION');
  for (const c of rubric.criteria) {
    const p = marks[c.id];
    if (p === undefined) continue;
    const problem = checkPoints(p, c.maxPoints, c.step);
    if (problem === 'over-max') throw new ReviewError('SCORE_OVER_MAX', { criterion: c.name, max: c.maxPoints }, { criterionId: c.id });
    if (problem === 'off-step') throw new ReviewError('SCORE_OFF_STEP', { criterion: c.name, step: c.step }, { criterionId: c.id });
  }
  if (complete) for (const c of rubric.criteria) if (marks[c.id] === undefined) throw new ReviewError('SCORE_MISSING_CRITERION', { criterion: c.name }, { criterionId: c.id });
}

/** Saves a draft, or submits (and locks) when `submit`. */
export async function saveScore(ctx: Ctx, userId: string, target: ReviewTarget, body: ScoreBody, submit: boolean): Promise<MyScore> {
  if (!target.attemptId) throw new ReviewError('RECORDING_NOT_READY');
  const attemptId = target.attemptId;
  const rubric = await getRubric(ctx, target.sessionId);
  if (!rubric || rubric.criteria.length === 0) throw new ReviewError('RUBRIC_MISSING');
  await requireNotPublished(ctx, target.sessionId);
  validateMarks(rubric, body.marks, submit);
  const now = ctx.clock.now();
  await withAudit(
    ctx.db,
    async (trx) => {
      const existing = await trx.selectFrom('scores').select(['id', 'status']).where('attempt_id', '=', attemptId).where('user_id', '=', userId).executeTakeFirst();
      if (existing?.status === 'submitted') throw new ReviewError('SCORE_LOCKED');
      const id = existing?.id ?? randomUUID();
      const status = submit ? 'submitted' : 'draft';
      if (existing)
        await trx
          .updateTable('scores')
          .set({ status, comment: body.comment, updated_at: now, submitted_at: submit ? now : null })
          .where('id', '=', id)
          .execute();
      else
        await trx
          .insertInto('scores')
          .values({ id, attempt_id: attemptId, user_id: userId, status, comment: body.comment, updated_at: now, submitted_at: submit ? now : null, unlocked_at: null, unlock_reason: null })
          .execute();
      await trx.deleteFrom('score_marks').where('score_id', '=', id).execute();
      const rows = Object.entries(body.marks).map(([criterion_id, points]) => ({ score_id: id, criterion_id, points }));
      if (rows.length) await trx.insertInto('score_marks').values(rows).execute();
      return {
        result: null,
        audit: {
          actor: `user:${userId}`,
          action: submit ? 'score.submit' : 'score.draft',
          target: `attempt:${attemptId}`,
          data: { scoreId: id, marks: body.marks, total: totalOf(Object.values(body.marks)) },
        },
      };
    },
    now,
  );
  return myScore(ctx, userId, attemptId);
}

/** An admin returns a submitted score to its examiner as a draft. The reason is kept on the row and in the audit log. */
export async function unlockScore(ctx: Ctx, actor: string, scoreId: string, reason: string): Promise<void> {
  const s = await ctx.db
    .selectFrom('scores')
    .innerJoin('attempts', 'attempts.id', 'scores.attempt_id')
    .select(['scores.id', 'scores.status', 'scores.attempt_id', 'scores.user_id', 'attempts.session_id'])
    .where('scores.id', '=', scoreId)
    .executeTakeFirst();
  if (!s) throw new ReviewError('NOT_FOUND');
  await requireNotPublished(ctx, s.session_id);
  if (s.status !== 'submitted') throw new ReviewError('SCORE_NOT_SUBMITTED');
  const now = ctx.clock.now();
  await withAudit(
    ctx.db,
    async (trx) => {
      await trx.updateTable('scores').set({ status: 'draft', submitted_at: null, unlocked_at: now, unlock_reason: reason, updated_at: now }).where('id', '=', scoreId).execute();
      return { result: null, audit: { actor, action: 'score.unlock', target: `attempt:${s.attempt_id}`, data: { scoreId, examinerId: s.user_id, reason } } };
    },
    now,
  );
}
