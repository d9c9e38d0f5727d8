// Face login (人脸登录) for one attempt: consent, a server-issued random challenge, the verification decision
// (made here, never in the browser), limited tries, and the manual path (请求人工核验) when face login is declined
// or keeps failing. `faceGate` tells the candidate journey whether identity is established.
import { randomInt, randomUUID } from 'node:crypto';
import { type FaceChallenge, faceReasonText, type FaceState, type FaceVerifyQueued, type FaceVerifyResult, type Lang } from '@invigil/contracts';
import type { Ctx } from '../context.ts';
import { AppError, notFound } from '../errors.ts';
import { withAudit } from '../audit.ts';
import { FaceImageUnreadableError, type FaceAnalysis } from '../../adapters/face/port.ts';
import { judgeLogin, VERIFIABLE_CHALLENGES } from './rules.ts';
import { faceAttemptRow } from './attempt-row.ts';
import type { FaceDeps } from './settings.ts';
import type { EntryGate } from '../attempts.ts';
import type { QueueAnswer } from './verify-queue.ts';

export interface FaceCandidate {
  candidateId: string;
  attemptId: string;
  sessionId: string;
}

const actorOf = (c: FaceCandidate) => `candidate:${c.candidateId}`;

/** The attempt's face row, created on first use. */
const faceRow = (ctx: Ctx, c: FaceCandidate) => faceAttemptRow(ctx.db, c);

