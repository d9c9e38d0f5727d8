// The one place that answers "may this principal see or act on this attempt / session / room / panel".
// Routes, socket handlers and services call it first, before they read anything by id.
//   candidate (desktop)  its own attempt only
//   phone                the attempt it is bound to only
//   proctor              the candidates of the rooms assigned to them
//   support, admin       everything
//   examiner             the attempts of the panels they sit on, and only by anonymous number: never an attempt
//                        id, a name or a ticket (the review API builds on requireAnonymousAttempt)
// Anything outside a principal's scope is "not found", so ids cannot be probed.
import type { Ctx } from './context.ts';
import type { Principal } from './auth.ts';
import type { Target } from './bus.ts';
import { notFound } from './errors.ts';

export type Staff = Extract<Principal, { kind: 'staff' }>;

/** What of a session (or of everything) a principal may see. */
export type Scope = { kind: 'all' } | { kind: 'rooms'; roomIds: string[] } | { kind: 'panels'; panelIds: string[] } | { kind: 'attempt'; attemptId: string };

export interface AttemptRef {
  attemptId: string;
  sessionId: string;
  roomId: string | null;
  panelId: string | null;
  candidateId: string;
}

/** What an examiner may know of an attempt: no candidate id, name or ticket. */
export interface AnonymousAttempt {
  attemptId: string;
  sessionId: string;
  panelId: string;
  anonymousNumber: string;
}

async function proctorRoomIds(ctx: Ctx, userId: string, sessionId?: string): Promise<string[]> {
  let q = ctx.db.selectFrom('room_proctors').innerJoin('rooms', 'rooms.id', 'room_proctors.room_id').select('rooms.id').where('room_proctors.user_id', '=', userId);
  if (sessionId) q = q.where('rooms.session_id', '=', sessionId);
  return (await q.execute()).map((r) => r.id);
}

async function examinerPanelIds(ctx: Ctx, userId: string, sessionId?: string): Promise<string[]> {
  let q = ctx.db.selectFrom('panel_examiners').innerJoin('panels', 'panels.id', 'panel_examiners.panel_id').select('panels.id').where('panel_examiners.user_id', '=', userId);
  if (sessionId) q = q.where('panels.session_id', '=', sessionId);
  return (await q.execute()).map((r) => r.id);
}

/** The scope of a principal, within one session or (without sessionId) across all of them. May be empty. */
export async function scopeOf(ctx: Ctx, p: Principal, sessionId?: string): Promise<Scope> {
  if (p.kind !== 'staff') return { kind: 'attempt', attemptId: p.attemptId };
  switch (p.role) {
    case 'admin':
    case 'support':
      return { kind: 'all' };
    case 'proctor':
      return { kind: 'rooms', roomIds: await proctorRoomIds(ctx, p.userId, sessionId) };
    case 'examiner':
      return { kind: 'panels', panelIds: await examinerPanelIds(ctx, p.userId, sessionId) };
  }
}

export const isEmpty = (s: Scope) => (s.kind === 'rooms' ? !s.roomIds.length : s.kind === 'panels' ? !s.panelIds.length : false);

/**
 * The ids of the candidates in a scope (optionally of one session), as a subquery for `where(…, 'in', …)`:
 * every list of candidates, attempts, threads or flags filters through this, so no list trusts its caller.
 */
export function candidatesIn(ctx: Ctx, scope: Scope, sessionId?: string) {
  let q = ctx.db.selectFrom('candidates').select('candidates.id');
  if (sessionId) q = q.where('candidates.session_id', '=', sessionId);
  switch (scope.kind) {
    case 'all':
      return q;
    case 'rooms':
      return q.where('candidates.room_id', 'in', scope.roomIds.length ? scope.roomIds : ['']);
    case 'panels':
      return q.where('candidates.panel_id', 'in', scope.panelIds.length ? scope.panelIds : ['']);
    case 'attempt':
      return q.where('candidates.id', 'in', ctx.db.selectFrom('attempts').select('candidate_id').where('id', '=', scope.attemptId));
  }
}

/**
 * The scope of a staff member who watches a session live (proctor console, flags, 求助, proof view): identities
 * are on those screens, so examiners and candidates have none. 404 for a missing session or one not theirs.
 */
