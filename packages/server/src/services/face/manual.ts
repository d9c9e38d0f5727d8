// The manual verification queue (人工核验) for support and proctors: registered photo and live capture side by
// side, approve or reject with a reason. Every decision and every look at face data is audited.
import type { Readable } from 'node:stream';
import type { FaceManualItem } from '@invigil/contracts';
import type { Ctx } from '../context.ts';
import { AppError, notFound } from '../errors.ts';
import { withAudit } from '../audit.ts';
import { faceAttemptRow } from './attempt-row.ts';
import type { FaceDeps } from './settings.ts';
import type { Bus } from '../bus.ts';
import { candidatesIn, watchScope, type Staff } from '../access.ts';
import { dashboardTouched } from '../dashboard.ts';

/** A reviewer of the queue (support, admin, a proctor for their rooms); access.ts decides what they see. */
export type StaffActor = Staff;

const actorOf = (s: StaffActor) => `user:${s.userId}`;

async function baseQuery(ctx: Ctx, staff: StaffActor) {
  const scope = (await watchScope(ctx, staff)) ?? { kind: 'rooms' as const, roomIds: [] };
  return ctx.db
    .selectFrom('face_manual_requests as m')
    .innerJoin('candidates as c', 'c.id', 'm.candidate_id')
    .leftJoin('face_registrations as r', 'r.candidate_id', 'm.candidate_id')
    .selectAll('m')
    .select(['c.name as candidate_name', 'r.photo_ref'])
    .select((eb) => [
      eb
        .selectFrom('face_verifications as v')
        .select((e2) => e2.fn.max('v.similarity').as('s'))
        .whereRef('v.attempt_id', '=', 'm.attempt_id')
        .where('v.kind', '=', 'login')
        .as('last_similarity'),
      eb
        .selectFrom('face_verifications as v')
        .select((e2) => e2.fn.count('v.capture_ref').as('n'))
        .whereRef('v.attempt_id', '=', 'm.attempt_id')
        .where('v.kind', '=', 'login')
        .as('captures'),
    ])
    .where('c.id', 'in', candidatesIn(ctx, scope));
}

type Row = Awaited<ReturnType<Awaited<ReturnType<typeof baseQuery>>['executeTakeFirstOrThrow']>>;

const toItem = (r: Row): FaceManualItem => ({
  id: r.id,
  attemptId: r.attempt_id,
  candidateId: r.candidate_id,
  candidateName: r.candidate_name,
  sessionId: r.session_id,
  requestedAt: r.requested_at,
  note: r.note,
  status: r.status as FaceManualItem['status'],
  hasRegisteredPhoto: r.photo_ref !== null,
  hasCapture: Number(r.captures ?? 0) > 0,
  lastSimilarity: r.last_similarity === null || r.last_similarity === undefined ? null : Number(r.last_similarity),
  decidedBy: r.decided_by,
  decidedAt: r.decided_at,
  reason: r.reason,
});

export async function listManual(ctx: Ctx, staff: StaffActor, status: 'pending' | 'approved' | 'rejected' | 'all'): Promise<FaceManualItem[]> {
  let q = (await baseQuery(ctx, staff)).orderBy('m.requested_at').limit(500);
  if (status !== 'all') q = q.where('m.status', '=', status);
  return (await q.execute()).map(toItem);
}

async function loadVisible(ctx: Ctx, staff: StaffActor, id: string): Promise<Row> {
  const r = await (await baseQuery(ctx, staff)).where('m.id', '=', id).executeTakeFirst();
  if (!r) throw notFound();
  return r;
}

export async function decideManual(ctx: Ctx, staff: StaffActor, id: string, approve: boolean, reason: string, bus: Bus): Promise<FaceManualItem> {
  const req = await loadVisible(ctx, staff, id);
  const now = ctx.clock.now();
  await withAudit(
    ctx.db,
    async (trx) => {
      // Only a pending request can be decided; a second reviewer clicking at the same time gets a conflict.
      const upd = await trx
        .updateTable('face_manual_requests')
        .set({ status: approve ? 'approved' : 'rejected', decided_by: actorOf(staff), decided_at: now, reason })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (Number(upd.numUpdatedRows) !== 1) throw new AppError('FACE_MANUAL_DECIDED');
      if (approve) {
        await faceAttemptRow(trx, { attemptId: req.attempt_id, candidateId: req.candidate_id });
        await trx.updateTable('face_attempts').set({ passed_via: 'manual', passed_at: now }).where('attempt_id', '=', req.attempt_id).where('passed_via', 'is', null).execute();
      }
      return { result: null, audit: { actor: actorOf(staff), action: approve ? 'face.manual-approve' : 'face.manual-reject', target: `attempt:${req.attempt_id}`, data: { requestId: id, reason } } };
    },
    now,
  );
  const item = toItem(await loadVisible(ctx, staff, id));
  // The waiting candidate's screen moves on at once (it also polls, for a socket that dropped).
  bus.emit({ attempt: item.attemptId }, 'attempt:changed', { attemptId: item.attemptId, status: 'face-manual', reason: item.status });
  if (approve) dashboardTouched(ctx, bus, item.attemptId);
  return item;
}

/** The latest live capture of the request's attempt, for comparison with the registered photo. Audited. */
export async function readManualCapture(ctx: Ctx, deps: FaceDeps, staff: StaffActor, id: string): Promise<Readable> {
  const req = await loadVisible(ctx, staff, id);
  const v = await ctx.db
    .selectFrom('face_verifications')
    .select(['id', 'capture_ref'])
    .where('attempt_id', '=', req.attempt_id)
    .where('kind', '=', 'login')
    .where('capture_ref', 'is not', null)
    .orderBy('at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!v?.capture_ref) throw notFound();
  await withAudit(
    ctx.db,
    async () => ({ result: null, audit: { actor: actorOf(staff), action: 'face.read-capture', target: `attempt:${req.attempt_id}`, data: { verificationId: v.id } } }),
    ctx.clock.now(),
  );
  return deps.blobs.get(v.capture_ref);
}

/** Registered photo of a request's candidate, with the same visibility rule as the queue. Audited. */
export async function readManualPhoto(ctx: Ctx, deps: FaceDeps, staff: StaffActor, id: string): Promise<Readable> {
  const req = await loadVisible(ctx, staff, id);
  if (!req.photo_ref) throw notFound();
  await withAudit(
    ctx.db,
    async () => ({ result: null, audit: { actor: actorOf(staff), action: 'face.read-photo', target: `candidate:${req.candidate_id}`, data: { requestId: id } } }),
    ctx.clock.now(),
  );
  return deps.blobs.get(req.photo_ref);
}
