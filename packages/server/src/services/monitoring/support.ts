// The support view, per candidate: the last device check, login state and how identity was established.
// Recording upload state and the proof-video deadline come from their own routes (recordings, proof).
import { DeviceCheck, type SupportRow } from '@invigil/contracts';
import type { Ctx } from '../context.ts';
import { candidateFacts, scopedCandidates, type Staff } from './scope.ts';
import { chunks } from './grid.ts';

export async function supportRows(ctx: Ctx, p: Staff, sessionId: string): Promise<SupportRow[]> {
  const rows = await scopedCandidates(ctx, p, sessionId);
  const ids = rows.map((r) => r.attemptId).filter((x): x is string => !!x);
  const face = new Map<string, string | null>();
  const pending = new Set<string>();
  for (const chunk of chunks(ids, 500)) {
    for (const f of await ctx.db.selectFrom('face_attempts').select(['attempt_id', 'passed_via']).where('attempt_id', 'in', chunk).execute()) face.set(f.attempt_id, f.passed_via);
    for (const m of await ctx.db.selectFrom('face_manual_requests').select('attempt_id').where('attempt_id', 'in', chunk).where('status', '=', 'pending').execute()) pending.add(m.attempt_id);
  }
  return rows.map((r) => {
    // A stored check that no longer parses (older client) shows as "no check" rather than breaking the view.
    const check = r.device_check ? DeviceCheck.safeParse(JSON.parse(r.device_check)) : null;
    return {
      ...candidateFacts(r),
      loggedInAt: r.logged_in_at ?? null,
      deviceCheck: check?.success ? check.data : null,
      deviceCheckedAt: r.device_checked_at ?? null,
      identity: (r.attemptId && face.get(r.attemptId)) || null,
      manualPending: !!r.attemptId && pending.has(r.attemptId),
      hasPhoto: !!r.photo_key,
    };
  });
}
