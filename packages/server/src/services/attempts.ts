// The candidate's attempt through the session timeline: documents, entry, waiting room, question, end.
// Every gate asks phaseAt() with the server clock; the browser only displays what this returns.
import { isInExam, phaseAt, type AttemptState, type DeviceCheck, type SignalType } from '@invigil/contracts';
import type { Ctx } from './context.ts';
import type { AttemptTable } from '../adapters/db/schema.ts';
import { AppError, notFound } from './errors.ts';
import { withAudit } from './audit.ts';
import { raise } from './events.ts';
import { attemptTimeline, isPracticeSession } from './sessions.ts';
import type { Bus } from './bus.ts';
import type { Principal } from './auth.ts';
import { candidatesIn, requireAttempt, staffTargets, watchScope } from './access.ts';
import { dashboardChanged, dashboardTouched } from './dashboard.ts';

/** A step that must be passed before entering (face login, proof camera binding). Returns an error to refuse. */
export interface EntryGate {
  name: string;
  /** In a practice attempt the step is not enforced: what it would refuse shows in the self-test verdict instead. */
  advisoryInPractice?: boolean;
  check(ctx: Ctx, attemptId: string): Promise<AppError | null>;
}

export function maskIdNumber(id: string): string {
  return id.length <= 8 ? id.replace(/.(?=.{2})/g, '*') : `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
}

async function load(ctx: Ctx, attemptId: string) {
  const row = await ctx.db
    .selectFrom('attempts')
    .innerJoin('candidates', 'candidates.id', 'attempts.candidate_id')
    .innerJoin('sessions', 'sessions.id', 'attempts.session_id')
    .innerJoin('exams', 'exams.id', 'sessions.exam_id')
    .selectAll('attempts')
    .select([
      'candidates.name as c_name',
      'candidates.ticket as c_ticket',
      'candidates.id_number as c_id',
      'candidates.room_id as c_room',
      'candidates.extra_time_sec as c_extra',
      'exams.name as exam_name',
    ])
    .where('attempts.id', '=', attemptId)
    .executeTakeFirst();
  if (!row) throw notFound();
  const session = await ctx.db.selectFrom('sessions').selectAll().where('id', '=', row.session_id).executeTakeFirstOrThrow();
  return { row, session, timeline: attemptTimeline(session, row, row.c_extra, ctx.clock.now()) };
}

export async function attemptState(ctx: Ctx, attemptId: string): Promise<AttemptState> {
  const { row, session, timeline } = await load(ctx, attemptId);
  const now = ctx.clock.now();
  const info = phaseAt(timeline, now);
  const docs = await ctx.db.selectFrom('documents').select(['id', 'kind', 'title']).where('session_id', '=', session.id).orderBy('position').orderBy('title').execute();
  const reads = new Set((await ctx.db.selectFrom('document_reads').select('document_id').where('attempt_id', '=', attemptId).execute()).map((r) => r.document_id));
  return {
    attemptId,
    status: row.status as AttemptState['status'],
    candidate: { name: row.c_name, ticket: row.c_ticket, idNumberMasked: maskIdNumber(row.c_id) },
    session: { id: session.id, name: session.name, examName: row.exam_name, kind: session.kind, faceRequired: !!session.face_required, proofRequired: !!session.proof_required },
    timeline: {
      now,
      phase: info.phase,
      loginOpensAt: timeline.loginOpensAt,
      entryOpensAt: timeline.entryOpensAt,
      entryClosesAt: info.entryClosesAt,
      startsAt: timeline.startsAt,
      endsAt: info.endsAt,
      canEnter: info.canEnter && !isInExam(row.status) && row.status !== 'ended',
      questionReleased: info.questionReleased,
    },
    documents: docs.map((d) => ({ id: d.id, kind: d.kind as 'process', title: d.title, read: reads.has(d.id) })),
    allDocumentsRead: docs.every((d) => reads.has(d.id)),
    endedAt: row.ended_at,
    endReason: row.end_reason,
  };
}

export async function heartbeat(ctx: Ctx, attemptId: string, clientId: string) {
  const now = ctx.clock.now();
  await ctx.db.updateTable('attempts').set({ live_seen_at: now }).where('id', '=', attemptId).where('live_client_id', '=', clientId).execute();
  const a = await ctx.db.selectFrom('attempts').select('status').where('id', '=', attemptId).executeTakeFirstOrThrow();
  return { now, status: a.status as AttemptState['status'] };
}

export async function saveDeviceCheck(ctx: Ctx, attemptId: string, check: DeviceCheck) {
  const now = ctx.clock.now();
  await withAudit(
    ctx.db,
    async (trx) => {
      await trx
        .updateTable('attempts')
        .set({ device_check: JSON.stringify(check), device_checked_at: now })
        .where('id', '=', attemptId)
        .execute();
      return { result: null, audit: { actor: 'system', action: 'attempt.device-check', target: `attempt:${attemptId}` } };
    },
    now,
  );
}

export async function readDocument(ctx: Ctx, attemptId: string, docId: string) {
  const a = await ctx.db.selectFrom('attempts').select('session_id').where('id', '=', attemptId).executeTakeFirstOrThrow();
  const d = await ctx.db.selectFrom('documents').selectAll().where('id', '=', docId).where('session_id', '=', a.session_id).executeTakeFirst();
  if (!d) throw notFound();
  const read = await ctx.db.selectFrom('document_reads').select('read_at').where('attempt_id', '=', attemptId).where('document_id', '=', docId).executeTakeFirst();
  return { id: d.id, kind: d.kind as 'process', title: d.title, body: d.body, read: !!read };
}

export async function markDocumentRead(ctx: Ctx, actor: string, attemptId: string, docId: string): Promise<AttemptState> {
  await readDocument(ctx, attemptId, docId); // same session check
  await withAudit(ctx.db, async (trx) => {
    const exists = await trx.selectFrom('document_reads').select('read_at').where('attempt_id', '=', attemptId).where('document_id', '=', docId).executeTakeFirst();
    if (!exists) await trx.insertInto('document_reads').values({ attempt_id: attemptId, document_id: docId, read_at: ctx.clock.now() }).execute();
    return { result: null, audit: { actor, action: 'document.read', target: `attempt:${attemptId}`, data: { documentId: docId } } };
  });
  return attemptState(ctx, attemptId);
}

export async function enter(ctx: Ctx, actor: string, attemptId: string, body: { singleMonitor: boolean; displaySurface: string }, gates: EntryGate[], bus: Bus): Promise<AttemptState> {
  const { row, session, timeline } = await load(ctx, attemptId);
  const now = ctx.clock.now();
  const info = phaseAt(timeline, now);
  if (row.status === 'ended') throw new AppError('ATTEMPT_ENDED');
  if (!body.singleMonitor) throw new AppError('SECOND_MONITOR');
  if (body.displaySurface !== 'monitor') throw new AppError('SCREEN_NOT_WHOLE');
  // Re-entry after a reload or crash resumes the attempt until the end; time is never extended.
  const resuming = isInExam(row.status);
  if (!resuming) {
    if (now < timeline.entryOpensAt) throw new AppError('ENTRY_NOT_OPEN', { at: new Date(timeline.entryOpensAt).toISOString() }, { entryOpensAt: timeline.entryOpensAt, now });
    if (!info.canEnter) throw new AppError('ENTRY_CLOSED', { at: new Date(info.entryClosesAt).toISOString() }, { entryClosesAt: info.entryClosesAt, now });
    const state = await attemptState(ctx, attemptId);
    if (!state.allDocumentsRead) throw new AppError('DOCUMENTS_NOT_READ');
    for (const g of gates) {
      if (g.advisoryInPractice && isPracticeSession(session)) continue;
      const refusal = await g.check(ctx, attemptId);
      if (refusal) throw refusal;
    }
  } else if (now >= info.endsAt) throw new AppError('ATTEMPT_ENDED');
  await withAudit(
    ctx.db,
    async (trx) => {
      if (!resuming) await trx.updateTable('attempts').set({ status: 'entered', entered_at: now }).where('id', '=', attemptId).where('status', '=', row.status).execute();
      return { result: null, audit: { actor, action: resuming ? 'attempt.re-enter' : 'attempt.enter', target: `attempt:${attemptId}` } };
    },
    now,
  );
  bus.emit(await staffTargets(ctx, attemptId), 'attempt:changed', { attemptId, status: resuming ? (row.status as AttemptState['status']) : 'entered' });
  if (!resuming) dashboardChanged(ctx, bus, row.session_id);
  return attemptState(ctx, attemptId);
}

export async function ready(ctx: Ctx, actor: string, attemptId: string, bus: Bus): Promise<AttemptState> {
  const { row, timeline } = await load(ctx, attemptId);
  const now = ctx.clock.now();
  if (row.status === 'ended') throw new AppError('ATTEMPT_ENDED');
  if (!isInExam(row.status)) throw new AppError('NOT_ENTERED');
  if (row.status === 'entered') {
    const status = now >= timeline.startsAt ? 'answering' : 'waiting';
    await withAudit(
      ctx.db,
      async (trx) => {
        await trx.updateTable('attempts').set({ status, waiting_at: now }).where('id', '=', attemptId).where('status', '=', 'entered').execute();
        return { result: null, audit: { actor, action: 'attempt.ready', target: `attempt:${attemptId}` } };
      },
      now,
    );
    bus.emit(await staffTargets(ctx, attemptId), 'attempt:changed', { attemptId, status });
    dashboardChanged(ctx, bus, row.session_id);
  }
  return attemptState(ctx, attemptId);
}

/** The question: only to a candidate who has entered, only from the start, only until the end. */
export async function question(ctx: Ctx, attemptId: string) {
  const { row, timeline } = await load(ctx, attemptId);
  const info = phaseAt(timeline, ctx.clock.now());
  if (!info.questionReleased) throw new AppError('QUESTION_NOT_RELEASED');
  if (row.status === 'ended') throw new AppError('ATTEMPT_ENDED');
  if (!isInExam(row.status)) throw new AppError('NOT_ENTERED');
  const qs = await ctx.db.selectFrom('questions').select(['id', 'title', 'body']).where('session_id', '=', row.session_id).orderBy('position').execute();
  return { questions: qs, endsAt: info.endsAt };
}

export async function endAttempt(ctx: Ctx, actor: string, attemptId: string, reason: 'candidate' | 'time-up' | 'proctor', bus: Bus, note?: string): Promise<boolean> {
  const now = ctx.clock.now();
  const ended = await withAudit(
    ctx.db,
    async (trx) => {
      const res = await trx.updateTable('attempts').set({ status: 'ended', ended_at: now, end_reason: reason }).where('id', '=', attemptId).where('status', '!=', 'ended').executeTakeFirst();
      return { result: Number(res.numUpdatedRows) > 0, audit: { actor, action: 'attempt.end', target: `attempt:${attemptId}`, data: { reason, note } } };
    },
    now,
  );
  if (ended) {
    bus.emit([{ attempt: attemptId }, ...(await staffTargets(ctx, attemptId))], 'attempt:changed', { attemptId, status: 'ended', reason });
    dashboardTouched(ctx, bus, attemptId);
  }
  return ended;
}

export async function recordSignals(ctx: Ctx, attemptId: string, signals: Array<{ type: SignalType; at: number; data: Record<string, unknown> }>, bus: Bus) {
  await raise(
    ctx,
    bus,
    signals.map((s) => ({ attemptId, type: s.type, at: s.at, data: s.data ?? {} })),
    { actor: 'system', action: 'attempt.signals', target: `attempt:${attemptId}`, data: { types: signals.map((s) => s.type) } },
  );
}

export async function listEvents(ctx: Ctx, p: Principal, attemptId: string) {
  await requireAttempt(ctx, p, attemptId);
  const rows = await ctx.db.selectFrom('attempt_events').selectAll().where('attempt_id', '=', attemptId).orderBy('at').execute();
  return rows.map((r) => ({ id: r.id, at: r.at, type: r.type, data: JSON.parse(r.data) as unknown, receivedAt: r.received_at }));
}

/** A session's attempts a watcher may see (a proctor: their rooms), for the consoles and tests. */
export async function sessionAttempts(ctx: Ctx, p: Principal, sessionId: string) {
  const scope = await watchScope(ctx, p, sessionId);
  if (!scope) return [];
  const rows = await ctx.db
    .selectFrom('attempts')
    .innerJoin('candidates', 'candidates.id', 'attempts.candidate_id')
    .select(['attempts.id', 'candidates.name', 'candidates.ticket', 'candidates.room_id', 'attempts.status', 'attempts.live_seen_at', 'attempts.end_reason'])
    .where('attempts.session_id', '=', sessionId)
    .where('attempts.replaced_at', 'is', null) // a self-test's earlier practice attempts are history, not live
    .where('candidates.id', 'in', candidatesIn(ctx, scope, sessionId))
    .orderBy('candidates.ticket')
    .execute();
  return rows.map((r) => ({ attemptId: r.id, candidateName: r.name, ticket: r.ticket, roomId: r.room_id, status: r.status, liveSeenAt: r.live_seen_at, endReason: r.end_reason }));
}

export type { AttemptTable };

/** True once the attempt ended (by the candidate, time or staff): nothing the candidate sends counts after that. */
export async function isEnded(ctx: Ctx, attemptId: string): Promise<boolean> {
  const a = await ctx.db.selectFrom('attempts').select('status').where('id', '=', attemptId).executeTakeFirst();
  return !a || a.status === 'ended';
}
