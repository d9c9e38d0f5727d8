// Results for administrators (成绩): anonymous number ↔ identity, each examiner's total, the aggregate by the
// session's rule, rank, spread, outliers, the 违纪 decision, flags by type and upload completeness. Publishing
// locks the session's scores and decisions.
import { isFlag, type ConductBody, type ConductDecision, type ResultRow, type ScoreState, type SessionResults, type Stream } from '@invigil/contracts';
import type { Ctx } from '../context.ts';
import { withAudit } from '../audit.ts';
import { ReviewError } from './errors.ts';
import { aggregate, rank, totalOf } from '../../domain/aggregate.ts';
import { getRubric, requireNotPublished, requireSession } from './rubric.ts';
import { recordingsStatus } from '../recordings/status.ts';

/** The seed: 佐证视频 must be uploaded within 60 minutes of the end. */
const PROOF_UPLOAD_MS = 60 * 60_000;

export async function sessionResults(ctx: Ctx, sessionId: string): Promise<SessionResults> {
  const session = await ctx.db.selectFrom('sessions').select(['id', 'starts_at', 'duration_sec', 'proof_required']).where('id', '=', sessionId).executeTakeFirst();
  if (!session) throw new ReviewError('NOT_FOUND');
  const rubric = await getRubric(ctx, sessionId);
  const candidates = await ctx.db
    .selectFrom('candidates')
    .leftJoin('attempts', 'attempts.candidate_id', 'candidates.id')
    .leftJoin('panels', 'panels.id', 'candidates.panel_id')
    .select([
      'candidates.id',
      'candidates.name',
      'candidates.id_number',
      'candidates.ticket',
      'candidates.anonymous_number',
      'candidates.panel_id',
      'panels.name as panel_name',
      'attempts.id as attempt_id',
      'attempts.review_priority',
    ])
    .where('candidates.session_id', '=', sessionId)
    .orderBy('candidates.anonymous_number')
    .execute();
  const members = await ctx.db
    .selectFrom('panel_examiners')
    .innerJoin('panels', 'panels.id', 'panel_examiners.panel_id')
    .innerJoin('users', 'users.id', 'panel_examiners.user_id')
    .select(['panel_examiners.panel_id', 'users.id', 'users.display_name', 'users.username'])
    .where('panels.session_id', '=', sessionId)
    .orderBy('users.username')
    .execute();
  const scores = await ctx.db.selectFrom('scores').innerJoin('attempts', 'attempts.id', 'scores.attempt_id').selectAll('scores').where('attempts.session_id', '=', sessionId).execute();
  const marks = scores.length
    ? await ctx.db
        .selectFrom('score_marks')
        .selectAll()
        .where(
          'score_id',
          'in',
          scores.map((s) => s.id),
        )
        .execute()
    : [];
  const conduct = await ctx.db
    .selectFrom('conduct_decisions')
    .innerJoin('attempts', 'attempts.id', 'conduct_decisions.attempt_id')
    .selectAll('conduct_decisions')
    .where('attempts.session_id', '=', sessionId)
    .execute();
  const flags = await ctx.db
    .selectFrom('attempt_events')
    .innerJoin('attempts', 'attempts.id', 'attempt_events.attempt_id')
    .select(['attempt_events.attempt_id', 'attempt_events.type'])
    .where('attempts.session_id', '=', sessionId)
    .where('attempt_events.superseded_at', 'is', null)
    .execute();
  const uploads = (await recordingsStatus(ctx, sessionId)).rows;
  const phones = await ctx.db
    .selectFrom('proof_phones')
    .innerJoin('attempts', 'attempts.id', 'proof_phones.attempt_id')
    .select(['proof_phones.attempt_id', 'proof_phones.overdue_flagged_at'])
    .where('attempts.session_id', '=', sessionId)
    .execute();
  const endsAt = Number(session.starts_at) + session.duration_sec * 1000;
  const now = ctx.clock.now();
  const rule = rubric?.aggregation ?? 'mean';
  const threshold = rubric?.deviationThreshold ?? Number.POSITIVE_INFINITY;

  const rows: ResultRow[] = candidates.map((c) => {
    const examiners = members
      .filter((m) => m.panel_id === c.panel_id)
      .map((m) => {
        const s = c.attempt_id ? scores.find((x) => x.attempt_id === c.attempt_id && x.user_id === m.id) : undefined;
        const mine = s ? marks.filter((k) => k.score_id === s.id) : [];
        return {
          scoreId: s?.id ?? null,
          examinerId: m.id,
          examinerName: m.display_name,
          state: (s?.status ?? 'todo') as ScoreState,
          total: mine.length ? totalOf(mine.map((k) => Number(k.points))) : null,
          marks: Object.fromEntries(mine.map((k) => [k.criterion_id, Number(k.points)])),
          comment: s?.comment ?? '',
          outlier: false,
          submittedAt: s?.submitted_at == null ? null : Number(s.submitted_at),
        };
      });
    const agg = aggregate(
      rule,
      examiners.map((e) => ({ examinerId: e.examinerId, total: e.state === 'submitted' ? e.total : null })),
      threshold,
    );
    for (const e of examiners) e.outlier = agg.outliers.includes(e.examinerId);
    const d = c.attempt_id ? conduct.find((x) => x.attempt_id === c.attempt_id) : undefined;
    const flagsByType: Record<string, number> = {};
    for (const f of flags) if (f.attempt_id === c.attempt_id && isFlag(f.type)) flagsByType[f.type] = (flagsByType[f.type] ?? 0) + 1;
    const mineUploads = uploads.filter((u) => u.candidateId === c.id);
    const phone = mineUploads.find((u) => u.stream === 'phone');
    const overdue = phones.find((p) => p.attempt_id === c.attempt_id)?.overdue_flagged_at != null || now > endsAt + PROOF_UPLOAD_MS;
    return {
      reviewPriority: c.review_priority ?? 0,
      attemptId: c.attempt_id ?? null,
      candidateId: c.id,
      anonymousNumber: c.anonymous_number,
      candidateName: c.name,
      idNumber: c.id_number,
      ticket: c.ticket,
      panelId: c.panel_id,
      panelName: c.panel_name ?? null,
      examiners,
      aggregate: agg.value,
      final: agg.final,
      spread: agg.spread,
      rank: null,
      conduct: { decision: (d?.decision ?? 'none') as ConductDecision, rule: d?.rule ?? null, reason: d?.reason ?? '', at: d ? Number(d.at) : null },
      flagsByType,
      uploads: mineUploads.map((u) => ({ stream: u.stream as Stream, status: u.status, seconds: u.seconds, gapSeconds: u.gapSeconds })),
      proofDeadline: !session.proof_required || !c.attempt_id ? 'n/a' : phone?.status === 'complete' || phone?.status === 'partial' ? 'met' : overdue ? 'overdue' : 'pending',
    };
  });
  // Only final results rank; a cancelled result (取消成绩) never does.
  const ranks = rank(rows.map((r) => (r.final && r.conduct.decision !== 'cancel' ? r.aggregate : null)));
  rows.forEach((r, i) => (r.rank = ranks[i] ?? null));
  return { sessionId, rubric, publishedAt: rubric?.publishedAt ?? null, rows };
}

