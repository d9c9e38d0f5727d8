// Sessions (场次) and their timelines: defaults, validation, and the row ↔ API mapping.
import { randomUUID } from 'node:crypto';
import { DEFAULT_ENTRY_LEAD_MS, practiceTimeline, timelineProblems, Session as SessionSchema, type Session, type PublicSchedule, type SessionInput, type TimelineSettings } from '@invigil/contracts';
import type { Selectable } from 'kysely';
import { isPracticeKind } from './practice/rules.ts';
import { SessionInput as SessionInputSchema } from '@invigil/contracts';
import type { SessionTable } from '../adapters/db/schema.ts';
import type { Ctx } from './context.ts';
import { AppError, notFound } from './errors.ts';
import { withAudit } from './audit.ts';

export const DEFAULT_LOGIN_LEAD_MS = 60 * 60_000;

type SessionRow = Selectable<SessionTable>;

/** 自助试测: every attempt of such a session is a practice attempt with its own start (see practiceTimeline). */
export const isPracticeSession = (r: { kind: string }) => isPracticeKind(r.kind);

/** The timeline one attempt lives by: the session's, or the practice attempt's own; plus the candidate's extra time. */
export function attemptTimeline(session: SessionRow, attempt: { entered_at: number | null } | null, extraSec: number, now: number): TimelineSettings {
  if (isPracticeSession(session))
    return practiceTimeline(
      { opensAt: session.starts_at, closesAt: session.window_closes_at ?? session.starts_at, durationSec: session.duration_sec, leadSec: session.practice_lead_sec, extraSec },
      attempt?.entered_at ?? null,
      now,
    );
  return { ...toTimeline(session), extraSec };
}

export function toTimeline(r: SessionRow): TimelineSettings {
  return {
    loginOpensAt: r.login_opens_at,
    entryOpensAt: r.entry_opens_at,
    waitingCutoffAt: r.waiting_cutoff_at,
    startsAt: r.starts_at,
    durationSec: r.duration_sec,
    entryCutoff: r.entry_cutoff_mode === 'after-start' ? { mode: 'after-start', minutes: r.entry_cutoff_minutes } : { mode: 'at-start' },
  };
}

export function toSession(r: SessionRow, candidateCount?: number): Session {
  const t = toTimeline(r);
  return {
    id: r.id,
    examId: r.exam_id,
    name: r.name,
    kind: r.kind as Session['kind'],
    ...t,
    faceRequired: !!r.face_required,
    proofRequired: !!r.proof_required,
    windowClosesAt: r.window_closes_at,
    practiceLeadSec: r.practice_lead_sec,
    ...(candidateCount === undefined ? {} : { candidateCount }),
  };
}

/** What login looks at: the session's timeline, or a self-test window's (open until the last practice could end). */
export async function loginTimeline(ctx: Ctx, sessionId: string, now: number): Promise<{ timeline: TimelineSettings; openUntil: number }> {
  const r = await ctx.db.selectFrom('sessions').selectAll().where('id', '=', sessionId).executeTakeFirst();
  if (!r) throw notFound();
  const timeline = attemptTimeline(r, null, 0, now);
  const openUntil = isPracticeSession(r) ? (r.window_closes_at ?? r.starts_at) + (r.practice_lead_sec + r.duration_sec) * 1000 : timeline.startsAt + timeline.durationSec * 1000;
  return { timeline, openUntil };
}

export async function sessionTimeline(ctx: Ctx, sessionId: string): Promise<TimelineSettings> {
  const r = await ctx.db.selectFrom('sessions').selectAll().where('id', '=', sessionId).executeTakeFirst();
  if (!r) throw notFound();
  return toTimeline(r);
}

/**
 * The public schedule: login-open and start times of every session whose login has not closed yet, with the exam's
 * name — nothing about candidates. The candidate login page counts down to the earliest opening from it, because a
 * refused login no longer says why (issue #13). Sorted by opening time, at most `limit`.
 */
export async function publicSchedule(ctx: Ctx, limit = 50): Promise<PublicSchedule> {
  const now = ctx.clock.now();
  const rows = await ctx.db
    .selectFrom('sessions')
    .innerJoin('exams', 'exams.id', 'sessions.exam_id')
    .select(['exams.name as examName', 'sessions.kind', 'sessions.login_opens_at', 'sessions.starts_at', 'sessions.duration_sec', 'sessions.window_closes_at', 'sessions.practice_lead_sec'])
    // Cheap bound first (no session runs longer than a day past its start, a window closes after it opens).
    .where((eb) => eb.or([eb('sessions.starts_at', '>', now - 86400_000), eb('sessions.window_closes_at', '>', now - 86400_000)]))
    .orderBy('sessions.login_opens_at')
    .execute();
  const sessions = rows
    .map((r) => {
      const practice = isPracticeSession(r);
      const openUntil = practice ? (r.window_closes_at ?? r.starts_at) + (r.practice_lead_sec + r.duration_sec) * 1000 : r.starts_at + r.duration_sec * 1000;
      return { examName: r.examName, loginOpensAt: practice ? r.starts_at : r.login_opens_at, startsAt: r.starts_at, openUntil };
    })
    .filter((r) => r.openUntil > now)
    .slice(0, limit)
    .map(({ openUntil: _, ...r }) => r);
  return { now, sessions };
}

