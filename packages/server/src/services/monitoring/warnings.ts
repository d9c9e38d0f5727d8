// 警告: a proctor's message shown prominently on the candidate's screen until acknowledged, and ending a
// candidate's exam for a violation. Both audited; both pushed live to the candidate and the room's staff.
import { randomUUID } from 'node:crypto';
import { isInExam, type Warning } from '@invigil/contracts';
import type { Ctx } from '../context.ts';
import type { Bus } from '../bus.ts';
import type { WarningTable } from '../../adapters/db/schema-monitoring.ts';
import { withAudit } from '../audit.ts';
import { endAttempt } from '../attempts.ts';
import { requireAttempt, staffTargets } from '../access.ts';
import type { Principal } from '../auth.ts';
import { AppError, notFound } from '../errors.ts';
import type { Staff } from './scope.ts';

const toWarning = (w: WarningTable): Warning => ({ id: w.id, attemptId: w.attempt_id, at: w.at, text: w.text, by: w.user_name, ackAt: w.ack_at });

export async function sendWarning(ctx: Ctx, p: Staff, attemptId: string, text: string, bus: Bus): Promise<Warning> {
  await requireAttempt(ctx, p, attemptId);
  const a = await ctx.db.selectFrom('attempts').select('status').where('id', '=', attemptId).executeTakeFirstOrThrow();
  if (a.status === 'ended') throw new AppError('ATTEMPT_ENDED');
  const now = ctx.clock.now();
  const row: WarningTable = { id: randomUUID(), attempt_id: attemptId, at: now, text, user_id: p.userId, user_name: p.displayName, ack_at: null };
  await withAudit(
    ctx.db,
    async (trx) => {
      await trx.insertInto('warnings').values(row).execute();
      return { result: null, audit: { actor: `user:${p.userId}`, action: 'warning.send', target: `attempt:${attemptId}`, data: { warningId: row.id, text } } };
    },
    now,
  );
  const w = toWarning(row);
  bus.emit({ attempt: attemptId }, 'warning:show', w);
  bus.emit(await staffTargets(ctx, attemptId), 'warning:changed', w);
  return w;
}

export async function listWarnings(ctx: Ctx, p: Principal, attemptId: string, onlyPending = false): Promise<Warning[]> {
  await requireAttempt(ctx, p, attemptId);
  let q = ctx.db.selectFrom('warnings').selectAll().where('attempt_id', '=', attemptId);
  if (onlyPending) q = q.where('ack_at', 'is', null);
  return (await q.orderBy('at').execute()).map(toWarning);
}

/** The candidate pressed 【我已知晓】. Acknowledging twice keeps the first time. */
export async function acknowledgeWarning(ctx: Ctx, actor: string, attemptId: string, warningId: string, bus: Bus): Promise<Warning> {
  const w = await ctx.db.selectFrom('warnings').selectAll().where('id', '=', warningId).where('attempt_id', '=', attemptId).executeTakeFirst();
  if (!w) throw notFound();
  if (w.ack_at !== null) return toWarning(w);
  const now = ctx.clock.now();
  await withAudit(
    ctx.db,
    async (trx) => {
      await trx.updateTable('warnings').set({ ack_at: now }).where('id', '=', warningId).where('ack_at', 'is', null).execute();
      return { result: null, audit: { actor, action: 'warning.ack', target: `attempt:${attemptId}`, data: { warningId } } };
    },
    now,
  );
  const acked = toWarning({ ...w, ack_at: now });
  bus.emit(await staffTargets(ctx, attemptId), 'warning:changed', acked);
  return acked;
}

/**
 * End a candidate's exam for a violation. The candidate's app hears `attempt:changed` (ended, reason 'proctor'),
 * stops its recorders and finalizes the upload exactly as at time-out: nothing recorded is dropped.
 */
export async function endByStaff(ctx: Ctx, p: Staff, attemptId: string, reason: string, bus: Bus): Promise<void> {
  await requireAttempt(ctx, p, attemptId);
  const a = await ctx.db.selectFrom('attempts').select('status').where('id', '=', attemptId).executeTakeFirstOrThrow();
  if (a.status === 'ended') throw new AppError('ATTEMPT_ENDED');
  if (!isInExam(a.status)) throw new AppError('NOT_ENTERED');
  await endAttempt(ctx, `user:${p.userId}`, attemptId, 'proctor', bus, reason);
}