export async function requireWatch(ctx: Ctx, p: Principal, sessionId: string): Promise<Exclude<Scope, { kind: 'panels' | 'attempt' }>> {
  if (p.kind !== 'staff' || p.role === 'examiner') throw notFound();
  const session = await ctx.db.selectFrom('sessions').select('id').where('id', '=', sessionId).executeTakeFirst();
  if (!session) throw notFound();
  const scope = await scopeOf(ctx, p, sessionId);
  if (scope.kind === 'panels' || scope.kind === 'attempt' || isEmpty(scope)) throw notFound();
  return scope;
}

/** Like requireWatch, but "nothing to see" is an empty answer rather than a 404 (lists that may be empty). */
export async function watchScope(ctx: Ctx, p: Principal, sessionId?: string): Promise<Scope | null> {
  if (p.kind !== 'staff' || p.role === 'examiner') return null;
  const scope = await scopeOf(ctx, p, sessionId);
  return isEmpty(scope) ? null : scope;
}

/** The room ids of a session a watcher sees (every room of it for support and admin). */
export async function watchedRoomIds(ctx: Ctx, p: Principal, sessionId: string): Promise<string[]> {
  const scope = await watchScope(ctx, p, sessionId);
  if (!scope) return [];
  if (scope.kind === 'rooms') return scope.roomIds;
  return (await ctx.db.selectFrom('rooms').select('id').where('session_id', '=', sessionId).execute()).map((r) => r.id);
}

/**
 * The live session dashboard (the whole session's funnel and upload): admin and support only. A proctor sees their
 * rooms' candidates one by one in the console and gets no session counts — which is also why the dashboard is
 * pushed to the `session:` channel only, which watchTargets gives to admin and support alone.
 */
export async function requireDashboard(ctx: Ctx, p: Principal, sessionId: string): Promise<void> {
  if (p.kind !== 'staff' || (p.role !== 'admin' && p.role !== 'support')) throw notFound();
  const session = await ctx.db.selectFrom('sessions').select('id').where('id', '=', sessionId).executeTakeFirst();
  if (!session) throw notFound();
}

/** The channels a watcher joins for a session's live events: a proctor their rooms, support and admin the session. */
export async function watchTargets(ctx: Ctx, p: Principal, sessionId: string): Promise<Target[] | null> {
  const scope = await requireWatch(ctx, p, sessionId).catch(() => null);
  if (!scope) return null;
  return scope.kind === 'rooms' ? scope.roomIds.map((room) => ({ room })) : [{ session: sessionId }];
}

export async function attemptRef(ctx: Ctx, attemptId: string): Promise<AttemptRef | null> {
  const r = await ctx.db
    .selectFrom('attempts')
    .innerJoin('candidates', 'candidates.id', 'attempts.candidate_id')
    .select(['attempts.id as attemptId', 'attempts.session_id as sessionId', 'candidates.room_id as roomId', 'candidates.panel_id as panelId', 'candidates.id as candidateId'])
    .where('attempts.id', '=', attemptId)
    .executeTakeFirst();
  return r ?? null;
}

/**
 * May this principal see or act on this attempt by its id? Candidates and phones: their own; proctors: their
 * rooms; support and admin: all. Examiners never address an attempt by id (requireAnonymousAttempt). 404 otherwise.
 */
export async function requireAttempt(ctx: Ctx, p: Principal, attemptId: string): Promise<AttemptRef> {
  if (p.kind !== 'staff') {
    if (p.attemptId !== attemptId) throw notFound();
    const own = await attemptRef(ctx, attemptId);
    if (!own) throw notFound();
    return own;
  }
  if (p.role === 'examiner') throw notFound();
  const ref = await attemptRef(ctx, attemptId);
  if (!ref) throw notFound();
  if (p.role === 'admin' || p.role === 'support') return ref;
  if (ref.roomId && (await proctorRoomIds(ctx, p.userId, ref.sessionId)).includes(ref.roomId)) return ref;
  throw notFound();
}

