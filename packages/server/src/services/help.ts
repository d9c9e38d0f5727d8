// 求助: text chat between a candidate and the proctors of their room (and support/admin).
import { randomUUID } from 'node:crypto';
import type { HelpMessage } from '@invigil/contracts';
import type { Ctx } from './context.ts';
import type { Principal } from './auth.ts';
import type { Bus } from './bus.ts';
import { withAudit } from './audit.ts';
import { candidatesIn, requireAttempt, staffTargets, watchScope } from './access.ts';

export async function listMessages(ctx: Ctx, p: Principal, attemptId: string): Promise<HelpMessage[]> {
  await requireAttempt(ctx, p, attemptId);
  const rows = await ctx.db
    .selectFrom('help_messages')
    .leftJoin('users', 'users.id', 'help_messages.user_id')
    .selectAll('help_messages')
    .select('users.display_name')
    .where('attempt_id', '=', attemptId)
    .orderBy('at')
    .execute();
  return rows.map((r) => ({ id: r.id, attemptId: r.attempt_id, at: r.at, from: r.from_kind as 'candidate', staffName: r.display_name ?? null, body: r.body }));
}

export async function postMessage(ctx: Ctx, p: Principal, attemptId: string, body: string, bus: Bus): Promise<HelpMessage> {
  await requireAttempt(ctx, p, attemptId);
  const now = ctx.clock.now();
  const fromStaff = p.kind === 'staff';
  const msg: HelpMessage = { id: randomUUID(), attemptId, at: now, from: fromStaff ? 'staff' : 'candidate', staffName: fromStaff ? p.displayName : null, body };
  await withAudit(
    ctx.db,
    async (trx) => {
      await trx
        .insertInto('help_messages')
        .values({ id: msg.id, attempt_id: attemptId, at: now, from_kind: msg.from, user_id: fromStaff ? p.userId : null, body })
        .execute();
      return { result: null, audit: { actor: fromStaff ? `user:${p.userId}` : `candidate:${p.candidateId}`, action: 'help.message', target: `attempt:${attemptId}` } };
    },
    now,
  );
  bus.emit([{ attempt: attemptId }, ...(await staffTargets(ctx, attemptId))], 'help:message', msg);
  return msg;
}

/** Threads visible to this staff member, newest first; a proctor sees only their rooms. */
export async function listThreads(ctx: Ctx, p: Principal, sessionId?: string) {
  const scope = await watchScope(ctx, p, sessionId);
  if (!scope) return [];
  let q = ctx.db
    .selectFrom('help_messages')
    .innerJoin('attempts', 'attempts.id', 'help_messages.attempt_id')
    .innerJoin('candidates', 'candidates.id', 'attempts.candidate_id')
    .leftJoin('rooms', 'rooms.id', 'candidates.room_id')
    .select([
      'help_messages.attempt_id',
      'attempts.session_id',
      'help_messages.at',
      'help_messages.body',
      'help_messages.from_kind',
      'candidates.name',
      'candidates.ticket',
      'rooms.name as room_name',
      'candidates.room_id',
    ]);
  if (sessionId) q = q.where('attempts.session_id', '=', sessionId);
  q = q.where('candidates.id', 'in', candidatesIn(ctx, scope, sessionId));
  const rows = await q.orderBy('help_messages.at', 'desc').limit(2000).execute();
  const threads = new Map<string, { attemptId: string; sessionId: string; candidateName: string; ticket: string; roomName: string | null; lastAt: number; lastBody: string; unanswered: boolean }>();
  for (const r of rows) {
    if (threads.has(r.attempt_id)) continue;
    threads.set(r.attempt_id, {
      attemptId: r.attempt_id,
      sessionId: r.session_id,
      candidateName: r.name,
      ticket: r.ticket,
      roomName: r.room_name ?? null,
      lastAt: r.at,
      lastBody: r.body,
      unanswered: r.from_kind === 'candidate',
    });
  }
  return [...threads.values()];
}
