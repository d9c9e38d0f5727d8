// A candidate's practice attempts (自助试测): start another after finishing one, list them with their verdicts,
// and reach one's own recordings for playback. A candidate only ever reaches attempts of their own candidate row.
import { randomUUID } from 'node:crypto';
import type { DeviceCheck, PracticeAttempt, PracticeAttempts, SelfTestStatus } from '@invigil/contracts';
import type { Ctx } from '../context.ts';
import { AppError, notFound } from '../errors.ts';
import { withAudit } from '../audit.ts';
import { isPracticeKind } from './rules.ts';
import { practiceStreams, practiceVerdict, type RecordingFacts } from './verdict.ts';
import type { RecordingTable } from '../../adapters/db/schema-recordings.ts';
import { attemptRow } from '../../adapters/db/rows.ts';

export interface CandidateCaller {
  candidateId: string;
  attemptId: string;
  clientId: string;
  authId: string;
  actor: string;
}

/** 【再次试测】: the finished practice attempt is kept (replaced) and a new one starts at login, on this device. */
export async function startAnotherPractice(ctx: Ctx, c: CandidateCaller): Promise<string> {
  const now = ctx.clock.now();
  const a = await ctx.db
    .selectFrom('attempts')
    .innerJoin('sessions', 'sessions.id', 'attempts.session_id')
    .select(['attempts.id', 'attempts.status', 'attempts.session_id', 'sessions.kind', 'sessions.window_closes_at'])
    .where('attempts.id', '=', c.attemptId)
    .executeTakeFirst();
  if (!a) throw notFound();
  if (!isPracticeKind(a.kind)) throw new AppError('PRACTICE_ONLY');
  if (a.status !== 'ended') throw new AppError('PRACTICE_IN_PROGRESS');
  if (a.window_closes_at === null || now >= a.window_closes_at) throw new AppError('PRACTICE_WINDOW_CLOSED');
  const id = randomUUID();
  await withAudit(
    ctx.db,
    async (trx) => {
      const res = await trx.updateTable('attempts').set({ replaced_at: now }).where('id', '=', a.id).where('replaced_at', 'is', null).executeTakeFirst();
      if (!Number(res.numUpdatedRows)) throw new AppError('CONFLICT', { detail: 'another practice attempt was started already' });
      await trx
        .insertInto('attempts')
        .values(
          attemptRow({
            id,
            candidate_id: c.candidateId,
            session_id: a.session_id,
            status: 'logged-in',
            logged_in_at: now,
            live_client_id: c.clientId,
            live_seen_at: now,
          }),
        )
        .execute();
      await trx.updateTable('auth_sessions').set({ attempt_id: id }).where('id', '=', c.authId).execute();
      return { result: null, audit: { actor: c.actor, action: 'practice.start-again', target: `attempt:${id}`, data: { previous: a.id } } };
    },
    now,
  );
  return id;
}

type AttemptRow = { id: string; status: string; entered_at: number | null; ended_at: number | null; replaced_at: number | null; device_check: string | null; proof_required: number };

async function recordingsOf(ctx: Ctx, attemptIds: string[]): Promise<Map<string, RecordingFacts[]>> {
  const out = new Map<string, RecordingFacts[]>();
  if (!attemptIds.length) return out;
  const rows = await ctx.db.selectFrom('recordings').select(['id', 'attempt_id', 'stream', 'status', 'report', 'assembled_ref']).where('attempt_id', 'in', attemptIds).execute();
  for (const r of rows) {
    const list = out.get(r.attempt_id) ?? [];
    list.push({ id: r.id, stream: r.stream as RecordingFacts['stream'], status: r.status, report: r.report ? JSON.parse(r.report) : null, assembled: !!r.assembled_ref });
    out.set(r.attempt_id, list);
  }
  return out;
}

export function describeAttempt(a: AttemptRow, number: number, recordings: RecordingFacts[]): PracticeAttempt {
  const facts = { status: a.status, enteredAt: a.entered_at, proofRequired: !!a.proof_required, deviceCheck: a.device_check ? (JSON.parse(a.device_check) as DeviceCheck) : null, recordings };
  return { attemptId: a.id, number, status: a.status, enteredAt: a.entered_at, endedAt: a.ended_at, current: a.replaced_at === null, streams: practiceStreams(facts), verdict: practiceVerdict(facts) };
}

