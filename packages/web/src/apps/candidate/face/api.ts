// The candidate's face login API (contracts/face.ts): state, consent, verification, manual request.
import type { FaceState, FaceVerifyResult } from '@invigil/contracts';
import { get, post } from '../../../api/client.ts';

/** Version of the consent notice the candidate saw (face/i18n.ts `consent`); stored with the consent. */
export const CONSENT_POLICY_VERSION = 'face-notice-2025-1';

export const fetchFaceState = () => get<FaceState>('/api/face/me');
export const sendConsent = (accepted: boolean) => post<FaceState>('/api/face/me/consent', { accepted, policyVersion: CONSENT_POLICY_VERSION });
export const verifyFace = (challengeId: string, frames: string[]) => post<FaceVerifyResult>('/api/face/me/verify', { challengeId, frames });
export const requestManual = (note: string) => post<FaceState>('/api/face/me/manual', { note });
