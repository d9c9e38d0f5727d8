// The self-test API (contracts/practice.ts): the candidate's own practice attempts, playback and the badge.
import type { AttemptState, PracticeAttempts, SelfTestStatus } from '@invigil/contracts';
import { get, post } from '../../../api/client.ts';

export const fetchPractice = () => get<PracticeAttempts>('/api/attempt/practice');
export const startAgain = () => post<AttemptState>('/api/attempt/practice/again');
export const fetchSelfTest = () => get<SelfTestStatus>('/api/attempt/self-test');
export const playbackUrl = (recordingId: string) => `/api/attempt/practice/recordings/${encodeURIComponent(recordingId)}/file`;
