// The examiner's lists: their panels with progress ("12 / 30 已评"), and per panel the anonymous numbers with the
// examiner's own state (待评 / 草稿 / 已提交). Never another examiner's marks, never a candidate's identity.
import type { ReviewItem, ReviewPanel, ReviewPanelDetail, ScoreState } from '@invigil/contracts';
import type { Ctx } from '../context.ts';
import { totalOf } from '../../domain/aggregate.ts';
import { examinerPanels, requirePanelMember, type PanelRef } from './panel-access.ts';
import { getRubric } from './rubric.ts';

async function itemsOf(ctx: Ctx, userId: string, panelId: string): Promise<ReviewItem[]> {
  const rows = await ctx.db
    .selectFrom('candidates')
    .leftJoin('attempts', 'attempts.candidate_id', 'candidates.id')
    .leftJoin('scores', (j) => j.onRef('scores.attempt_id', '=', 'attempts.id').on('scores.user_id', '=', userId))
    .select(['candidates.anonymous_number as anon', 'attempts.id as attemptId', 'scores.id as scoreId', 'scores.status', 'scores.updated_at', 'attempts.review_priority'])
    .where('candidates.panel_id', '=', panelId)
    .orderBy('candidates.anonymous_number')
    .execute();
  const attemptIds = rows.map((r) => r.attemptId).filter((x): x is string => !!x);
  const scoreIds = rows.map((r) => r.scoreId).filter((x): x is string => !!x);
  const marks = scoreIds.length ? await ctx.db.selectFrom('score_marks').select(['score_id', 'points']).where('score_id', 'in', scoreIds).execute() : [];
  const cameras = attemptIds.length
    ? await ctx.db.selectFrom('recordings').select('attempt_id').where('attempt_id', 'in', attemptIds).where('stream', '=', 'camera').where('status', '=', 'complete').execute()
    : [];
  const ready = new Set(cameras.map((c) => c.attempt_id));
  return rows
    .map((r) => {
      const mine = marks.filter((m) => m.score_id === r.scoreId).map((m) => Number(m.points));
      return {
        anonymousNumber: r.anon,
        state: (r.status ?? 'todo') as ScoreState,
        total: mine.length ? totalOf(mine) : null,
        updatedAt: r.updated_at == null ? null : Number(r.updated_at),
        ready: !!r.attemptId && ready.has(r.attemptId),
        priority: r.review_priority ?? 0,
      };
    })
    .sort((a, b) => b.priority - a.priority); // which to look at first (issue #19); stable: anonymous number within
}

async function summary(ctx: Ctx, userId: string, p: PanelRef, items?: ReviewItem[]): Promise<ReviewPanel> {
  const list = items ?? (await itemsOf(ctx, userId, p.panelId));
  const rubric = await ctx.db.selectFrom('rubrics').select('published_at').where('session_id', '=', p.sessionId).executeTakeFirst();
  return {
    panelId: p.panelId,
    panelName: p.panelName,
    sessionId: p.sessionId,
    sessionName: p.sessionName,
    examName: p.examName,
    candidates: list.length,
    submitted: list.filter((i) => i.state === 'submitted').length,
    drafts: list.filter((i) => i.state === 'draft').length,
    published: rubric?.published_at != null,
  };
}

export async function myPanels(ctx: Ctx, userId: string): Promise<ReviewPanel[]> {
  const panels = await examinerPanels(ctx, userId);
  return Promise.all(panels.map((p) => summary(ctx, userId, p)));
}

export async function panelDetail(ctx: Ctx, userId: string, panelId: string): Promise<ReviewPanelDetail> {
  const p = await requirePanelMember(ctx, userId, panelId);
  const items = await itemsOf(ctx, userId, panelId);
  return { panel: await summary(ctx, userId, p, items), rubric: await getRubric(ctx, p.sessionId), items };
}
