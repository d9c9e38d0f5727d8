// Face login and identity (人脸登录 / 人工核验): REST bodies shared by the browser and the server.
//
//   POST /api/face/candidates/:candidateId/photo        admin, support (a missing one only)   FacePhotoBody → FacePhotoResult
//   POST /api/face/sessions/:sessionId/photos.zip       admin    raw application/zip of <ID-card number>.jpg → FaceImportReport
//   GET  /api/face/candidates/:candidateId/photo        admin, support   image/jpeg (audited read)
//   GET  /api/face/me                                   candidate        FaceState (issues the liveness challenge)
//   POST /api/face/me/consent                           candidate        FaceConsentBody → FaceState
//   POST /api/face/me/verify                            candidate        FaceVerifyBody → 200 FaceVerifyResult, or 202 FaceVerifyQueued
//   GET  /api/face/me/verify/:ticket                    candidate        200 FaceVerifyResult, or 202 FaceVerifyQueued (its place now)
//   POST /api/face/me/manual                            candidate        FaceManualBody → FaceState (请求人工核验)
//   POST /api/face/me/check                             candidate        FaceCheckBody → FaceCheckResult (in-exam identity check)
//   GET  /api/face/manual?status=pending                support, proctor, admin   FaceManualItem[]
//   POST /api/face/manual/:id/decision                  support, proctor, admin   FaceManualDecisionBody → FaceManualItem
//   GET  /api/face/manual/:id/capture                   support, proctor, admin   image/jpeg (audited read)
//   GET  /models/*                                      public   Human's model files for the browser (never a CDN)
import { z } from 'zod';
import { EpochMs, Id } from './common.ts';

/** Base64 of a JPEG/PNG, with or without a data: URL prefix. ~6 MB of image at most. */
export const ImageBase64 = z.string().min(16).max(8_000_000);

export const FacePhotoBody = z.object({ imageBase64: ImageBase64 });

/** Why a registration photo was refused — one per file in an import report. */
export const FaceRefusal = z.enum(['no-face', 'several-faces', 'too-small', 'unreadable', 'unknown-candidate', 'not-an-image']);
export type FaceRefusal = z.infer<typeof FaceRefusal>;

export const FacePhotoResult = z.object({
  candidateId: Id,
  accepted: z.boolean(),
  reason: FaceRefusal.nullable(),
  faceScore: z.number().nullable(),
});

export const FaceImportRow = z.object({ file: z.string(), idNumber: z.string().nullable(), candidateId: Id.nullable(), accepted: z.boolean(), reason: FaceRefusal.nullable() });
/** Each file is accepted or refused on its own: refused files do not undo accepted ones. */
export const FaceImportReport = z.object({ accepted: z.number().int(), refused: z.number().int(), rows: z.array(FaceImportRow) });
export type FaceImportReport = z.infer<typeof FaceImportReport>;

/** The randomized liveness challenge the browser asks the candidate to perform while it captures frames. */
export const FaceChallenge = z.enum(['turn-left', 'turn-right', 'nod', 'blink']);
export type FaceChallenge = z.infer<typeof FaceChallenge>;

export const FaceConsentBody = z.object({ accepted: z.boolean(), policyVersion: z.string().min(1).max(40) });

export const FaceVerifyBody = z.object({
  /** 1–3 JPEG frames taken during the challenge; the server decides on them, not the browser. */
  frames: z.array(ImageBase64).min(1).max(3),
  challengeId: z.string().min(1).max(64),
});

/** Why a verification failed, in words the candidate is shown (faceReasonText). */
export const FaceFailReason = z.enum([
  'no-face',
  'several-faces',
  'not-matching',
  'spoof-suspected',
  'not-live',
  'unreadable',
  'challenge-expired',
  'challenge-not-done',
  'challenge-wrong-way',
  'face-changed',
]);
export type FaceFailReason = z.infer<typeof FaceFailReason>;

export const FaceVerifyResult = z.object({
  passed: z.boolean(),
  reason: FaceFailReason.nullable(),
  message: z.string(),
  triesLeft: z.number().int(),
  similarity: z.number().nullable(),
});
export type FaceVerifyResult = z.infer<typeof FaceVerifyResult>;

/**
 * A verification waiting in the server's queue (a burst at login-open): the browser shows 正在排队核验，请稍候 (第 N 位)
 * and asks GET /api/face/me/verify/:ticket until the decision comes. position 0: being verified now.
 */
