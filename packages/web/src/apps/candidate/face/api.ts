// The candidate's face login API (contracts/face.ts): state, consent, verification, manual request.
import { routes, type FaceVerifyQueued, type FaceVerifyResult } from '@invigil/contracts';
import { ApiError, call } from '../../../api/client.ts';

/** Version of the consent notice the candidate saw (face/i18n.ts `consent`); stored with the consent. */
export const CONSENT_POLICY_VERSION = 'face-notice-2025-1';

export const fetchFaceState = () => call(routes.myFace);
export const sendConsent = (accepted: boolean) => call(routes.faceConsent, { body: { accepted, policyVersion: CONSENT_POLICY_VERSION } });
/**
 * Sends the frames for the server's decision. In a burst the server queues the verification and answers its place
 * (202); this asks again with the ticket (the server holds each ask until the place changes) and reports each place
 * through onQueued, until the decision comes. A dropped connection while waiting is retried, not shown as a failure.
 */
const isQueued = (a: FaceVerifyResult | FaceVerifyQueued): a is FaceVerifyQueued => (a as Partial<FaceVerifyQueued>).queued === true;

export async function verifyFace(challengeId: string, frames: string[], onQueued: (position: number) => void = () => {}): Promise<FaceVerifyResult> {
  // The route table types the 200 answer; a 202 carries the queue's place instead.
  let answer: FaceVerifyResult | FaceVerifyQueued = await call(routes.faceVerify, { body: { challengeId, frames } });
  let networkMisses = 0;
  while (isQueued(answer)) {
    onQueued(answer.position);
    try {
      answer = await call(routes.faceVerifyPoll, { params: { ticket: answer.ticket } });
      networkMisses = 0;
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'NETWORK') || ++networkMisses > 30) throw e;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  return answer;
}
export const requestManual = (note: string) => call(routes.faceRequestManual, { body: { note } });
