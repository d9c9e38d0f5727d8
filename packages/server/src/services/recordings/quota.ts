// Per-attempt upload quota (bytes and segments over every stream of the attempt). The exact figure is the sum of
// the attempt's recordings' running totals (kept by a trigger on segments, migration 013: ≤ 3 rows, whatever the
// exam's length). The PUT path runs ~1000×/s, so each process still keeps a tally it refreshes from the database
// every few seconds and adds its own accepted segments to in between. Several processes may together overshoot by
// what they accept within one refresh — bounded.
import type { Ctx } from '../context.ts';
import { UPLOAD_LIMITS } from './access.ts';

interface Tally {
  bytes: number;
  segments: number;
  at: number;
}
const REFRESH_MS = 5000;
const tallies = new Map<string, Tally>();

export async function uploadTally(ctx: Ctx, attemptId: string): Promise<Tally> {
  const now = Date.now();
  const t = tallies.get(attemptId);
  if (t && now - t.at < REFRESH_MS) return t;
  const row = await ctx.db
    .selectFrom('recordings')
    .select((eb) => [eb.fn.sum<number>('segments_stored').as('n'), eb.fn.sum<number>('bytes_stored').as('bytes')])
    .where('attempt_id', '=', attemptId)
    .executeTakeFirst();
  const fresh = { bytes: Number(row?.bytes ?? 0), segments: Number(row?.n ?? 0), at: now };
  if (tallies.size > 20_000) tallies.clear(); // finished attempts are never read again: drop them wholesale
  tallies.set(attemptId, fresh);
  return fresh;
}

/** True when one more segment of `bytes` would exceed the attempt's quota. */
export async function overQuota(ctx: Ctx, attemptId: string, bytes: number): Promise<boolean> {
  const t = await uploadTally(ctx, attemptId);
  return t.bytes + bytes > UPLOAD_LIMITS.attemptMaxBytes || t.segments + 1 > UPLOAD_LIMITS.attemptMaxSegments;
}

export function countAccepted(attemptId: string, bytes: number): void {
  const t = tallies.get(attemptId);
  if (t) {
    t.bytes += bytes;
    t.segments += 1;
  }
}
