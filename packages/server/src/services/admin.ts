// Administration use cases: exams, rooms, panels, documents, questions, staff users, candidates.
// Each change is audited in its own transaction. Sessions (timelines) live in sessions.ts.
import { randomInt, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Selectable, Transaction } from 'kysely';
import { CandidateInput, DocumentInput, ExamInput, PanelInput, QuestionInput, RoomInput, StaffUserInput, StaffUserPatch, idNumberProblem, normalizeIdNumber } from '@invigil/contracts';
import type { CandidateTable, Database } from '../adapters/db/schema.ts';
import type { Ctx } from './context.ts';
import { AppError, notFound } from './errors.ts';
import { withAudit } from './audit.ts';
import { hashPassword } from './auth.ts';
import { toSession } from './sessions.ts';

type In<T extends z.ZodType> = z.input<T>;

async function must<T>(p: Promise<T | undefined>): Promise<T> {
  const v = await p;
  if (v === undefined) throw notFound();
  return v;
}

// ---- exams
export async function listExams(ctx: Ctx) {
  const rows = await ctx.db.selectFrom('exams').selectAll().orderBy('created_at', 'desc').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, description: r.description, createdAt: r.created_at }));
}
export async function createExam(ctx: Ctx, actor: string, input: In<typeof ExamInput>) {
  const v = ExamInput.parse(input);
  const row = { id: randomUUID(), name: v.name, description: v.description, created_at: ctx.clock.now() };
  await withAudit(ctx.db, async (trx) => {
    await trx.insertInto('exams').values(row).execute();
    return { result: null, audit: { actor, action: 'exam.create', target: `exam:${row.id}`, data: { name: row.name } } };
  });
  return { id: row.id, name: row.name, description: row.description, createdAt: row.created_at };
}
export async function updateExam(ctx: Ctx, actor: string, id: string, input: In<typeof ExamInput>) {
  const v = ExamInput.parse(input);
  const old = await must(ctx.db.selectFrom('exams').selectAll().where('id', '=', id).executeTakeFirst());
  await withAudit(ctx.db, async (trx) => {
    await trx.updateTable('exams').set({ name: v.name, description: v.description }).where('id', '=', id).execute();
    return { result: null, audit: { actor, action: 'exam.update', target: `exam:${id}`, data: v } };
  });
  return { id, name: v.name, description: v.description, createdAt: old.created_at };
}
export async function listSessions(ctx: Ctx, examId: string) {
  await must(ctx.db.selectFrom('exams').select('id').where('id', '=', examId).executeTakeFirst());
  const rows = await ctx.db.selectFrom('sessions').selectAll().where('exam_id', '=', examId).orderBy('starts_at').execute();
  const counts = await ctx.db
    .selectFrom('candidates')
    .select(['session_id', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('session_id')
    .execute();
  const byId = new Map(counts.map((c) => [c.session_id, Number(c.n)]));
  return rows.map((r) => toSession(r, byId.get(r.id) ?? 0));
}
export async function getSession(ctx: Ctx, id: string) {
  const r = await must(ctx.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst());
  const n = await ctx.db
    .selectFrom('candidates')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('session_id', '=', id)
    .executeTakeFirstOrThrow();
  return toSession(r, Number(n.n));
}

// ---- rooms and panels (with their staff)
async function checkStaff(trx: Transaction<Database>, ids: string[], role: 'proctor' | 'examiner') {
  if (!ids.length) return;
  const found = await trx.selectFrom('users').select('id').where('id', 'in', ids).where('role', '=', role).execute();
  if (found.length !== new Set(ids).size) throw new AppError('VALIDATION_FAILED', { detail: `every id must be a ${role}` });
}
export async function listRooms(ctx: Ctx, sessionId: string) {
  const rooms = await ctx.db.selectFrom('rooms').selectAll().where('session_id', '=', sessionId).orderBy('name').execute();
  const links = rooms.length
    ? await ctx.db
        .selectFrom('room_proctors')
        .selectAll()
        .where(
          'room_id',
          'in',
          rooms.map((r) => r.id),
        )
        .execute()
    : [];
  return rooms.map((r) => ({ id: r.id, sessionId: r.session_id, name: r.name, proctorIds: links.filter((l) => l.room_id === r.id).map((l) => l.user_id) }));
}
export async function saveRoom(ctx: Ctx, actor: string, sessionId: string, roomId: string | null, input: In<typeof RoomInput>) {
  const v = RoomInput.parse(input);
  await must(ctx.db.selectFrom('sessions').select('id').where('id', '=', sessionId).executeTakeFirst());
  const id = roomId ?? randomUUID();
  await withAudit(ctx.db, async (trx) => {
    await checkStaff(trx, v.proctorIds, 'proctor');
    if (roomId) {
      const res = await trx.updateTable('rooms').set({ name: v.name }).where('id', '=', id).where('session_id', '=', sessionId).executeTakeFirst();
      if (!Number(res.numUpdatedRows)) throw notFound();
      await trx.deleteFrom('room_proctors').where('room_id', '=', id).execute();
    } else await trx.insertInto('rooms').values({ id, session_id: sessionId, name: v.name }).execute();
    for (const u of new Set(v.proctorIds)) await trx.insertInto('room_proctors').values({ room_id: id, user_id: u }).execute();
    return { result: null, audit: { actor, action: roomId ? 'room.update' : 'room.create', target: `room:${id}`, data: v } };
  });
  return { id, sessionId, name: v.name, proctorIds: [...new Set(v.proctorIds)] };
}
export async function listPanels(ctx: Ctx, sessionId: string) {
  const panels = await ctx.db.selectFrom('panels').selectAll().where('session_id', '=', sessionId).orderBy('name').execute();
  const links = panels.length
    ? await ctx.db
        .selectFrom('panel_examiners')
        .selectAll()
        .where(
          'panel_id',
          'in',
          panels.map((r) => r.id),
        )
        .execute()
    : [];
  return panels.map((p) => ({ id: p.id, sessionId: p.session_id, name: p.name, examinerIds: links.filter((l) => l.panel_id === p.id).map((l) => l.user_id) }));
}
export async function savePanel(ctx: Ctx, actor: string, sessionId: string, panelId: string | null, input: In<typeof PanelInput>) {
  const v = PanelInput.parse(input);
  await must(ctx.db.selectFrom('sessions').select('id').where('id', '=', sessionId).executeTakeFirst());
  const id = panelId ?? randomUUID();
  await withAudit(ctx.db, async (trx) => {
    await checkStaff(trx, v.examinerIds, 'examiner');
    if (panelId) {
      const res = await trx.updateTable('panels').set({ name: v.name }).where('id', '=', id).where('session_id', '=', sessionId).executeTakeFirst();
      if (!Number(res.numUpdatedRows)) throw notFound();
      await trx.deleteFrom('panel_examiners').where('panel_id', '=', id).execute();
    } else await trx.insertInto('panels').values({ id, session_id: sessionId, name: v.name }).execute();
    for (const u of new Set(v.examinerIds)) await trx.insertInto('panel_examiners').values({ panel_id: id, user_id: u }).execute();
    return { result: null, audit: { actor, action: panelId ? 'panel.update' : 'panel.create', target: `panel:${id}`, data: v } };
  });
  return { id, sessionId, name: v.name, examinerIds: [...new Set(v.examinerIds)] };
}

// ---- documents and questions (questions are secret: only admins read them here; candidates via the timeline gate)
export async function listDocuments(ctx: Ctx, sessionId: string) {
  const rows = await ctx.db.selectFrom('documents').selectAll().where('session_id', '=', sessionId).orderBy('position').orderBy('title').execute();
  return rows.map((d) => ({ id: d.id, sessionId: d.session_id, kind: d.kind as 'process' | 'commitment' | 'rules', title: d.title, body: d.body, position: d.position }));
}
export async function saveDocument(ctx: Ctx, actor: string, sessionId: string, docId: string | null, input: In<typeof DocumentInput>) {
  const v = DocumentInput.parse(input);
  await must(ctx.db.selectFrom('sessions').select('id').where('id', '=', sessionId).executeTakeFirst());
  const id = docId ?? randomUUID();
  await withAudit(ctx.db, async (trx) => {
    if (docId) {
      const res = await trx.updateTable('documents').set(v).where('id', '=', id).where('session_id', '=', sessionId).executeTakeFirst();
      if (!Number(res.numUpdatedRows)) throw notFound();
    } else
      await trx
        .insertInto('documents')
        .values({ id, session_id: sessionId, ...v })
        .execute();
    return { result: null, audit: { actor, action: docId ? 'document.update' : 'document.create', target: `document:${id}`, data: { kind: v.kind, title: v.title } } };
  });
  return { id, sessionId, ...v };
}
export async function listQuestions(ctx: Ctx, sessionId: string) {
  const s = await must(ctx.db.selectFrom('sessions').select('starts_at').where('id', '=', sessionId).executeTakeFirst());
  const sealed = ctx.clock.now() < s.starts_at;
  const rows = await ctx.db.selectFrom('questions').selectAll().where('session_id', '=', sessionId).orderBy('position').execute();
  return rows.map((q) => ({ id: q.id, sessionId: q.session_id, title: sealed ? null : q.title, body: sealed ? null : q.body, sealed, position: q.position }));
}
export async function saveQuestion(ctx: Ctx, actor: string, sessionId: string, qId: string | null, input: In<typeof QuestionInput>) {
  const v = QuestionInput.parse(input);
  await must(ctx.db.selectFrom('sessions').select('id').where('id', '=', sessionId).executeTakeFirst());
  const id = qId ?? randomUUID();
  await withAudit(ctx.db, async (trx) => {
    if (qId) {
      const res = await trx.updateTable('questions').set(v).where('id', '=', id).where('session_id', '=', sessionId).executeTakeFirst();
      if (!Number(res.numUpdatedRows)) throw notFound();
    } else
      await trx
        .insertInto('questions')
        .values({ id, session_id: sessionId, ...v })
        .execute();
    // The audit row names the question but never contains its text: the log is readable by more people.
    return { result: null, audit: { actor, action: qId ? 'question.update' : 'question.create', target: `question:${id}` } };
  });
  // Before the start neither title nor body is echoed back, so no response ever carries a sealed question.
  const s = await must(ctx.db.selectFrom('sessions').select('starts_at').where('id', '=', sessionId).executeTakeFirst());
  const sealed = ctx.clock.now() < s.starts_at;
  return { id, sessionId, title: sealed ? null : v.title, body: sealed ? null : v.body, sealed, position: v.position };
}

// ---- staff users
export async function listStaff(ctx: Ctx) {
  const rows = await ctx.db.selectFrom('users').select(['id', 'username', 'display_name', 'role', 'disabled']).orderBy('username').execute();
  return rows.map((u) => ({ id: u.id, username: u.username, displayName: u.display_name, role: u.role as 'admin', disabled: !!u.disabled }));
}
export async function createStaff(ctx: Ctx, actor: string, input: In<typeof StaffUserInput>) {
  const v = StaffUserInput.parse(input);
  const taken = await ctx.db.selectFrom('users').select('id').where('username', '=', v.username).executeTakeFirst();
  if (taken) throw new AppError('USERNAME_TAKEN', { username: v.username });
  const row = { id: randomUUID(), username: v.username, display_name: v.displayName, role: v.role, password_hash: await hashPassword(v.password), disabled: 0, created_at: ctx.clock.now() };
  await withAudit(ctx.db, async (trx) => {
    await trx.insertInto('users').values(row).execute();
    return { result: null, audit: { actor, action: 'staff.create', target: `user:${row.id}`, data: { username: v.username, role: v.role } } };
  });
  return { id: row.id, username: row.username, displayName: row.display_name, role: v.role, disabled: false };
}
export async function updateStaff(ctx: Ctx, actor: string, id: string, input: In<typeof StaffUserPatch>) {
  const v = StaffUserPatch.parse(input);
  const u = await must(ctx.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst());
  const set = {
    ...(v.displayName ? { display_name: v.displayName } : {}),
    ...(v.password ? { password_hash: await hashPassword(v.password) } : {}),
    ...(v.disabled === undefined ? {} : { disabled: v.disabled ? 1 : 0 }),
  };
  await withAudit(ctx.db, async (trx) => {
    if (Object.keys(set).length) await trx.updateTable('users').set(set).where('id', '=', id).execute();
    // A disabled user or a new password ends every open session of that user.
    if (v.disabled || v.password) await trx.deleteFrom('auth_sessions').where('user_id', '=', id).execute();
    return { result: null, audit: { actor, action: 'staff.update', target: `user:${id}`, data: { displayName: v.displayName, disabled: v.disabled, passwordChanged: !!v.password } } };
  });
  return { id, username: u.username, displayName: v.displayName ?? u.display_name, role: u.role as 'admin', disabled: v.disabled ?? !!u.disabled };
}

// ---- candidates
const ANON_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
/** Anonymous numbers are random, not in import order, so an examiner cannot infer who is who from the list. */
export function newAnonymousNumber(taken: Set<string>): string {
  for (;;) {
    let s = '';
    for (let i = 0; i < 6; i++) s += ANON_ALPHABET[randomInt(ANON_ALPHABET.length)];
    if (!taken.has(s)) {
      taken.add(s);
      return s;
    }
  }
}
export function candidateView(c: Omit<Selectable<CandidateTable>, 'extra_time_sec'> & { extra_time_sec?: number }) {
  return {
    id: c.id,
    sessionId: c.session_id,
    roomId: c.room_id,
    panelId: c.panel_id,
    name: c.name,
    idNumber: c.id_number,
    ticket: c.ticket,
    anonymousNumber: c.anonymous_number,
    hasPhoto: !!c.photo_key,
    extraTimeSec: c.extra_time_sec ?? 0,
  };
}
export async function listCandidates(ctx: Ctx, sessionId: string, page: { offset: number; limit: number; q?: string }) {
  let q = ctx.db.selectFrom('candidates').where('session_id', '=', sessionId);
  if (page.q) q = q.where((eb) => eb.or([eb('name', 'like', `%${page.q}%`), eb('id_number', 'like', `%${page.q}%`), eb('ticket', 'like', `%${page.q}%`)]));
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await q.selectAll().orderBy('ticket').offset(page.offset).limit(page.limit).execute();
  return { total: Number(total.n), items: rows.map(candidateView) };
}
export async function createCandidate(ctx: Ctx, actor: string, sessionId: string, input: In<typeof CandidateInput>) {
  const v = CandidateInput.parse(input);
  const problem = idNumberProblem(v.idNumber);
  if (problem) throw new AppError('VALIDATION_FAILED', { detail: problem === 'checksum' ? 'idNumber checksum' : 'idNumber format' });
  const idNumber = normalizeIdNumber(v.idNumber);
  await must(ctx.db.selectFrom('sessions').select('id').where('id', '=', sessionId).executeTakeFirst());
  return withAudit(ctx.db, async (trx) => {
    const dup = await trx
      .selectFrom('candidates')
      .select('id')
      .where('session_id', '=', sessionId)
      .where((eb) => eb.or([eb('id_number', '=', idNumber), eb('ticket', '=', v.ticket)]))
      .executeTakeFirst();
    if (dup) throw new AppError('DUPLICATE_ID_NUMBER', { idNumber });
    const taken = new Set((await trx.selectFrom('candidates').select('anonymous_number').where('session_id', '=', sessionId).execute()).map((r) => r.anonymous_number));
    const row = {
      id: randomUUID(),
      session_id: sessionId,
      room_id: v.roomId,
      panel_id: v.panelId,
      name: v.name,
      id_number: idNumber,
      ticket: v.ticket,
      anonymous_number: newAnonymousNumber(taken),
      photo_key: null,
      created_at: ctx.clock.now(),
    };
    await trx.insertInto('candidates').values(row).execute();
    return { result: candidateView(row), audit: { actor, action: 'candidate.create', target: `candidate:${row.id}` } };
  });
}
export async function deleteCandidate(ctx: Ctx, actor: string, sessionId: string, id: string) {
  await withAudit(ctx.db, async (trx) => {
    const res = await trx.deleteFrom('candidates').where('id', '=', id).where('session_id', '=', sessionId).executeTakeFirst();
    if (!Number(res.numDeletedRows)) throw notFound();
    return { result: null, audit: { actor, action: 'candidate.delete', target: `candidate:${id}` } };
  });
}