/** The 违纪 decision on an attempt (none / 警告 / 取消成绩, with the rule and a reason); audited. */
export async function decideConduct(ctx: Ctx, actor: string, userId: string, attemptId: string, body: ConductBody): Promise<void> {
  const a = await ctx.db.selectFrom('attempts').select(['id', 'session_id']).where('id', '=', attemptId).executeTakeFirst();
  if (!a) throw new ReviewError('NOT_FOUND');
  await requireNotPublished(ctx, a.session_id);
  const now = ctx.clock.now();
  await withAudit(
    ctx.db,
    async (trx) => {
      const row = { decision: body.decision, rule: body.decision === 'none' ? null : body.rule, reason: body.reason, user_id: userId, at: now };
      await trx
        .insertInto('conduct_decisions')
        .values({ attempt_id: attemptId, ...row })
        .onConflict((oc) => oc.column('attempt_id').doUpdateSet(row))
        .execute();
      return { result: null, audit: { actor, action: 'conduct.decide', target: `attempt:${attemptId}`, data: body } };
    },
    now,
  );
}

/** Publishes the session's results: from now on scores, unlocks, decisions and the rubric are refused. */
export async function publishResults(ctx: Ctx, actor: string, sessionId: string): Promise<void> {
  await requireSession(ctx, sessionId);
  const rubric = await getRubric(ctx, sessionId);
  if (!rubric) throw new ReviewError('RUBRIC_MISSING');
  if (rubric.publishedAt !== null) throw new ReviewError('RESULTS_PUBLISHED');
  const now = ctx.clock.now();
  await withAudit(
    ctx.db,
    async (trx) => {
      await trx.updateTable('rubrics').set({ published_at: now, published_by: actor }).where('session_id', '=', sessionId).execute();
      return { result: null, audit: { actor, action: 'results.publish', target: `session:${sessionId}` } };
    },
    now,
  );
}
