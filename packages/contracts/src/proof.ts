// The phone proof camera (佐证端): binding a phone to an attempt, its live status and its upload deadline.
//
// Candidate's desktop:
//   POST /api/proof/bind-code              → BindCodeIssued (a fresh single-use code; earlier unused ones die)
//   GET  /api/proof/status                 → ProofStatus   (also for the bound phone)
// The phone (public until bound; rate-limited per IP against guessing):
//   POST /api/proof/bind                   BindBody → PhoneState, sets the phone's session cookie.
//                                          Binding revokes any phone bound before (re-pair after a broken phone).
//   GET  /api/proof/phone                  → PhoneState
//   POST /api/proof/heartbeat              PhoneHeartbeat → PhoneState   (every few seconds)
//   POST /api/proof/stage                  StageBody → PhoneState        (consent, room scan, placing, recording, stopped)
//   POST /api/proof/gaps                   GapBody → Ok                  (the phone stopped recording for a while)
// Staff (admin, support, proctor for their rooms):
//   GET  /api/sessions/:id/proof           → SessionProof (per candidate: live status and upload deadline)
// Realtime: `proof:status` (ProofStatus) to the attempt's channel (desktop and phone) and to staff.
import { z } from 'zod';
import { EpochMs, Id } from './common.ts';

/** 8 characters without look-alikes (no 0/O, 1/I/L), shown as ABCD-EFGH: 31^8 ≈ 8.5·10^11 codes. */
export const BIND_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const BIND_CODE_LENGTH = 8;

/** What the person typed → the code as stored: upper case, no spaces or dashes. */
export function normalizeBindCode(input: string): string {
  return input.toUpperCase().replace(/[\s\-–—_]/g, '');
}
export function formatBindCode(code: string): string {
  return code.length === 8 ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
}

export const BindCodeIssued = z.object({
  code: z.string(),
  /** What the QR code encodes: the phone page with the code, on a URL the phone can reach (HTTPS on a LAN). */
  url: z.string(),
  expiresAt: EpochMs,
  ttlSec: z.number().int(),
  /** The URL uses the server's self-signed certificate: the phone must trust it once (docs/phone-https.md). */
  selfSigned: z.boolean(),
});
export type BindCodeIssued = z.infer<typeof BindCodeIssued>;

export const BindBody = z.object({ code: z.string().trim().min(1).max(32), userAgent: z.string().max(400).optional() });

/** Where the phone is in its own flow. */
export const PhoneStage = z.enum(['bound', 'consented', 'scanning', 'placing', 'recording', 'stopped']);
export type PhoneStage = z.infer<typeof PhoneStage>;

/** What the desktop, proctor and support read: 未绑定 / 佐证设备已连接 / 录制中 / 已停止 / 已断开. */
export const ProofConnection = z.enum(['unbound', 'connected', 'recording', 'stopped', 'disconnected']);
export type ProofConnection = z.infer<typeof ProofConnection>;

/** The seed's 60-minute rule, per candidate: recording → uploading (after the exam) → complete, or overdue. */
export const UploadDeadlineState = z.enum(['not-started', 'recording', 'uploading', 'complete', 'overdue']);
export type UploadDeadlineState = z.infer<typeof UploadDeadlineState>;

export const UploadDeadline = z.object({
  state: UploadDeadlineState,
  /** Exam end + the deadline setting; null while the exam has not ended and has no end time yet. */
  deadlineAt: EpochMs.nullable(),
  completedAt: EpochMs.nullable(),
  /** Completed, but after the deadline. */
  late: z.boolean(),
});
export type UploadDeadline = z.infer<typeof UploadDeadline>;

export const Battery = z.object({ level: z.number().min(0).max(1), charging: z.boolean() });

export const ProofStatus = z.object({
  attemptId: Id,
  connection: ProofConnection,
  stage: PhoneStage.nullable(),
  phoneId: z.string().nullable(),
  boundAt: EpochMs.nullable(),
  lastSeenAt: EpochMs.nullable(),
  roomScanSeconds: z.number().nullable(),
  battery: Battery.nullable(),
  storageFreeMb: z.number().nullable(),
  /** Interruptions the phone reported (call, background, reload), and their total length. */
  gaps: z.object({ count: z.number().int(), seconds: z.number() }),
  upload: UploadDeadline,
  now: EpochMs,
});
export type ProofStatus = z.infer<typeof ProofStatus>;

export const PhoneState = z.object({
  attemptId: Id,
  phoneId: z.string(),
  stage: PhoneStage,
  candidate: z.object({ name: z.string(), ticketTail: z.string() }),
  examName: z.string(),
  sessionName: z.string(),
  attemptStatus: z.string(),
  startsAt: EpochMs,
  endsAt: EpochMs,
  upload: UploadDeadline,
  settings: z.object({ roomScanMinSec: z.number().int(), heartbeatSec: z.number().int(), uploadDeadlineSec: z.number().int() }),
  now: EpochMs,
});
export type PhoneState = z.infer<typeof PhoneState>;

export const PhoneHeartbeat = z.object({
  recording: z.boolean(),
  battery: Battery.nullable(),
  storageFreeMb: z.number().min(0).nullable(),
  wakeLock: z.boolean(),
});

export const StageBody = z.object({
  stage: PhoneStage.exclude(['bound']),
  /** With stage 'placing': the room scan that just ended. */
  roomScan: z.object({ startedAt: EpochMs, endedAt: EpochMs, degrees: z.number().min(0).max(720).nullable() }).optional(),
});

export const GapReason = z.enum(['hidden', 'reload', 'camera-lost']);
export const GapBody = z.object({ fromAt: EpochMs, toAt: EpochMs, reason: GapReason });

export const SessionProofRow = z.object({
  candidateId: Id,
  candidateName: z.string(),
  ticket: z.string(),
  roomId: Id.nullable(),
  attemptId: Id.nullable(),
  status: ProofStatus.nullable(),
});
export const SessionProof = z.object({ sessionId: Id, proofRequired: z.boolean(), rows: z.array(SessionProofRow) });
export type SessionProof = z.infer<typeof SessionProof>;
