// Which attempts an examiner may reach: only those of candidates assigned to a panel (评委组) they belong to, and
// only by anonymous number (抽签号). Everything else answers "not found", so ids and numbers cannot be probed.
// Same intent as services/access.ts of issue #14 (examiner/panel checks); folded into it at merge.
import type { Ctx } from '../context.ts';
import { ReviewError } from './errors.ts';

export interface PanelRef {
  panelId: string;
  panelName: string;
  sessionId: string;
  sessionName: string;
  examName: string;
  startsAt: number;
  endsAt: number;
}

export interface ReviewTarget extends PanelRef {
  anonymousNumber: string;
  candidateId: string;
  /** null when the candidate never logged in: nothing to review, but the number still exists. */
  attemptId: string | null;
}

function panelQuery(ctx: Ctx) {
  return ctx.db
    .selectFrom('panels')
    .innerJoin('sessions', 'sessions.id', 'panels.session_id')
    .innerJoin('exams', 'exams.id', 'sessions.exam_id')
    .select([
      'panels.id as panelId',
      'panels.name as panelName',
      'sessions.id as sessionId',
      'sessions.name as sessionName',
      'exams.name as examName',
      'sessions.starts_at as startsAt',
      'sessions.duration_sec as durationSec',
      'sessions.kind as kind',
    ]);
}

const toRef = (r: { panelId: string; panelName: string; sessionId: string; sessionName: string; examName: string; startsAt: number; durationSec: number }): PanelRef => ({
  panelId: r.panelId,
  panelName: r.panelName,
  sessionId: r.sessionId,
  sessionName: r.sessionName,
  examName: r.examName,
  startsAt: Number(r.startsAt),
  endsAt: Number(r.startsAt) + r.durationSec * 1000,
});

/** The panels an examiner belongs to, newest session first. Mock sessions (自助试测, 集中试测) never reach examiners. */
export async function examinerPanels(ctx: Ctx, userId: string): Promise<PanelRef[]> {
  const rows = await panelQuery(ctx)
    .innerJoin('panel_examiners', 'panel_examiners.panel_id', 'panels.id')
    .where('panel_examiners.user_id', '=', userId)
    .where('sessions.kind', '=', 'real') // reachesExaminers (practice/rules.ts): neither practice nor rehearsal is scored
    .orderBy('sessions.starts_at', 'desc')
    .execute();
  return rows.map(toRef);
}

/** The panel, if the examiner is a member; otherwise 404. */
export async function requirePanelMember(ctx: Ctx, userId: string, panelId: string): Promise<PanelRef> {
  const row = await panelQuery(ctx)
    .innerJoin('panel_examiners', 'panel_examiners.panel_id', 'panels.id')
    .where('panels.id', '=', panelId)
    .where('panel_examiners.user_id', '=', userId)
    .where('sessions.kind', '=', 'real') // reachesExaminers (practice/rules.ts): neither practice nor rehearsal is scored
    .executeTakeFirst();
  if (!row) throw new ReviewError('NOT_FOUND');
  return toRef(row);
}

/** A candidate of the panel by anonymous number, for one of its examiners; otherwise 404. */
export async function requireReviewTarget(ctx: Ctx, userId: string, panelId: string, anonymousNumber: string): Promise<ReviewTarget> {
  const panel = await requirePanelMember(ctx, userId, panelId);
  const row = await ctx.db
    .selectFrom('candidates')
    .leftJoin('attempts', 'attempts.candidate_id', 'candidates.id')
    .select(['candidates.id as candidateId', 'candidates.anonymous_number as anon', 'attempts.id as attemptId'])
    .where('candidates.panel_id', '=', panelId)
    .where('candidates.anonymous_number', '=', anonymousNumber)
    .executeTakeFirst();
  if (!row) throw new ReviewError('NOT_FOUND');
  return { ...panel, anonymousNumber: row.anon, candidateId: row.candidateId, attemptId: row.attemptId ?? null };
}

/** Members of a panel (user ids), for finality: a result is final when every one of them submitted. */
export async function panelMembers(ctx: Ctx, panelId: string): Promise<string[]> {
  const rows = await ctx.db.selectFrom('panel_examiners').select('user_id').where('panel_id', '=', panelId).orderBy('user_id').execute();
  return rows.map((r) => r.user_id);
}
