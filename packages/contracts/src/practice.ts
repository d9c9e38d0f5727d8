// 自助试测 (self-test) and readiness: what a candidate sees after a practice attempt, and what staff see per
// candidate before exam day. Problems are codes; the apps word them (zh-CN, en) with what to do next.
import { z } from 'zod';
import { EpochMs, Id } from './common.ts';
import { CompletenessReport, RecordingStatus, Stream } from './recordings.ts';
import { DeviceCheck } from './candidate.ts';

/** One stream of a practice attempt in plain terms: how many seconds arrived and how many are missing. */
export const PracticeStream = z.object({
  stream: Stream,
  required: z.boolean(),
  recordingId: Id.nullable(),
  /** complete: all there; incomplete: stored with seconds missing; uploading: not verified yet; missing: never recorded. */
  state: z.enum(['complete', 'incomplete', 'uploading', 'missing']),
  seconds: z.number(),
  missingSeconds: z.number(),
  playable: z.boolean(),
});
export type PracticeStream = z.infer<typeof PracticeStream>;

export const PracticeProblem = z.enum([
  'not-entered',
  'not-ended',
  'device-not-checked',
  'camera',
  'microphone',
  'browser',
  'second-monitor',
  'camera-stream-missing',
  'camera-stream-incomplete',
  'screen-stream-missing',
  'screen-stream-incomplete',
  'phone-stream-missing',
  'phone-stream-incomplete',
  'uploading',
]);
export type PracticeProblem = z.infer<typeof PracticeProblem>;

export const PracticeVerdict = z.object({ success: z.boolean(), problems: z.array(PracticeProblem) });
export type PracticeVerdict = z.infer<typeof PracticeVerdict>;

export const PracticeAttempt = z.object({
  attemptId: Id,
  number: z.number().int(), // 1 = the first practice of this candidate
  status: z.string(),
  enteredAt: EpochMs.nullable(),
  endedAt: EpochMs.nullable(),
  current: z.boolean(),
  streams: z.array(PracticeStream),
  verdict: PracticeVerdict,
});
export type PracticeAttempt = z.infer<typeof PracticeAttempt>;
export const PracticeAttempts = z.object({ sessionId: Id, windowClosesAt: EpochMs.nullable(), canStartAgain: z.boolean(), attempts: z.array(PracticeAttempt) });
export type PracticeAttempts = z.infer<typeof PracticeAttempts>;

/** The candidate's own badge: is one successful self-test on record (in any 自助试测 of this exam)? */
export const SelfTestStatus = z.object({ required: z.boolean(), started: z.number().int(), succeeded: z.number().int(), done: z.boolean() });
export type SelfTestStatus = z.infer<typeof SelfTestStatus>;

// ---- 试测情况 (readiness) for admins and support
export const ReadinessRow = z.object({
  candidateId: Id,
  name: z.string(),
  ticket: z.string(),
  idNumber: z.string(),
  selfTestsStarted: z.number().int(),
  selfTestsSucceeded: z.number().int(),
  lastProblems: z.array(PracticeProblem),
  lastDeviceCheck: DeviceCheck.nullable(),
  lastDeviceCheckAt: EpochMs.nullable(),
  proofCameraUsed: z.boolean(),
  centralAttended: z.boolean(),
  /** Steps reached in the 集中试测: login, entered, answering, ended, uploaded (camera+screen), proof uploaded. */
  centralSteps: z.array(z.enum(['logged-in', 'entered', 'answering', 'ended', 'uploaded', 'proof-uploaded'])),
});
export type ReadinessRow = z.infer<typeof ReadinessRow>;
export const ReadinessFilter = z.enum(['all', 'not-done', 'failed']);
export const ReadinessQuery = z.object({ filter: ReadinessFilter.default('all') });
export const Readiness = z.object({ sessionId: Id, hasSelfTest: z.boolean(), hasCentral: z.boolean(), rows: z.array(ReadinessRow) });
export type Readiness = z.infer<typeof Readiness>;

export type { CompletenessReport, RecordingStatus };

/** Accommodation: extra answering time for one candidate, set by an admin before the session starts. */
export const ExtraTimeBody = z.object({
  extraTimeSec: z
    .number()
    .int()
    .min(0)
    .max(4 * 3600),
});
