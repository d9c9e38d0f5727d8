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

/** Short names of the problems, for staff tables and exports (the candidate's own page words them with what to do). */
export const PRACTICE_PROBLEM_LABELS = {
  'not-entered': { 'zh-CN': '未进入试测', en: 'did not enter' },
  'not-ended': { 'zh-CN': '试测未结束', en: 'not ended' },
  'device-not-checked': { 'zh-CN': '未做设备检测', en: 'no device check' },
  camera: { 'zh-CN': '摄像头异常', en: 'camera failed' },
  microphone: { 'zh-CN': '麦克风异常', en: 'microphone failed' },
  browser: { 'zh-CN': '浏览器不支持', en: 'browser unsupported' },
  'second-monitor': { 'zh-CN': '多个显示器', en: 'second monitor' },
  'camera-stream-missing': { 'zh-CN': '摄像头视频缺失', en: 'camera video missing' },
  'camera-stream-incomplete': { 'zh-CN': '摄像头视频不完整', en: 'camera video incomplete' },
  'screen-stream-missing': { 'zh-CN': '屏幕录像缺失', en: 'screen recording missing' },
  'screen-stream-incomplete': { 'zh-CN': '屏幕录像不完整', en: 'screen recording incomplete' },
  'phone-stream-missing': { 'zh-CN': '佐证视频缺失（未绑定佐证端）', en: 'proof video missing (no phone bound)' },
  'phone-stream-incomplete': { 'zh-CN': '佐证视频不完整', en: 'proof video incomplete' },
  uploading: { 'zh-CN': '仍在上传', en: 'still uploading' },
} as const satisfies Record<PracticeProblem, { 'zh-CN': string; en: string }>;

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
/** Steps reached in a 集中试测, in order. */
export const CentralStep = z.enum(['logged-in', 'entered', 'answering', 'ended', 'uploaded', 'proof-uploaded']);
export type CentralStep = z.infer<typeof CentralStep>;
export const CENTRAL_STEP_LABELS = {
  'logged-in': { 'zh-CN': '登录', en: 'login' },
  entered: { 'zh-CN': '进入考试', en: 'entered' },
  answering: { 'zh-CN': '答题', en: 'answered' },
  ended: { 'zh-CN': '结束', en: 'ended' },
  uploaded: { 'zh-CN': '视频上传', en: 'uploaded' },
  'proof-uploaded': { 'zh-CN': '佐证上传', en: 'proof uploaded' },
} as const satisfies Record<CentralStep, { 'zh-CN': string; en: string }>;
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
  centralSteps: z.array(CentralStep),
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
