// Which candidates of a session a staff member watches: a proctor their rooms, support and admin all.
import type { Ctx } from '../context.ts';
import type { Principal } from '../auth.ts';
import { proctorRoomIds } from '../scope.ts';
import { notFound } from '../errors.ts';

export type Staff = Extract<Principal, { kind: 'staff' }>;

/** The rooms a staff member sees in a session, or null for "every candidate". 404 for a session not theirs. */
export async function watchedRooms(ctx: Ctx, p: Staff, sessionId: string): Promise<string[] | null> {
  const session = await ctx.db.selectFrom('sessions').select('id').where('id', '=', sessionId).executeTakeFirst();
  if (!session) throw notFound();
  if (p.role !== 'proctor') return null;
  const rooms = await proctorRoomIds(ctx, p.userId, sessionId);
  if (!rooms.length) throw notFound();
  return rooms;
}

/** The candidates of a session in scope, with their attempt once they have logged in. */
export async function scopedCandidates(ctx: Ctx, p: Staff, sessionId: string) {
  const rooms = await watchedRooms(ctx, p, sessionId);
  let q = ctx.db
    .selectFrom('candidates')
    .leftJoin('attempts', 'attempts.candidate_id', 'candidates.id')
    .leftJoin('rooms', 'rooms.id', 'candidates.room_id')
    .select([
      'candidates.id as candidateId', 'candidates.name', 'candidates.ticket', 'candidates.room_id as roomId', 'rooms.name as roomName',
      'attempts.id as attemptId', 'attempts.status', 'attempts.end_reason', 'attempts.live_seen_at', 'attempts.logged_in_at',
      'attempts.device_check', 'attempts.device_checked_at',
    ])
    .where('candidates.session_id', '=', sessionId);
  if (rooms) q = q.where('candidates.room_id', 'in', rooms);
  return q.orderBy('candidates.ticket').execute();
}