/** Practice attempts of candidate rows, oldest first, with verdicts (one query per table, for lists of thousands). */
export async function practiceAttemptsOf(ctx: Ctx, candidateIds: string[]): Promise<Map<string, PracticeAttempt[]>> {
  const out = new Map<string, PracticeAttempt[]>();
  if (!candidateIds.length) return out;
  const rows = await ctx.db
    .selectFrom('attempts')
    .innerJoin('sessions', 'sessions.id', 'attempts.session_id')
    .select([
      'attempts.id',
      'attempts.candidate_id',
      'attempts.status',
      'attempts.entered_at',
      'attempts.ended_at',
      'attempts.replaced_at',
      'attempts.device_check',
      'attempts.logged_in_at',
      'sessions.proof_required',
    ])
    .where('attempts.candidate_id', 'in', candidateIds)
    .where('sessions.kind', 'in', ['mock-self'])
    .orderBy('attempts.logged_in_at')
    .execute();
  const recs = await recordingsOf(
    ctx,
    rows.map((r) => r.id),
  );
  for (const r of rows) {
    const list = out.get(r.candidate_id) ?? [];
    list.push(describeAttempt(r, list.length + 1, recs.get(r.id) ?? []));
    out.set(r.candidate_id, list);
  }
  return out;
}

export async function ownPracticeAttempts(ctx: Ctx, c: CandidateCaller): Promise<PracticeAttempts> {
  const s = await ctx.db
    .selectFrom('attempts')
    .innerJoin('sessions', 'sessions.id', 'attempts.session_id')
    .select(['sessions.id', 'sessions.kind', 'sessions.window_closes_at', 'attempts.status'])
    .where('attempts.id', '=', c.attemptId)
    .executeTakeFirst();
  if (!s) throw notFound();
  const attempts = (await practiceAttemptsOf(ctx, [c.candidateId])).get(c.candidateId) ?? [];
  const open = s.window_closes_at !== null && ctx.clock.now() < s.window_closes_at;
  return { sessionId: s.id, windowClosesAt: s.window_closes_at, canStartAgain: isPracticeKind(s.kind) && open && s.status === 'ended', attempts };
}

/** Playback: one of the candidate's own practice recordings, assembled. Anyone else's is "not found". */
export async function ownPracticeRecording(ctx: Ctx, c: CandidateCaller, recordingId: string): Promise<RecordingTable> {
  const rec = await ctx.db
    .selectFrom('recordings')
    .innerJoin('attempts', 'attempts.id', 'recordings.attempt_id')
    .innerJoin('sessions', 'sessions.id', 'attempts.session_id')
    .selectAll('recordings')
    .select(['attempts.candidate_id', 'sessions.kind'])
    .where('recordings.id', '=', recordingId)
    .executeTakeFirst();
  if (!rec || rec.candidate_id !== c.candidateId || !isPracticeKind(rec.kind) || !rec.assembled_ref) throw notFound();
  const { candidate_id: _c, kind: _k, ...row } = rec;
  return row;
}

/** The candidate's badge: the same person (ID number) in any 自助试测 of the exam of their session. */
export async function selfTestStatus(ctx: Ctx, candidateId: string): Promise<SelfTestStatus> {
  const me = await ctx.db
    .selectFrom('candidates')
    .innerJoin('sessions', 'sessions.id', 'candidates.session_id')
    .select(['candidates.id_number', 'sessions.exam_id'])
    .where('candidates.id', '=', candidateId)
    .executeTakeFirst();
  if (!me) throw notFound();
  const rows = await ctx.db
    .selectFrom('candidates')
    .innerJoin('sessions', 'sessions.id', 'candidates.session_id')
    .select('candidates.id')
    .where('candidates.id_number', '=', me.id_number)
    .where('sessions.exam_id', '=', me.exam_id)
    .where('sessions.kind', '=', 'mock-self')
    .execute();
  const all = [
    ...(
      await practiceAttemptsOf(
        ctx,
        rows.map((r) => r.id),
      )
    ).values(),
  ]
    .flat()
    .filter((a) => a.enteredAt !== null);
  const succeeded = all.filter((a) => a.verdict.success).length;
  return { required: rows.length > 0, started: all.length, succeeded, done: succeeded > 0 };
}
