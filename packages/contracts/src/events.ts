// The closed vocabulary of attempt events: everything a detector (browser signals, the proof watchdog, identity
// checks, the recording pipeline, logins) may raise about an attempt, with its severity and its label in zh-CN
// and en. The maps are exhaustive Records: a new type does not compile until it has a severity and both labels.
import { z } from 'zod';

export const FlagSeverity = z.enum(['info', 'low', 'medium', 'high']);
export type FlagSeverity = z.infer<typeof FlagSeverity>;

/** What the candidate's browser may report itself (POST /api/attempt/events). */
export const SignalType = z.enum([
  'page-hidden',
  'page-visible',
  'window-blur',
  'window-focus',
  'fullscreen-exit',
  'second-monitor',
  'screen-share-stopped',
  'key-printscreen',
  'key-copy',
  'key-paste',
  'page-leave',
  'connection-lost',
  'connection-restored',
  'camera-lost',
  'microphone-lost',
]);

export const EventType = z.enum([
  // Browser signals of the candidate's desktop.
  ...SignalType.options,
  // The server's own findings.
  'second-login',
  'recording-gap',
  'identity-mismatch',
  'no-face',
  'several-faces',
  // The in-exam camera monitor (contracts/monitor.ts); it also raises several-faces and identity-mismatch.
  'face-absent',
  'face-covered',
  'camera-covered',
  'camera-frozen',
  'looking-away',
  'phone-in-view',
  // The phone proof camera.
  'proof-bound',
  'proof-rebound',
  'proof-silent',
  'proof-back',
  'proof-gap',
  'proof-stopped-early',
  'proof-upload-overdue',
  'proof-room-scan',
]);
export type EventType = z.infer<typeof EventType>;
export type SignalType = z.infer<typeof SignalType>;

export const SEVERITY = {
  // Someone else may be answering, or the candidate is not who they claim to be.
  'second-login': 'high',
  'identity-mismatch': 'high',
  'phone-in-view': 'high',
  'several-faces': 'high',
  'second-monitor': 'high',
  'screen-share-stopped': 'high',
  'proof-stopped-early': 'high',
  'proof-upload-overdue': 'high',
  'page-leave': 'high',
  // Looked away from the exam, or part of the evidence is missing for a while.
  'page-hidden': 'medium',
  'window-blur': 'medium',
  'fullscreen-exit': 'medium',
  'key-printscreen': 'medium',
  'no-face': 'medium',
  'face-absent': 'medium',
  'face-covered': 'medium',
  'camera-covered': 'medium',
  'camera-frozen': 'medium',
  'camera-lost': 'medium',
  'microphone-lost': 'medium',
  'proof-silent': 'medium',
  'proof-gap': 'medium',
  'recording-gap': 'medium',
  'connection-lost': 'medium',
  'proof-room-scan': 'medium',
  'key-copy': 'low',
  'key-paste': 'low',
  'looking-away': 'low',
  'proof-rebound': 'low',
  // The other half of a pair, or good news: kept on the timeline, not a flag.
  'page-visible': 'info',
  'window-focus': 'info',
  'connection-restored': 'info',
  'proof-bound': 'info',
  'proof-back': 'info',
} as const satisfies Record<EventType, FlagSeverity>;

