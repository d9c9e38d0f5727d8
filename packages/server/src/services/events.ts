// The one attempt-event pipeline. Every detector (browser signals, logins, identity checks, the recording
// pipeline, the proof camera and its watchdog) is a producer only: it calls raise(), which
//   1. inserts the attempt_events row (a retried report with the same id is no new event),
//   2. writes the audit row in the same transaction (the producer's own action, or `event.raise`),
//   3. keeps evidence one way: a flag_evidence row pointing at the stored frame,
//   4. pushes the event, as the flag feed's row, to the watchers of the attempt's session and room.
// Producers that already hold a transaction call recordEvents() inside it and pushEvents() after the commit.
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { SEVERITY, type EventPush, type EventType } from '@invigil/contracts';
import type { Database } from '../adapters/db/schema.ts';
import type { Ctx } from './context.ts';
import type { Bus } from './bus.ts';
import { appendAudit, type AuditInput } from './audit.ts';
import { staffTargets } from './access.ts';
import { flagsMuted } from './practice/rules.ts';
import { refreshPriority } from './monitor/priority.ts';

export interface NewEvent {
  attemptId: string;
  type: EventType;
  at: number;
  data?: Record<string, unknown>;
  /** A stable id makes a retried report harmless (the same gap sent twice is one event). */
  id?: string;
  /** A frame already stored as this flag's evidence (blob ref). */
  evidenceRef?: string;
}

export interface RaisedEvent {
  id: string;
  attemptId: string;
  type: EventType;
  at: number;
  receivedAt: number;
  data: Record<string, unknown>;
  evidence: boolean;
}

type Db = Transaction<Database> | Kysely<Database>;

/**
 * Inserts the events and one audit row for them, inside the caller's transaction. Returns the events that are
 * new (a retried id is skipped). The audit defaults to `event.raise` by `system`.
 */
export async function recordEvents(db: Db, events: NewEvent[], now: number, audit?: AuditInput): Promise<RaisedEvent[]> {
  const raised: RaisedEvent[] = [];
  // A practice attempt (自助试测) raises nothing: no flag, no push — its problems show in its own verdict.
  const muted = new Set<string>();
  for (const id of new Set(events.map((e) => e.attemptId))) if (await flagsMuted(db, id)) muted.add(id);
  for (const e of events) {
    if (muted.has(e.attemptId)) continue;
    const ev: RaisedEvent = { id: e.id ?? randomUUID(), attemptId: e.attemptId, type: e.type, at: e.at, receivedAt: now, data: e.data ?? {}, evidence: !!e.evidenceRef };
    const res = await db
      .insertInto('attempt_events')
      .values({ id: ev.id, attempt_id: ev.attemptId, at: ev.at, type: ev.type, data: JSON.stringify(ev.data), received_at: now })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if (Number(res.numInsertedOrUpdatedRows ?? 0) === 0) continue;
    if (e.evidenceRef) await db.insertInto('flag_evidence').values({ event_id: ev.id, attempt_id: ev.attemptId, blob_ref: e.evidenceRef, at: now }).execute();
    raised.push(ev);
  }
  if (raised.length) {
    const attemptId = raised[0]!.attemptId;
    await appendAudit(db, audit ?? { actor: 'system', action: 'event.raise', target: `attempt:${attemptId}`, data: { events: raised.map((r) => ({ id: r.id, type: r.type })) } }, now);
    // The review priority follows the events (services/monitor/priority.ts).
    await refreshPriority(
      db,
      raised.map((r) => r.attemptId),
    );
  }
  return raised;
}

/** After the commit: each event to the staff of its attempt's session and room, as the flag feed shows it. */
export async function pushEvents(ctx: Ctx, bus: Bus, events: RaisedEvent[]): Promise<void> {
  const byAttempt = new Map<string, RaisedEvent[]>();
  for (const e of events) byAttempt.set(e.attemptId, [...(byAttempt.get(e.attemptId) ?? []), e]);
  for (const [attemptId, list] of byAttempt) {
    const c = await ctx.db
      .selectFrom('attempts')
      .innerJoin('candidates', 'candidates.id', 'attempts.candidate_id')
      .select(['candidates.name', 'candidates.ticket', 'attempts.review_priority'])
      .where('attempts.id', '=', attemptId)
      .executeTakeFirst();
    if (!c) continue;
    const to = await staffTargets(ctx, attemptId);
    for (const e of list) {
      const push: EventPush = {
        id: e.id,
        attemptId,
        candidateName: c.name,
        ticket: c.ticket,
        at: e.at,
        receivedAt: e.receivedAt,
        type: e.type,
        severity: SEVERITY[e.type],
        data: e.data,
        evidence: e.evidence,
        review: null,
        priority: c.review_priority,
      };
      bus.emit(to, 'attempt:signal', push);
    }
  }
}

/** Raise events of one attempt: insert, audit and push. Returns the new ones (none for a retried id). */
export async function raise(ctx: Ctx, bus: Bus, events: NewEvent | NewEvent[], audit?: AuditInput): Promise<RaisedEvent[]> {
  const now = ctx.clock.now();
  const list = [events].flat();
  const raised = await ctx.db.transaction().execute((trx) => recordEvents(trx, list, now, audit));
  await pushEvents(ctx, bus, raised);
  return raised;
}
