// The flag feed: every signal, phone gap and identity flag of a session (attempt_events), with its severity,
// evidence and the review a proctor gave it. Reviews are audited and pushed to every watcher of the room.
import { FLAG_FEED_LIMIT, INFO_TYPES, SEVERITY, eventTypeOf, type Flag, type FlagDecision } from '@invigil/contracts';
import type { Readable } from 'node:stream';
import type { Ctx } from '../context.ts';
import type { Bus } from '../bus.ts';
import type { BlobStore } from '../../adapters/blob/port.ts';
import { withAudit } from '../audit.ts';
import { candidatesIn, requireAttempt, requireWatch, staffTargets } from '../access.ts';
import { refreshPriority } from '../monitor/priority.ts';
import { notFound } from '../errors.ts';
import type { Staff } from './scope.ts';

function flagQuery(ctx: Ctx) {
  return ctx.db
    .selectFrom('attempt_events')
    .innerJoin('attempts', 'attempts.id', 'attempt_events.attempt_id')
    .innerJoin('candidates', 'candidates.id', 'attempts.candidate_id')
    .leftJoin('flag_reviews', 'flag_reviews.event_id', 'attempt_events.id')
    .leftJoin('flag_evidence', 'flag_evidence.event_id', 'attempt_events.id')
    .selectAll('attempt_events')
    .select([
      'candidates.name as c_name',
      'candidates.ticket as c_ticket',
      'flag_evidence.blob_ref',
      'flag_reviews.decision',
      'flag_reviews.note',
      'flag_reviews.user_name',
      'flag_reviews.at as reviewed_at',
    ]);
}
type FlagRow = Awaited<ReturnType<ReturnType<typeof flagQuery>['execute']>>[number];

/** A stored row as the feed shows it; a legacy name reads as today's (contracts/events.ts). */
function toFlag(r: FlagRow): Flag | null {
  const type = eventTypeOf(r.type);
  if (!type) return null;
  return {
    id: r.id,
    attemptId: r.attempt_id,
    candidateName: r.c_name,
    ticket: r.c_ticket,
    at: r.at,
    receivedAt: r.received_at,
    type,
    severity: SEVERITY[type],
    data: JSON.parse(r.data) as unknown,
    evidence: !!r.blob_ref,
    review: r.decision ? { decision: r.decision as FlagDecision, note: r.note ?? '', by: r.user_name ?? '', at: r.reviewed_at ?? 0 } : null,
  };
}

/** Newest first. `since` (a receivedAt) returns only what arrived after it; `all` includes info events. */
export async function listFlags(ctx: Ctx, p: Staff, sessionId: string, opts: { since?: number; all?: boolean }): Promise<Flag[]> {
  const scope = await requireWatch(ctx, p, sessionId);
  // An event superseded by re-weighting (services/monitor) is kept for the audit trail, not shown as a flag.
  let q = flagQuery(ctx)
    .where('attempts.session_id', '=', sessionId)
    .where('candidates.id', 'in', candidatesIn(ctx, scope, sessionId))
    .where('attempt_events.superseded_at', 'is', null);
  if (opts.since !== undefined) q = q.where('attempt_events.received_at', '>', opts.since);
  if (!opts.all) q = q.where('attempt_events.type', 'not in', INFO_TYPES);
  const rows = await q.orderBy('attempt_events.received_at', 'desc').orderBy('attempt_events.at', 'desc').limit(FLAG_FEED_LIMIT).execute();
  return rows.map(toFlag).filter((f): f is Flag => f !== null);
}

/** Every flag of a session (no feed limit, no info events), oldest first: the 违纪 export. Admin and support only. */
export async function allFlags(ctx: Ctx, p: Staff, sessionId: string): Promise<Flag[]> {
  const scope = await requireWatch(ctx, p, sessionId);
  if (scope.kind !== 'all') throw notFound();
  const rows = await flagQuery(ctx)
    .where('attempts.session_id', '=', sessionId)
    .where('attempt_events.type', 'not in', INFO_TYPES)
    .orderBy('attempt_events.at', 'asc')
    .orderBy('attempt_events.received_at', 'asc')
    .execute();
  return rows.map(toFlag).filter((f): f is Flag => f !== null);
}

async function loadFlag(ctx: Ctx, p: Staff, eventId: string): Promise<FlagRow> {
  const row = await flagQuery(ctx).where('attempt_events.id', '=', eventId).executeTakeFirst();
  if (!row || !eventTypeOf(row.type)) throw notFound();
  await requireAttempt(ctx, p, row.attempt_id);
  return row;
}

/** Confirm or dismiss a flag with a note. A later review replaces an earlier one; both stay in the audit log. */
export async function reviewFlag(ctx: Ctx, p: Staff, eventId: string, decision: FlagDecision, note: string, bus: Bus): Promise<Flag> {
  const row = await loadFlag(ctx, p, eventId);
  const now = ctx.clock.now();
  await withAudit(
    ctx.db,
    async (trx) => {
      const review = { decision, note, user_id: p.userId, user_name: p.displayName, at: now };
      await trx
        .insertInto('flag_reviews')
        .values({ event_id: eventId, attempt_id: row.attempt_id, ...review })
        .onConflict((oc) => oc.column('event_id').doUpdateSet(review))
        .execute();
      // A dismissed flag no longer counts toward the review priority, a confirmed one counts double (issue #19).
      await refreshPriority(trx, [row.attempt_id]);
      return {
        result: null,
        audit: { actor: `user:${p.userId}`, action: `flag.${decision === 'confirmed' ? 'confirm' : 'dismiss'}`, target: `attempt:${row.attempt_id}`, data: { eventId, type: row.type, note } },
      };
    },
    now,
  );
  const flag = toFlag(await loadFlag(ctx, p, eventId))!;
  bus.emit(await staffTargets(ctx, row.attempt_id), 'flag:reviewed', flag);
  return flag;
}

/** The evidence frame of a flag. Reading it is audited: it is a picture of a person. */
export async function readEvidence(ctx: Ctx, p: Staff, blobs: BlobStore, eventId: string): Promise<Readable> {
  const row = await loadFlag(ctx, p, eventId);
  if (!row.blob_ref) throw notFound();
  await withAudit(ctx.db, async () => ({ result: null, audit: { actor: `user:${p.userId}`, action: 'flag.evidence-read', target: `attempt:${row.attempt_id}`, data: { eventId } } }));
  return blobs.get(row.blob_ref);
}