/** Fill defaults (login opens 60 min before, entry 15 min before, never before login) and validate. */
export function sessionRow(input: SessionInput, examId: string, id: string, now: number): SessionRow {
  const v = SessionInputSchema.parse(input);
  // A self-test window opens login and entry at its opening; each practice attempt then has its own start.
  const practice = isPracticeSession(v);
  const loginOpensAt = practice ? v.startsAt : (v.loginOpensAt ?? Math.min(v.startsAt - DEFAULT_LOGIN_LEAD_MS, v.entryOpensAt ?? Infinity));
  const entryOpensAt = practice ? v.startsAt : (v.entryOpensAt ?? Math.max(loginOpensAt, v.startsAt - DEFAULT_ENTRY_LEAD_MS));
  const row: SessionRow = {
    id,
    exam_id: examId,
    name: v.name,
    kind: v.kind,
    login_opens_at: loginOpensAt,
    entry_opens_at: entryOpensAt,
    waiting_cutoff_at: v.waitingCutoffAt ?? null,
    starts_at: v.startsAt,
    duration_sec: v.durationSec,
    entry_cutoff_mode: v.entryCutoff.mode,
    entry_cutoff_minutes: v.entryCutoff.mode === 'after-start' ? v.entryCutoff.minutes : 0,
    face_required: v.faceRequired ? 1 : 0,
    proof_required: v.proofRequired ? 1 : 0,
    created_at: now,
    window_closes_at: practice ? (v.windowClosesAt ?? null) : null,
    practice_lead_sec: v.practiceLeadSec,
  };
  const problems = timelineProblems(toTimeline(row));
  if (practice && !(row.window_closes_at !== null && row.window_closes_at > row.starts_at)) problems.push('windowClosesAt must be after startsAt (the window opens at startsAt)');
  // The defaults are derived (login = start − 60 min): a start within the first hour of 1970 gave a negative
  // login time that was committed and then failed every answer about the session (issue #13). Check the row as
  // it will be answered, before anything is written.
  if (!problems.length && !SessionSchema.safeParse(toSession(row, 0)).success) problems.push('times must be real dates (epoch milliseconds after 1970)');
  if (problems.length) throw new AppError('TIMELINE_INVALID', { detail: problems.join('; ') }, { problems });
  return row;
}

export async function createSession(ctx: Ctx, actor: string, examId: string, input: SessionInput): Promise<Session> {
  const exam = await ctx.db.selectFrom('exams').select('id').where('id', '=', examId).executeTakeFirst();
  if (!exam) throw notFound();
  const now = ctx.clock.now();
  const row = sessionRow(input, examId, randomUUID(), now);
  await withAudit(
    ctx.db,
    async (trx) => {
      await trx.insertInto('sessions').values(row).execute();
      return { result: null, audit: { actor, action: 'session.create', target: `session:${row.id}`, data: { name: row.name, startsAt: row.starts_at } } };
    },
    now,
  );
  return toSession(row, 0);
}

export async function updateSession(ctx: Ctx, actor: string, id: string, input: SessionInput): Promise<Session> {
  const old = await ctx.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!old) throw notFound();
  const now = ctx.clock.now();
  const row = sessionRow(input, old.exam_id, id, old.created_at);
  const { id: _id, created_at: _c, exam_id: _e, ...changes } = row;
  // Moving a sealed session's start into the past would unseal its question for anyone who asks, then the start
  // could be moved back (issue #13). Once a question exists this is refused, and the attempt is audited.
  if (old.starts_at > now && row.starts_at <= now) {
    const q = await ctx.db.selectFrom('questions').select('id').where('session_id', '=', id).limit(1).executeTakeFirst();
    if (q) {
      await withAudit(ctx.db, async () => ({ result: null, audit: { actor, action: 'session.start-move-refused', target: `session:${id}`, data: { from: old.starts_at, to: row.starts_at } } }), now);
      throw new AppError('START_MOVE_REFUSED');
    }
  }
  await withAudit(
    ctx.db,
    async (trx) => {
      await trx.updateTable('sessions').set(changes).where('id', '=', id).execute();
      return { result: null, audit: { actor, action: 'session.update', target: `session:${id}`, data: changes } };
    },
    now,
  );
  return toSession(row);
}
