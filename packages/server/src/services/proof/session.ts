// The staff view: every candidate of a session with their proof camera's live status and upload deadline
// (support sees all; a proctor only their rooms), and the same rows as text for `invigil recordings`.
import type { SessionProof } from '@invigil/contracts';
import type { Ctx } from '../context.ts';
import type { Principal } from '../auth.ts';
import { notFound } from '../errors.ts';
import { candidatesIn, requireWatch, type Scope } from '../access.ts';
import type { ProofSettings } from './settings.ts';
import { attemptFacts, composeStatus } from './status.ts';

/** `operator` is the server's own command line (`invigil recordings`), which sees every candidate. */
export async function sessionProof(ctx: Ctx, settings: ProofSettings, p: Principal | 'operator' | null, sessionId: string): Promise<SessionProof> {
  if (!p) throw notFound();
  const scope: Scope = p === 'operator' ? { kind: 'all' } : await requireWatch(ctx, p, sessionId);
  const session = await ctx.db.selectFrom('sessions').select(['id', 'proof_required']).where('id', '=', sessionId).executeTakeFirst();
  if (!session) throw notFound();
  const candidates = await ctx.db
    .selectFrom('candidates')
    // the current attempt only (earlier practice attempts are replaced ones)
    .leftJoin('attempts', (j) => j.onRef('attempts.candidate_id', '=', 'candidates.id').on('attempts.replaced_at', 'is', null))
    .select(['candidates.id', 'candidates.name', 'candidates.ticket', 'candidates.room_id', 'attempts.id as attemptId'])
    .where('candidates.session_id', '=', sessionId)
    .where('candidates.id', 'in', candidatesIn(ctx, scope, sessionId))
    .orderBy('candidates.ticket')
    .execute();
  const phones = new Map(
    (await ctx.db.selectFrom('proof_phones').innerJoin('attempts', 'attempts.id', 'proof_phones.attempt_id').selectAll('proof_phones').where('attempts.session_id', '=', sessionId).execute()).map(
      (r) => [r.attempt_id, r],
    ),
  );
  const recs = new Map(
    (
      await ctx.db
        .selectFrom('recordings')
        .innerJoin('attempts', 'attempts.id', 'recordings.attempt_id')
        .select(['recordings.attempt_id', 'recordings.status', 'recordings.finalized_at'])
        .where('attempts.session_id', '=', sessionId)
        .where('recordings.stream', '=', 'phone')
        .execute()
    ).map((r) => [r.attempt_id, r]),
  );
  const now = ctx.clock.now();
  const rows = [];
  for (const c of candidates) {
    const status = c.attemptId ? composeStatus(settings, now, await attemptFacts(ctx, c.attemptId), phones.get(c.attemptId) ?? null, recs.get(c.attemptId) ?? null) : null;
    rows.push({ candidateId: c.id, candidateName: c.name, ticket: c.ticket, roomId: c.room_id, attemptId: c.attemptId, status });
  }
  return { sessionId, proofRequired: !!session.proof_required, rows };
}

const LABEL: Record<string, string> = { 'not-started': 'not started', recording: 'recording', uploading: 'uploading', complete: 'complete', overdue: 'OVERDUE' };

/** The proof video upload deadline per candidate, as a text table for `invigil recordings`. */
export function renderProofUploads(view: SessionProof): string {
  const rows = view.rows.filter((r) => view.proofRequired || (r.status && r.status.connection !== 'unbound'));
  if (!rows.length) return '';
  const iso = (t: number | null | undefined) => (t ? new Date(t).toISOString().replace('T', ' ').slice(0, 19) : '-');
  const lines = rows.map((r) => {
    const u = r.status?.upload;
    const state = u ? LABEL[u.state]! + (u.late ? ' (late)' : '') : 'not started';
    const gaps = r.status?.gaps.count ? `${r.status.gaps.count} (${r.status.gaps.seconds.toFixed(1)} s)` : '0';
    return [r.ticket, r.candidateName, r.status?.connection ?? 'unbound', state, iso(u?.deadlineAt), gaps];
  });
  const head = ['ticket', 'candidate', 'phone', 'proof upload', 'deadline (UTC)', 'gaps'];
  const width = (s: string) => [...s].reduce((n, ch) => n + (/[\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]/.test(ch) ? 2 : 1), 0);
  const widths = head.map((h, i) => Math.max(width(h), ...lines.map((l) => width(l[i]!))));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => c + ' '.repeat(widths[i]! - width(c)))
      .join('  ')
      .trimEnd();
  const overdue = rows.filter((r) => r.status?.upload.state === 'overdue').length;
  return ['', 'Proof videos (phone) — upload deadline', fmt(head), ...lines.map(fmt), '', `${rows.length} candidates, ${overdue} overdue`, ''].join('\n');
}