async function triesUsed(ctx: Ctx, attemptId: string): Promise<number> {
  const r = await ctx.db
    .selectFrom('face_verifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('attempt_id', '=', attemptId)
    .where('kind', '=', 'login')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function registeredDescriptor(ctx: Ctx, candidateId: string): Promise<number[] | null> {
  const reg = await ctx.db.selectFrom('face_registrations').select('descriptor').where('candidate_id', '=', candidateId).executeTakeFirst();
  return reg?.descriptor ? (JSON.parse(reg.descriptor) as number[]) : null;
}

export async function faceState(ctx: Ctx, deps: FaceDeps, c: FaceCandidate): Promise<FaceState> {
  const session = await ctx.db.selectFrom('sessions').select('face_required').where('id', '=', c.sessionId).executeTakeFirst();
  if (!session) throw notFound();
  let row = await faceRow(ctx, c);
  const used = await triesUsed(ctx, c.attemptId);
  const registered = (await registeredDescriptor(ctx, c.candidateId)) !== null;
  const manual = await ctx.db.selectFrom('face_manual_requests').select(['status', 'reason']).where('attempt_id', '=', c.attemptId).orderBy('requested_at', 'desc').limit(1).executeTakeFirst();
  const triesLeft = Math.max(0, deps.settings.triesLimit - used);
  const now = ctx.clock.now();
  const canTry = row.passed_via === null && row.consent === 'accepted' && registered && triesLeft > 0;
  // A fresh random action whenever the last one was used or expired, so a recorded answer cannot be replayed.
  // Only actions the server can check in the frames (a head turn); nod and blink would pass unchecked.
  if (canTry && (!row.challenge_id || (row.challenge_expires_at ?? 0) <= now)) {
    const challenge = {
      challenge_id: randomUUID(),
      challenge_action: VERIFIABLE_CHALLENGES[randomInt(VERIFIABLE_CHALLENGES.length)]!,
      challenge_expires_at: now + deps.settings.challengeTtlSec * 1000,
    };
    await ctx.db.updateTable('face_attempts').set(challenge).where('attempt_id', '=', c.attemptId).execute();
    row = { ...row, ...challenge };
  }
  return {
    required: !!session.face_required,
    registered,
    consent: (row.consent as 'accepted' | 'declined' | null) ?? 'none',
    passed: row.passed_via !== null,
    via: row.passed_via as 'face' | 'manual' | null,
    triesUsed: used,
    triesLeft,
    manual: (manual?.status as FaceState['manual']) ?? 'none',
    manualReason: manual?.reason ?? null,
    challenge: canTry && row.challenge_id ? { id: row.challenge_id, action: row.challenge_action as FaceChallenge, expiresAt: row.challenge_expires_at! } : null,
  };
}

/** Separate consent (PIPL): recorded with its time and the notice version; declining leads to the manual path. */
export async function recordConsent(ctx: Ctx, deps: FaceDeps, c: FaceCandidate, accepted: boolean, policyVersion: string): Promise<FaceState> {
  await faceRow(ctx, c);
  const now = ctx.clock.now();
  await withAudit(
    ctx.db,
    async (trx) => {
      await trx
        .updateTable('face_attempts')
        .set({ consent: accepted ? 'accepted' : 'declined', consent_at: now, consent_version: policyVersion })
        .where('attempt_id', '=', c.attemptId)
        .execute();
      return { result: null, audit: { actor: actorOf(c), action: accepted ? 'face.consent-accept' : 'face.consent-decline', target: `attempt:${c.attemptId}`, data: { policyVersion } } };
    },
    now,
  );
  return faceState(ctx, deps, c);
}

/**
 * The login verification through the queue (verify-queue.ts): the checks and the single-use challenge claim happen
 * at once, in the request (a candidate waiting in the queue does not see the challenge expire); the analysis waits
 * for a free slot. Answers the decision when the verification could start at once, else the ticket and the place.
 */
export async function submitLogin(ctx: Ctx, deps: FaceDeps, c: FaceCandidate, frames: Buffer[], challengeId: string, lang: Lang): Promise<FaceVerifyResult | FaceVerifyQueued> {
  const queue = deps.verifyQueue;
  if (!queue) return verifyLogin(ctx, deps, c, frames, challengeId, lang);
  // One verification per attempt: a second submission while the first waits gets the first one's place.
  const pending = queue.pendingTicket(c.attemptId);
  if (pending) return queuedAnswer(await queue.wait(c.attemptId, pending, 0));
  const claim = await claimLogin(ctx, deps, c, challengeId, lang);
  if ('passed' in claim) return claim;
  const started = Date.now();
  const ticket = queue.submit(c.attemptId, () => judgeLoginFrames(ctx, deps, c, frames, claim, lang, started));
  // Started at once: the decision comes in this answer, as without a queue.
  if (queue.position(c.attemptId, ticket) === 0) return queuedAnswer(await queue.wait(c.attemptId, ticket, RUNNING_HOLD_MS));
  return queuedAnswer(await queue.wait(c.attemptId, ticket, 0));
}

/** The browser asks again with its ticket: the decision once made, else (after at most holdMs) its place. */
export async function pollLogin(deps: FaceDeps, c: FaceCandidate, ticket: string, holdMs: number): Promise<FaceVerifyResult | FaceVerifyQueued> {
  if (!deps.verifyQueue) throw new AppError('FACE_QUEUE_TICKET_UNKNOWN');
  return queuedAnswer(await deps.verifyQueue.wait(c.attemptId, ticket, holdMs));
}

/** A verification that has started is awaited in the request that started it (≲ 1 s of inference per frame). */
const RUNNING_HOLD_MS = 120_000;

function queuedAnswer(a: QueueAnswer<FaceVerifyResult>): FaceVerifyResult | FaceVerifyQueued {
  return a.done ? a.value : { queued: true, ticket: a.ticket, position: a.position };
}

interface LoginClaim {
  challengeAction: string | null;
  registered: number[];
  used: number;
}

/** The checks before a verification, and the atomic claim of the single-use challenge. */
async function claimLogin(ctx: Ctx, deps: FaceDeps, c: FaceCandidate, challengeId: string, lang: Lang): Promise<LoginClaim | FaceVerifyResult> {
  const s = deps.settings;
  const row = await faceRow(ctx, c);
  if (row.passed_via) throw new AppError('FACE_ALREADY_PASSED');
  if (row.consent !== 'accepted') throw new AppError('FACE_CONSENT_REQUIRED');
  const registered = await registeredDescriptor(ctx, c.candidateId);
  if (!registered) throw new AppError('FACE_NOT_REGISTERED');
  const used = await triesUsed(ctx, c.attemptId);
  if (used >= s.triesLimit) throw new AppError('FACE_TRIES_EXHAUSTED', { limit: s.triesLimit });
  const now = ctx.clock.now();
  // Claim the challenge atomically: it is single use, so two parallel submissions cannot both be judged.
  const claimed = await ctx.db
    .updateTable('face_attempts')
    .set({ challenge_id: null })
    .where('attempt_id', '=', c.attemptId)
    .where('challenge_id', '=', challengeId)
    .where('challenge_expires_at', '>', now)
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) return { passed: false, reason: 'challenge-expired', message: faceReasonText('challenge-expired', lang), triesLeft: s.triesLimit - used, similarity: null };
  return { challengeAction: row.challenge_action, registered, used };
}

/** Verification without the queue (tests and tools that call the engine directly). */
export async function verifyLogin(ctx: Ctx, deps: FaceDeps, c: FaceCandidate, frames: Buffer[], challengeId: string, lang: Lang): Promise<FaceVerifyResult> {
  const started = Date.now();
  const claim = await claimLogin(ctx, deps, c, challengeId, lang);
  return 'passed' in claim ? claim : judgeLoginFrames(ctx, deps, c, frames, claim, lang, started);
}

/** Analyses the frames, decides, keeps the best frame and records the decision with its audit row. */
async function judgeLoginFrames(ctx: Ctx, deps: FaceDeps, c: FaceCandidate, frames: Buffer[], claim: LoginClaim, lang: Lang, started: number): Promise<FaceVerifyResult> {
  const s = deps.settings;
  const { registered, used } = claim;
  const row = { challenge_action: claim.challengeAction };

  let analyses: FaceAnalysis[] | null = null;
  try {
    analyses = await Promise.all(frames.map((f) => deps.engine.analyze(f)));
  } catch (e) {
    if (!(e instanceof FaceImageUnreadableError)) throw e;
  }
  const j = analyses
    ? judgeLogin(analyses, registered, s, (a, b) => deps.engine.similarity(a, b), row.challenge_action as FaceChallenge | null)
    : { passed: false, reason: 'unreadable' as const, similarity: null, antispoof: null, liveness: null, faces: 0, bestFrame: 0, turnDeg: null, otherDeg: null };
  const id = randomUUID();
  // The frame is kept (until the purge) so support can compare it with the registered photo.
  const capture = analyses ? (await deps.blobs.put(`faces/${c.candidateId}/captures/${id}.jpg`, frames[j.bestFrame]!, { contentType: 'image/jpeg' })).ref : null;
  const decidedAt = ctx.clock.now();
  await withAudit(
    ctx.db,
    async (trx) => {
      await trx
        .insertInto('face_verifications')
        .values({
          id,
          attempt_id: c.attemptId,
          candidate_id: c.candidateId,
          kind: 'login',
          at: decidedAt,
          passed: j.passed ? 1 : 0,
          reason: j.reason,
          similarity: j.similarity,
          antispoof: j.antispoof,
          liveness: j.liveness,
          faces: j.faces,
          challenge: row.challenge_action,
          capture_ref: capture,
          duration_ms: Date.now() - started,
        })
        .execute();
      if (j.passed) await trx.updateTable('face_attempts').set({ passed_via: 'face', passed_at: decidedAt }).where('attempt_id', '=', c.attemptId).execute();
      return {
        result: null,
        audit: {
          actor: actorOf(c),
          action: j.passed ? 'face.verify-pass' : 'face.verify-fail',
          target: `attempt:${c.attemptId}`,
          data: {
            verificationId: id,
            reason: j.reason,
            similarity: j.similarity,
            antispoof: j.antispoof,
            liveness: j.liveness,
            challenge: row.challenge_action,
            turnDeg: j.turnDeg,
            otherDeg: j.otherDeg,
          },
        },
      };
    },
    decidedAt,
  );
  return {
    passed: j.passed,
    reason: j.reason,
    message: j.passed ? (lang === 'en' ? 'Identity verified.' : '身份验证通过。') : faceReasonText(j.reason!, lang),
    triesLeft: Math.max(0, s.triesLimit - used - 1),
    similarity: j.similarity,
  };
}

/** 请求人工核验: one pending request at a time; it goes to the support/proctor queue. */
export async function requestManual(ctx: Ctx, deps: FaceDeps, c: FaceCandidate, note: string): Promise<FaceState> {
  const row = await faceRow(ctx, c);
  if (row.passed_via) throw new AppError('FACE_ALREADY_PASSED');
  const pending = await ctx.db.selectFrom('face_manual_requests').select('id').where('attempt_id', '=', c.attemptId).where('status', '=', 'pending').executeTakeFirst();
  if (!pending) {
    const now = ctx.clock.now();
    await withAudit(
      ctx.db,
      async (trx) => {
        const id = randomUUID();
        await trx
          .insertInto('face_manual_requests')
          .values({ id, attempt_id: c.attemptId, candidate_id: c.candidateId, session_id: c.sessionId, requested_at: now, note, status: 'pending', decided_by: null, decided_at: null, reason: null })
          .execute();
        return { result: null, audit: { actor: actorOf(c), action: 'face.manual-request', target: `attempt:${c.attemptId}`, data: { requestId: id } } };
      },
      now,
    );
  }
  return faceState(ctx, deps, c);
}

/** For the candidate journey: must identity be established before entry, and has it been (and how)? */
export async function faceGate(ctx: Ctx, attemptId: string): Promise<{ required: boolean; passed: boolean; via: 'face' | 'manual' | null }> {
  const r = await ctx.db
    .selectFrom('attempts')
    .innerJoin('sessions', 'sessions.id', 'attempts.session_id')
    .leftJoin('face_attempts', 'face_attempts.attempt_id', 'attempts.id')
    .select(['sessions.face_required', 'face_attempts.passed_via'])
    .where('attempts.id', '=', attemptId)
    .executeTakeFirst();
  if (!r) throw notFound();
  const via = (r.passed_via as 'face' | 'manual' | null) ?? null;
  return { required: !!r.face_required, passed: via !== null, via };
}

/** The gate the journey runs before 【进入考试】 (Deps.entryGates in app.ts). */
export const faceEntryGate: EntryGate = {
  name: 'face',
  async check(ctx, attemptId) {
    const g = await faceGate(ctx, attemptId);
    return g.required && !g.passed ? new AppError('FACE_NOT_VERIFIED') : null;
  },
};