export const EVENT_LABELS = {
  'page-hidden': { 'zh-CN': '离开考试页面', en: 'Left the exam page' },
  'page-visible': { 'zh-CN': '回到考试页面', en: 'Back on the page' },
  'window-blur': { 'zh-CN': '切换窗口', en: 'Switched window' },
  'window-focus': { 'zh-CN': '回到窗口', en: 'Back to the window' },
  'fullscreen-exit': { 'zh-CN': '退出全屏', en: 'Left full screen' },
  'second-monitor': { 'zh-CN': '检测到第二显示器', en: 'Second monitor' },
  'screen-share-stopped': { 'zh-CN': '停止共享屏幕', en: 'Screen share stopped' },
  'key-printscreen': { 'zh-CN': '截屏按键', en: 'PrintScreen' },
  'key-copy': { 'zh-CN': '复制', en: 'Copy' },
  'key-paste': { 'zh-CN': '粘贴', en: 'Paste' },
  'page-leave': { 'zh-CN': '关闭或离开页面', en: 'Closed the page' },
  'connection-lost': { 'zh-CN': '网络断开', en: 'Connection lost' },
  'connection-restored': { 'zh-CN': '网络恢复', en: 'Connection back' },
  'camera-lost': { 'zh-CN': '摄像头中断', en: 'Camera lost' },
  'microphone-lost': { 'zh-CN': '麦克风中断', en: 'Microphone lost' },
  'second-login': { 'zh-CN': '异地重复登录', en: 'Second login' },
  'recording-gap': { 'zh-CN': '录像中断', en: 'Recording gap' },
  'identity-mismatch': { 'zh-CN': '人脸比对不一致', en: 'Face does not match' },
  'no-face': { 'zh-CN': '未检测到人脸', en: 'No face' },
  'several-faces': { 'zh-CN': '画面中有多人', en: 'Several people' },
  'face-absent': { 'zh-CN': '离开摄像头画面', en: 'Left the camera view' },
  'face-covered': { 'zh-CN': '面部被遮挡', en: 'Face covered' },
  'camera-covered': { 'zh-CN': '摄像头被遮挡', en: 'Camera covered' },
  'camera-frozen': { 'zh-CN': '摄像头画面静止', en: 'Camera picture frozen' },
  'looking-away': { 'zh-CN': '长时间视线偏离', en: 'Looking away' },
  'phone-in-view': { 'zh-CN': '画面中出现手机', en: 'Phone in view' },
  'proof-bound': { 'zh-CN': '手机已绑定', en: 'Phone bound' },
  'proof-rebound': { 'zh-CN': '手机重新绑定', en: 'Phone re-bound' },
  'proof-silent': { 'zh-CN': '手机佐证无响应', en: 'Proof camera silent' },
  'proof-back': { 'zh-CN': '手机佐证恢复', en: 'Proof camera back' },
  'proof-gap': { 'zh-CN': '手机佐证中断', en: 'Proof camera gap' },
  'proof-stopped-early': { 'zh-CN': '手机佐证提前停止', en: 'Proof camera stopped early' },
  'proof-upload-overdue': { 'zh-CN': '佐证视频逾期未上传', en: 'Proof video overdue' },
  'proof-room-scan': { 'zh-CN': '环拍不足', en: 'Room scan too short' },
} as const satisfies Record<EventType, { 'zh-CN': string; en: string }>;

/**
 * Names stored before the vocabulary was closed, read as today's name (no migration rewrites the rows).
 * `multiple-faces` was the monitor's word for what the face checks call `several-faces`.
 */
const LEGACY: Record<string, EventType> = { 'multiple-faces': 'several-faces' };

/** A stored type as a member of the vocabulary, or null for a name nobody raises. */
export function eventTypeOf(stored: string): EventType | null {
  const t = EventType.safeParse(LEGACY[stored] ?? stored);
  return t.success ? t.data : null;
}

/** Every stored name of a type (today's and the legacy ones), for queries over attempt_events. */
export const storedNames = (types: readonly EventType[]): string[] => [...types, ...Object.keys(LEGACY).filter((old) => types.includes(LEGACY[old]!))];

/** Severity of a stored type; a name outside the vocabulary counts as 'low' so that it shows rather than hides. */
export const severityOf = (type: string): FlagSeverity => {
  const t = eventTypeOf(type);
  return t ? SEVERITY[t] : 'low';
};

export const isFlag = (type: string) => severityOf(type) !== 'info';

/** Flags worth a camera frame as evidence at the moment they are raised. */
export const wantsEvidence = (type: string) => ['medium', 'high'].includes(severityOf(type));

/** Every stored name with a severity above low (evidence), and of info (the timeline only), for queries. */
export const EVIDENCE_TYPES = storedNames(EventType.options.filter(wantsEvidence));
export const INFO_TYPES = storedNames(EventType.options.filter((t) => !isFlag(t)));

/** What staff receive live when an event is raised (`attempt:signal`): the flag feed's row, ready to render. */
export const EventPush = z.object({
  id: z.string(),
  attemptId: z.string(),
  candidateName: z.string(),
  ticket: z.string(),
  at: z.number(),
  receivedAt: z.number(),
  type: EventType,
  severity: FlagSeverity,
  data: z.unknown(),
  evidence: z.boolean(),
  review: z.null(),
  /** The attempt's review priority 0–100 after this event (issue #19), for the proctor grid's order. */
  priority: z.number().int().optional(),
});
export type EventPush = z.infer<typeof EventPush>;
