// Sessions (场次) and their timelines: defaults, validation, and the row ↔ API mapping.
import { randomUUID } from 'node:crypto';
import { DEFAULT_ENTRY_LEAD_MS, timelineProblems, type Session, type SessionInput, type TimelineSettings } from '@invigil/contracts';
import { SessionInput as SessionInputSchema } from '@invigil/contracts';
import type { SessionTable } from '../adapters/db/schema.ts';
import type { Ctx } from './context.ts';
import { AppError, notFound } from './errors.ts';
import { withAudit } from './audit.ts';

export const DEFAULT_LOGIN_LEAD_MS = 60 * 60_000;

export function toTimeline(r: SessionTable): TimelineSettings {
  return {
    loginOpensAt: r.login_opens_at,
    entryOpensAt: r.entry_opens_at,
    waitingCutoffAt: r.waiting_cutoff_at,
    startsAt: r.starts_at,
    durationSec: r.duration_sec,
    entryCutoff: r.entry_cutoff_mode === 'after-start' ? { mode: 'after-start', minutes: r.entry_cutoff_minutes } : { mode: 'at-start' },
  };
}

export function toSession(r: SessionTable, candidateCount?: number): Session {
  const t = toTimeline(r);
  return { id: r.id, examId: r.exam_id, name: r.name, kind: r.kind as Session['kind'], ...t, faceRequired: !!r.face_required, proofRequired: !!r.proof_required, ...(candidateCount === undefined ? {} : { candidateCount }) };
}

export async function sessionTimeline(ctx: Ctx, sessionId: string): Promise<TimelineSettings> {
  const r = await ctx.db.selectFrom('sessions').selectAll().where('id', '=', sessionId).executeTakeFirst();
  if (!r) throw notFound();
  return toTimeline(r);
}

/** Fill defaults (login opens 60 min before, entry 15 min before, never before login) and validate. */
export function sessionRow(input: SessionInput, examId: string, id: string, now: number): SessionTable {
  const v = SessionInputSchema.parse(input);
  const loginOpensAt = v.loginOpensAt ?? Math.min(v.startsAt - DEFAULT_LOGIN_LEAD_MS, v.entryOpensAt ?? Infinity);
  const entryOpensAt = v.entryOpensAt ?? Math.max(loginOpensAt, v.startsAt - DEFAULT_ENTRY_LEAD_MS);
  const row: SessionTable = {
    id, exam_id: examId, name: v.name, kind: v.kind,
    login_opens_at: loginOpensAt, entry_opens_at: entryOpensAt, waiting_cutoff_at: v.waitingCutoffAt ?? null,
    starts_at: v.startsAt, duration_sec: v.durationSec,
    entry_cutoff_mode: v.entryCutoff.mode, entry_cutoff_minutes: v.entryCutoff.mode === 'after-start' ? v.entryCutoff.minutes : 0,
    face_required: v.faceRequired ? 1 : 0, proof_required: v.proofRequired ? 1 : 0, created_at: now,
  };
  const problems = timelineProblems(toTimeline(row));
  if (problems.length) throw new AppError('TIMELINE_INVALID', { detail: problems.join('; ') }, { problems });
  return row;
}

export async function createSession(ctx: Ctx, actor: string, examId: string, input: SessionInput): Promise<Session> {
  const exam = await ctx.db.selectFrom('exams').select('id').where('id', '=', examId).executeTakeFirst();
  if (!exam) throw notFound();
  const now = ctx.clock.now();
  const row = sessionRow(input, examId, randomUUID(), now);
  await withAudit(ctx.db, async (trx) => {
    await trx.insertInto('sessions').values(row).execute();
    return { result: null, audit: { actor, action: 'session.create', target: `session:${row.id}`, data: { name: row.name, startsAt: row.starts_at } } };
  }, now);
  return toSession(row, 0);
}

export async function updateSession(ctx: Ctx, actor: string, id: string, input: SessionInput): Promise<Session> {
  const old = await ctx.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!old) throw notFound();
  const now = ctx.clock.now();
  const row = sessionRow(input, old.exam_id, id, old.created_at);
  const { id: _id, created_at: _c, exam_id: _e, ...changes } = row;
  await withAudit(ctx.db, async (trx) => {
    await trx.updateTable('sessions').set(changes).where('id', '=', id).execute();
    return { result: null, audit: { actor, action: 'session.update', target: `session:${id}`, data: changes } };
  }, now);
  return toSession(row);
}
