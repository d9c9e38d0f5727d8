// The candidate's face login API (contracts/face.ts): state, consent, verification, manual request.
import type { FaceState, FaceVerifyQueued, FaceVerifyResult } from '@invigil/contracts';
import { ApiError, get, post } from '../../../api/client.ts';

/** Version of the consent notice the candidate saw (face/i18n.ts `consent`); stored with the consent. */
export const CONSENT_POLICY_VERSION = 'face-notice-2025-1';

export const fetchFaceState = () => get<FaceState>('/api/face/me');
export const sendConsent = (accepted: boolean) => post<FaceState>('/api/face/me/consent', { accepted, policyVersion: CONSENT_POLICY_VERSION });
/**
 * Sends the frames for the server's decision. In a burst the server queues the verification and answers its place
 * (202); this asks again with the ticket (the server holds each ask until the place changes) and reports each place
 * through onQueued, until the decision comes. A dropped connection while waiting is retried, not shown as a failure.
 */
export async function verifyFace(challengeId: string, frames: string[], onQueued: (position: number) => void = () => {}): Promise<FaceVerifyResult> {
  let answer = await post<FaceVerifyResult | FaceVerifyQueued>('/api/face/me/verify', { challengeId, frames });
  let networkMisses = 0;
  while ('queued' in answer) {
    onQueued(answer.position);
    try {
      answer = await get<FaceVerifyResult | FaceVerifyQueued>(`/api/face/me/verify/${encodeURIComponent(answer.ticket)}`);
      networkMisses = 0;
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'NETWORK') || ++networkMisses > 30) throw e;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  return answer;
}
export const requestManual = (note: string) => post<FaceState>('/api/face/me/manual', { note });
