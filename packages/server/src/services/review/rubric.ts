// The rubric (评分标准) of a session: criteria with max points and step, the aggregation rule, the deviation
// threshold, and the publication lock of the session's results.
import { randomUUID } from 'node:crypto';
import type { AggregationRule, Rubric, RubricInput } from '@invigil/contracts';
import type { Ctx } from '../context.ts';
import { withAudit } from '../audit.ts';
import { ReviewError } from './errors.ts';
import { checkPoints } from '../../domain/aggregate.ts';

export async function getRubric(ctx: Ctx, sessionId: string): Promise<Rubric | null> {
  const r = await ctx.db.selectFrom('rubrics').selectAll().where('session_id', '=', sessionId).executeTakeFirst();
  if (!r) return null;
  const criteria = await ctx.db.selectFrom('rubric_criteria').selectAll().where('session_id', '=', sessionId).orderBy('position').execute();
  return {
    sessionId,
    criteria: criteria.map((c) => ({ id: c.id, name: c.name, maxPoints: Number(c.max_points), step: Number(c.step), position: c.position })),
    aggregation: r.aggregation as AggregationRule,
    deviationThreshold: Number(r.deviation_threshold),
    publishedAt: r.published_at === null ? null : Number(r.published_at),
  };
}

export async function requireSession(ctx: Ctx, sessionId: string): Promise<void> {
  if (!(await ctx.db.selectFrom('sessions').select('id').where('id', '=', sessionId).executeTakeFirst())) throw new ReviewError('NOT_FOUND');
}

/** Refuses any change to a session's scores once its results are published. */
export async function requireNotPublished(ctx: Ctx, sessionId: string): Promise<void> {
  const r = await ctx.db.selectFrom('rubrics').select('published_at').where('session_id', '=', sessionId).executeTakeFirst();
  if (r?.published_at != null) throw new ReviewError('RESULTS_PUBLISHED');
}

/**
 * Sets the rubric. Criteria keep their id when the admin sends it back, so drafts keep their marks. Once any score
 * is submitted the criteria are frozen (a submitted total would silently change meaning); the aggregation rule and
 * threshold may still change until publication — they only re-read the submitted totals.
 */
export async function saveRubric(ctx: Ctx, actor: string, sessionId: string, input: RubricInput): Promise<Rubric> {
  await requireSession(ctx, sessionId);
  await requireNotPublished(ctx, sessionId);
  for (const c of input.criteria) if (checkPoints(c.maxPoints, c.maxPoints, c.step) === 'off-step') throw new ReviewError('VALIDATION_FAILED', { detail: `“${c.name}”: ${c.maxPoints} / ${c.step}` });
  const now = ctx.clock.now();
  const before = await getRubric(ctx, sessionId);
  const submitted = await ctx.db
    .selectFrom('scores')
    .innerJoin('attempts', 'attempts.id', 'scores.attempt_id')
    .select('scores.id')
    .where('attempts.session_id', '=', sessionId)
    .where('scores.status', '=', 'submitted')
    .limit(1)
    .executeTakeFirst();
  const sameCriteria =
    (before?.criteria.length ?? -1) === input.criteria.length &&
    input.criteria.every((c, i) => {
      const b = before!.criteria[i]!;
      return c.id === b.id && c.name === b.name && c.maxPoints === b.maxPoints && c.step === b.step;
    });
  if (submitted && !sameCriteria) throw new ReviewError('RUBRIC_IN_USE');
  const known = new Set(before?.criteria.map((c) => c.id) ?? []);
  await withAudit(
    ctx.db,
    async (trx) => {
      const row = { aggregation: input.aggregation, deviation_threshold: input.deviationThreshold, updated_at: now };
      await trx
        .insertInto('rubrics')
        .values({ session_id: sessionId, published_at: null, published_by: null, ...row })
        .onConflict((oc) => oc.column('session_id').doUpdateSet(row))
        .execute();
      if (!sameCriteria) {
        const keep = input.criteria.map((c) => c.id).filter((id): id is string => !!id && known.has(id));
        let del = trx.deleteFrom('rubric_criteria').where('session_id', '=', sessionId);
        if (keep.length) del = del.where('id', 'not in', keep);
        await del.execute();
        for (const [i, c] of input.criteria.entries()) {
          const values = { name: c.name, max_points: c.maxPoints, step: c.step, position: i + 1 };
          if (c.id && known.has(c.id)) await trx.updateTable('rubric_criteria').set(values).where('id', '=', c.id).execute();
          else
            await trx
              .insertInto('rubric_criteria')
              .values({ id: randomUUID(), session_id: sessionId, ...values })
              .execute();
        }
      }
      return { result: null, audit: { actor, action: 'rubric.save', target: `session:${sessionId}`, data: input } };
    },
    now,
  );
  return (await getRubric(ctx, sessionId))!;
}
