// The self-test API (contracts/practice.ts): the candidate's own practice attempts, playback and the badge.
import { routes } from '@invigil/contracts';
import { call, urlOf } from '../../../api/client.ts';

export const fetchPractice = () => call(routes.practice);
export const startAgain = () => call(routes.practiceAgain);
export const fetchSelfTest = () => call(routes.selfTest);
export const playbackUrl = (recordingId: string) => urlOf(routes.practiceRecording, { params: { recordingId } });
