// In-exam identity checks: the desktop sends a small frame every so often; the server compares it with the
// registered descriptor. One bad frame is noise (a sneeze, a glance away); `checkMissesToFlag` in a row raise one
// flag (`identity-mismatch` / `no-face`, through events.ts) with the frame kept as its evidence. Frames that
// raise no flag are not stored, only their scores.
import { randomUUID } from 'node:crypto';
import type { Ctx } from '../context.ts';
import { AppError } from '../errors.ts';
import type { Bus } from '../bus.ts';
import { pushEvents, recordEvents, type RaisedEvent } from '../events.ts';
import { judgeCheck } from './rules.ts';
import { faceAttemptRow } from './attempt-row.ts';
import type { FaceDeps } from './settings.ts';
import type { FaceCandidate } from './login.ts';

export interface CheckResult {
  outcome: 'match' | 'mismatch' | 'no-face';
  similarity: number | null;
  flagged: boolean;
  /** The flag raised (already pushed to the room's proctors). */
  event: RaisedEvent | null;
}

export async function checkIdentity(ctx: Ctx, deps: FaceDeps, bus: Bus, c: FaceCandidate, frame: Buffer): Promise<CheckResult> {
  const started = Date.now();
  const reg = await ctx.db.selectFrom('face_registrations').select('descriptor').where('candidate_id', '=', c.candidateId).executeTakeFirst();
  if (!reg?.descriptor) throw new AppError('FACE_NOT_REGISTERED');
  const analysis = await deps.engine.analyze(frame);
  const j = judgeCheck(analysis, JSON.parse(reg.descriptor) as number[], deps.settings, (a, b) => deps.engine.similarity(a, b));
  const now = ctx.clock.now();
  const id = randomUUID();
  const result = await ctx.db.transaction().execute(async (trx): Promise<CheckResult> => {
    const row = await faceAttemptRow(trx, c);
    const misses = j.outcome === 'match' ? 0 : row.check_misses + 1;
    await trx.updateTable('face_attempts').set({ check_misses: misses }).where('attempt_id', '=', c.attemptId).execute();
    await trx
      .insertInto('face_verifications')
      .values({
        id,
        attempt_id: c.attemptId,
        candidate_id: c.candidateId,
        kind: 'check',
        at: now,
        passed: j.outcome === 'match' ? 1 : 0,
        reason: j.outcome === 'match' ? null : j.outcome,
        similarity: j.similarity,
        antispoof: null,
        liveness: null,
        faces: j.faces,
        challenge: null,
        capture_ref: null,
        duration_ms: Date.now() - started,
      })
      .execute();
    // Exactly at the threshold: a long absence is one flag, not one per frame; a match resets the count.
    if (misses !== deps.settings.checkMissesToFlag) return { outcome: j.outcome, similarity: j.similarity, flagged: false, event: null };
    const evidenceRef = (await deps.blobs.put(`faces/${c.candidateId}/evidence/${id}.jpg`, frame, { contentType: 'image/jpeg' })).ref;
    const type = j.outcome === 'no-face' ? ('no-face' as const) : ('identity-mismatch' as const);
    const data = { similarity: j.similarity, threshold: deps.settings.threshold, misses, faces: j.faces, verificationId: id };
    const eventId = randomUUID();
    const [event] = await recordEvents(trx, [{ id: eventId, attemptId: c.attemptId, type, at: now, data, evidenceRef }], now, {
      actor: 'system',
      action: `face.flag-${type}`,
      target: `attempt:${c.attemptId}`,
      data: { eventId, similarity: j.similarity },
    });
    return { outcome: j.outcome, similarity: j.similarity, flagged: true, event: event ?? null };
  });
  if (result.event) await pushEvents(ctx, bus, [result.event]);
  return result;
}
