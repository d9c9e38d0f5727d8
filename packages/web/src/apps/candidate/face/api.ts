// The candidate's face login API (contracts/face.ts): state, consent, verification, manual request.
import { routes } from '@invigil/contracts';
import { call } from '../../../api/client.ts';

/** Version of the consent notice the candidate saw (face/i18n.ts `consent`); stored with the consent. */
export const CONSENT_POLICY_VERSION = 'face-notice-2025-1';

export const fetchFaceState = () => call(routes.myFace);
export const sendConsent = (accepted: boolean) => call(routes.faceConsent, { body: { accepted, policyVersion: CONSENT_POLICY_VERSION } });
export const verifyFace = (challengeId: string, frames: string[]) => call(routes.faceVerify, { body: { challengeId, frames } });
export const requestManual = (note: string) => call(routes.faceRequestManual, { body: { note } });
