// The candidates of a session a watcher sees (requireWatch in access.ts decides which), with their attempt once
// they have logged in: the rows behind the room grid and the support view.
import { phaseOf, type AttemptStatus } from '@invigil/contracts';
import type { Ctx } from '../context.ts';
import { candidatesIn, requireWatch, type Staff } from '../access.ts';

export type { Staff };

export async function scopedCandidates(ctx: Ctx, p: Staff, sessionId: string) {
  const scope = await requireWatch(ctx, p, sessionId);
  return (
    ctx.db
      .selectFrom('candidates')
      // the current attempt only (earlier practice attempts are replaced ones)
      .leftJoin('attempts', (j) => j.onRef('attempts.candidate_id', '=', 'candidates.id').on('attempts.replaced_at', 'is', null))
      .leftJoin('rooms', 'rooms.id', 'candidates.room_id')
      .select([
        'candidates.id as candidateId',
        'candidates.name',
        'candidates.ticket',
        'candidates.room_id as roomId',
        'rooms.name as roomName',
        'attempts.id as attemptId',
        'attempts.status',
        'attempts.end_reason',
        'attempts.live_seen_at',
        'attempts.logged_in_at',
        'attempts.device_check',
        'attempts.device_checked_at',
        'candidates.photo_key',
        'attempts.review_priority',
      ])
      .where('candidates.session_id', '=', sessionId)
      .where('candidates.id', 'in', candidatesIn(ctx, scope, sessionId))
      .orderBy('candidates.ticket')
      .execute()
  );
}

type CandidateRow = Awaited<ReturnType<typeof scopedCandidates>>[number];

/** What the grid tile and the support row both say of a candidate. */
export const candidateFacts = (r: CandidateRow) => ({
  candidateId: r.candidateId,
  attemptId: r.attemptId ?? null,
  candidateName: r.name,
  ticket: r.ticket,
  roomName: r.roomName ?? null,
  status: (r.status ?? 'not-started') as AttemptStatus,
  phase: phaseOf(r.status ?? 'not-started'),
  liveSeenAt: r.live_seen_at ?? null,
});
