// Watches every bound proof camera on the server clock, even when no screen asks: a phone gone quiet shows as
// 已断开 everywhere, a long silence during the exam is flagged, and a proof video still missing at the upload
// deadline is flagged once. Conditional updates, so several server processes may run it at once.
import type { Ctx } from '../context.ts';
import type { Bus } from '../bus.ts';
import type { ProofSettings } from './settings.ts';
import { IN_EXAM_STATUSES } from '@invigil/contracts';
import { proofStatus, publishStatus } from './status.ts';
import { raise } from '../events.ts';
import { dashboardTouched } from '../dashboard.ts';

export async function tick(ctx: Ctx, settings: ProofSettings, bus: Bus): Promise<{ disconnected: number; silent: number; overdue: number }> {
  const now = ctx.clock.now();
  let disconnected = 0;
  let silent = 0;
  let overdue = 0;

  // Newly stale phones: push 已断开 once, when they cross the line (between one tick and the next).
  const stale = await ctx.db
    .selectFrom('proof_phones')
    .select(['attempt_id'])
    .where('stage', '!=', 'stopped')
    .where('last_seen_at', '<', now - settings.staleSec * 1000)
    .where('last_seen_at', '>=', now - settings.staleSec * 1000 - tickSlackMs(settings))
    .execute();
  for (const p of stale) {
    await publishStatus(ctx, settings, bus, p.attempt_id);
    disconnected++;
  }

  const quiet = await ctx.db
    .selectFrom('proof_phones')
    .innerJoin('attempts', 'attempts.id', 'proof_phones.attempt_id')
    .select(['proof_phones.attempt_id', 'proof_phones.phone_id', 'proof_phones.last_seen_at'])
    .where('proof_phones.stage', '!=', 'stopped')
    .where('proof_phones.silent_since', 'is', null)
    .where('proof_phones.last_seen_at', '<', now - settings.silenceFlagSec * 1000)
    .where('attempts.status', 'in', IN_EXAM_STATUSES)
    .execute();
  for (const q of quiet) {
    const res = await ctx.db
      .updateTable('proof_phones')
      .set({ silent_since: q.last_seen_at })
      .where('attempt_id', '=', q.attempt_id)
      .where('phone_id', '=', q.phone_id)
      .where('silent_since', 'is', null)
      .executeTakeFirst();
    if (!Number(res.numUpdatedRows)) continue;
    await raise(ctx, bus, { attemptId: q.attempt_id, type: 'proof-silent', at: q.last_seen_at, data: { seconds: (now - q.last_seen_at) / 1000, fromAt: q.last_seen_at, toAt: null } });
    silent++;
  }

  // Overdue: the exam ended more than the deadline ago and the phone recording is not verified yet.
  const candidates = await ctx.db
    .selectFrom('proof_phones')
    .innerJoin('attempts', 'attempts.id', 'proof_phones.attempt_id')
    .innerJoin('sessions', 'sessions.id', 'attempts.session_id')
    .leftJoin('recordings', (j) => j.onRef('recordings.attempt_id', '=', 'proof_phones.attempt_id').on('recordings.stream', '=', 'phone'))
    .select(['proof_phones.attempt_id', 'attempts.ended_at', 'sessions.starts_at', 'sessions.duration_sec'])
    .where('proof_phones.overdue_flagged_at', 'is', null)
    .where((eb) => eb.or([eb('recordings.status', 'is', null), eb('recordings.status', 'not in', ['complete', 'verified'])]))
    .execute();
  for (const c of candidates) {
    const examEndAt = c.ended_at ?? c.starts_at + c.duration_sec * 1000;
    if (now <= examEndAt + settings.uploadDeadlineSec * 1000) continue;
    const status = await proofStatus(ctx, settings, c.attempt_id);
    if (status.upload.state !== 'overdue') continue;
    const res = await ctx.db.updateTable('proof_phones').set({ overdue_flagged_at: now }).where('attempt_id', '=', c.attempt_id).where('overdue_flagged_at', 'is', null).executeTakeFirst();
    if (!Number(res.numUpdatedRows)) continue;
    await raise(ctx, bus, { attemptId: c.attempt_id, type: 'proof-upload-overdue', at: now, data: { deadlineAt: status.upload.deadlineAt } });
    await publishStatus(ctx, settings, bus, c.attempt_id);
    dashboardTouched(ctx, bus, c.attempt_id);
    overdue++;
  }
  return { disconnected, silent, overdue };
}

/** A phone is "newly" stale for this long after crossing the line: a little more than one tick. */
const tickSlackMs = (s: ProofSettings) => Math.max(2000, s.heartbeatSec * 1000);

export function startProofWatchdog(ctx: Ctx, settings: ProofSettings, bus: Bus, log: { error(o: unknown, m: string): void }, intervalMs = 1000): () => void {
  let running = false;
  const t = setInterval(() => {
    if (running) return;
    running = true;
    tick(ctx, settings, bus)
      .catch((err) => log.error({ err }, 'proof watchdog tick failed'))
      .finally(() => (running = false));
  }, intervalMs);
  t.unref();
  return () => clearInterval(t);
}
