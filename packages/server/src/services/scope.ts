// Who may see which attempt: the one place for the scoping rule.
// Admin and support: every attempt. Proctor: attempts in rooms assigned to them. Examiner: none here
// (examiners see recordings by anonymous number only, through the review API). Candidate: their own.
import type { Ctx } from './context.ts';
import type { Principal } from './auth.ts';
import { AppError } from './errors.ts';

export async function proctorRoomIds(ctx: Ctx, userId: string, sessionId?: string): Promise<string[]> {
  let q = ctx.db.selectFrom('room_proctors').innerJoin('rooms', 'rooms.id', 'room_proctors.room_id').select('rooms.id').where('room_proctors.user_id', '=', userId);
  if (sessionId) q = q.where('rooms.session_id', '=', sessionId);
  return (await q.execute()).map((r) => r.id);
}

export interface AttemptRef {
  attemptId: string;
  sessionId: string;
  roomId: string | null;
  candidateId: string;
}

export async function attemptRef(ctx: Ctx, attemptId: string): Promise<AttemptRef | null> {
  const r = await ctx.db
    .selectFrom('attempts')
    .innerJoin('candidates', 'candidates.id', 'attempts.candidate_id')
    .select(['attempts.id as attemptId', 'attempts.session_id as sessionId', 'candidates.room_id as roomId', 'candidates.id as candidateId'])
    .where('attempts.id', '=', attemptId)
    .executeTakeFirst();
  return r ?? null;
}

/** Throws 404 when the attempt does not exist or is outside the caller's scope (no existence leak). */
export async function requireAttemptAccess(ctx: Ctx, p: Principal, attemptId: string): Promise<AttemptRef> {
  const ref = await attemptRef(ctx, attemptId);
  if (!ref) throw new AppError('NOT_FOUND');
  if (p.kind === 'candidate' || p.kind === 'phone') {
    if (p.attemptId !== attemptId) throw new AppError('NOT_FOUND');
    return ref;
  }
  if (p.role === 'admin' || p.role === 'support') return ref;
  if (p.role === 'proctor' && ref.roomId && (await proctorRoomIds(ctx, p.userId, ref.sessionId)).includes(ref.roomId)) return ref;
  throw new AppError('NOT_FOUND');
}

/** Sessions a staff member watches: a proctor those with rooms assigned to them; support and admin all. Newest first. */
export async function staffSessions(ctx: Ctx, p: Extract<Principal, { kind: 'staff' }>) {
  let q = ctx.db.selectFrom('sessions').innerJoin('exams', 'exams.id', 'sessions.exam_id').select(['sessions.id', 'sessions.name', 'sessions.kind', 'sessions.starts_at', 'sessions.duration_sec', 'exams.name as exam_name']);
  let mine: string[] | null = null;
  if (p.role === 'proctor') {
    mine = await proctorRoomIds(ctx, p.userId);
    if (!mine.length) return [];
    q = q.where('sessions.id', 'in', ctx.db.selectFrom('rooms').select('session_id').where('id', 'in', mine));
  }
  const sessions = await q.orderBy('sessions.starts_at', 'desc').limit(200).execute();
  const rooms = sessions.length ? await ctx.db.selectFrom('rooms').select(['id', 'session_id']).where('session_id', 'in', sessions.map((s) => s.id)).execute() : [];
  return sessions.map((s) => ({
    id: s.id, examName: s.exam_name, name: s.name, kind: s.kind, startsAt: s.starts_at, endsAt: s.starts_at + s.duration_sec * 1000,
    roomIds: rooms.filter((r) => r.session_id === s.id && (!mine || mine.includes(r.id))).map((r) => r.id),
  }));
}