/** An examiner (or admin) reaches an attempt of a session by anonymous number, only through panel membership. */
export async function requireAnonymousAttempt(ctx: Ctx, p: Principal, sessionId: string, anonymousNumber: string): Promise<AnonymousAttempt> {
  if (p.kind !== 'staff' || (p.role !== 'examiner' && p.role !== 'admin')) throw notFound();
  const r = await ctx.db
    .selectFrom('candidates')
    .innerJoin('attempts', 'attempts.candidate_id', 'candidates.id')
    .select(['attempts.id as attemptId', 'candidates.session_id as sessionId', 'candidates.panel_id as panelId', 'candidates.anonymous_number as anonymousNumber'])
    .where('candidates.session_id', '=', sessionId)
    .where('candidates.anonymous_number', '=', anonymousNumber)
    .executeTakeFirst();
  if (!r?.panelId) throw notFound();
  if (p.role === 'examiner' && !(await examinerPanelIds(ctx, p.userId, sessionId)).includes(r.panelId)) throw notFound();
  return { attemptId: r.attemptId, sessionId: r.sessionId, panelId: r.panelId, anonymousNumber: r.anonymousNumber };
}

/** A room: its proctors, support and admin. */
export async function requireRoom(ctx: Ctx, p: Principal, roomId: string): Promise<{ roomId: string; sessionId: string }> {
  const room = await ctx.db.selectFrom('rooms').select(['id', 'session_id']).where('id', '=', roomId).executeTakeFirst();
  if (!room || p.kind !== 'staff' || p.role === 'examiner') throw notFound();
  if (p.role === 'proctor' && !(await proctorRoomIds(ctx, p.userId, room.session_id)).includes(room.id)) throw notFound();
  return { roomId: room.id, sessionId: room.session_id };
}

/** A panel: its examiners and admin. */
export async function requirePanel(ctx: Ctx, p: Principal, panelId: string): Promise<{ panelId: string; sessionId: string }> {
  const panel = await ctx.db.selectFrom('panels').select(['id', 'session_id']).where('id', '=', panelId).executeTakeFirst();
  if (!panel || p.kind !== 'staff' || (p.role !== 'examiner' && p.role !== 'admin')) throw notFound();
  if (p.role === 'examiner' && !(await examinerPanelIds(ctx, p.userId, panel.session_id)).includes(panel.id)) throw notFound();
  return { panelId: panel.id, sessionId: panel.session_id };
}

/** Who hears about an attempt live besides the candidate: the watchers of its session and of its room. */
export async function staffTargets(ctx: Ctx, attemptId: string): Promise<Target[]> {
  const a = await ctx.db
    .selectFrom('attempts')
    .innerJoin('candidates', 'candidates.id', 'attempts.candidate_id')
    .select(['attempts.session_id', 'candidates.room_id'])
    .where('attempts.id', '=', attemptId)
    .executeTakeFirst();
  if (!a) return [];
  return [{ session: a.session_id }, ...(a.room_id ? [{ room: a.room_id }] : [])];
}

/** Sessions a watcher sees: a proctor those with rooms assigned to them; support and admin all. Newest first. */
export async function watchedSessions(ctx: Ctx, p: Principal) {
  const scope = await watchScope(ctx, p);
  if (!scope) return [];
  const mine = scope.kind === 'rooms' ? scope.roomIds : null;
  let q = ctx.db
    .selectFrom('sessions')
    .innerJoin('exams', 'exams.id', 'sessions.exam_id')
    .select(['sessions.id', 'sessions.name', 'sessions.kind', 'sessions.starts_at', 'sessions.duration_sec', 'exams.name as exam_name']);
  if (mine) q = q.where('sessions.id', 'in', ctx.db.selectFrom('rooms').select('session_id').where('id', 'in', mine));
  const sessions = await q.orderBy('sessions.starts_at', 'desc').limit(200).execute();
  const rooms = sessions.length
    ? await ctx.db
        .selectFrom('rooms')
        .select(['id', 'session_id'])
        .where(
          'session_id',
          'in',
          sessions.map((s) => s.id),
        )
        .execute()
    : [];
  return sessions.map((s) => ({
    id: s.id,
    examName: s.exam_name,
    name: s.name,
    kind: s.kind,
    startsAt: s.starts_at,
    endsAt: s.starts_at + s.duration_sec * 1000,
    roomIds: rooms.filter((r) => r.session_id === s.id && (!mine || mine.includes(r.id))).map((r) => r.id),
  }));
}