export const FaceVerifyQueued = z.object({ queued: z.literal(true), ticket: Id, position: z.number().int().min(0) });
export type FaceVerifyQueued = z.infer<typeof FaceVerifyQueued>;
export const FaceVerifyTicketParams = z.object({ ticket: Id });

export const FaceManualBody = z.object({ note: z.string().max(500).default('') });

export const FaceState = z.object({
  required: z.boolean(),
  registered: z.boolean(),
  consent: z.enum(['none', 'accepted', 'declined']),
  passed: z.boolean(),
  via: z.enum(['face', 'manual']).nullable(),
  triesUsed: z.number().int(),
  triesLeft: z.number().int(),
  manual: z.enum(['none', 'pending', 'approved', 'rejected']),
  manualReason: z.string().nullable(),
  /** Present while a verification may still be tried. */
  challenge: z.object({ id: z.string(), action: FaceChallenge, expiresAt: EpochMs }).nullable(),
});
export type FaceState = z.infer<typeof FaceState>;

export const FaceCheckBody = z.object({ frame: ImageBase64 });
export const FaceCheckResult = z.object({ outcome: z.enum(['match', 'mismatch', 'no-face']), similarity: z.number().nullable(), flagged: z.boolean() });

export const FaceManualItem = z.object({
  id: Id,
  attemptId: Id,
  candidateId: Id,
  candidateName: z.string(),
  sessionId: Id,
  requestedAt: EpochMs,
  note: z.string(),
  status: z.enum(['pending', 'approved', 'rejected']),
  hasRegisteredPhoto: z.boolean(),
  hasCapture: z.boolean(),
  /** Best similarity of the candidate's failed face tries, for the reviewer's context. */
  lastSimilarity: z.number().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: EpochMs.nullable(),
  reason: z.string().nullable(),
});
export type FaceManualItem = z.infer<typeof FaceManualItem>;
export const FaceManualQuery = z.object({ status: z.enum(['pending', 'approved', 'rejected', 'all']).default('pending') });
export const FaceManualDecisionBody = z.object({ approve: z.boolean(), reason: z.string().trim().min(2).max(500) });

const reasonText: Record<FaceFailReason, { 'zh-CN': string; en: string }> = {
  'no-face': { 'zh-CN': '未检测到人脸。请正对摄像头，确保光线充足、面部无遮挡后重试。', en: 'No face was found. Face the camera in good light with nothing covering your face, then retry.' },
  'several-faces': { 'zh-CN': '画面中有多张人脸。请确保只有您本人在镜头前后重试。', en: 'More than one face is in view. Make sure only you are in front of the camera, then retry.' },
  'not-matching': {
    'zh-CN': '人脸与报名照片不一致。请摘下眼镜、帽子等遮挡物，正对摄像头后重试；多次失败可【请求人工核验】。',
    en: 'Your face does not match your registered photo. Remove glasses or hats, face the camera and retry; after repeated failures, request manual verification.',
  },
  'spoof-suspected': {
    'zh-CN': '未能确认为真人拍摄。请不要使用照片或屏幕，由本人正对摄像头重试。',
    en: 'We could not confirm a live person. Do not use a photo or screen; face the camera yourself and retry.',
  },
  'not-live': { 'zh-CN': '活体检测未通过。请按提示完成动作后重试。', en: 'The liveness check failed. Follow the on-screen action and retry.' },
  unreadable: { 'zh-CN': '图像无法识别，请检查摄像头后重试。', en: 'The image could not be read. Check your camera and retry.' },
  'challenge-expired': { 'zh-CN': '动作提示已过期，请重新开始人脸验证。', en: 'The challenge expired. Please start the face check again.' },
  'challenge-not-done': {
    'zh-CN': '未检测到转头动作（静止的照片或画面无法通过）。请先正对摄像头，点击【开始验证】后按提示缓慢转头，再转回正面。',
    en: 'No head turn was seen (a still photo or picture cannot pass). Face the camera, click Start, then slowly turn your head as shown and back.',
  },
  'face-changed': {
    'zh-CN': '验证过程中画面里的人脸发生了变化。请本人独自正对摄像头，按提示转头后重试。',
    en: 'The face changed during the check. Stay alone in front of the camera, turn your head as shown and retry.',
  },
  'challenge-wrong-way': {
    'zh-CN': '转头方向与提示不符。请按提示的方向（您自己的左或右）缓慢转头后重试。',
    en: 'You turned the other way. Slowly turn your head in the direction shown (your own left or right) and retry.',
  },
};

export function faceReasonText(reason: FaceFailReason, lang: 'zh-CN' | 'en'): string {
  return reasonText[reason][lang];
}
