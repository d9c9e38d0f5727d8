// Pure rules of the proof camera: what "connected / recording / disconnected" means at time T, and where a
// candidate stands against the upload deadline. No I/O, so the edge times are tested table by table.
import type { PhoneStage, ProofConnection, UploadDeadline } from '@invigil/contracts';

export const STAGE_ORDER: readonly PhoneStage[] = ['bound', 'consented', 'scanning', 'placing', 'recording', 'stopped'];

/** The phone's flow only moves forward; repeating a stage (a reload during the scan) is allowed. */
export function stageMayMove(from: PhoneStage, to: PhoneStage): boolean {
  return STAGE_ORDER.indexOf(to) >= STAGE_ORDER.indexOf(from) && from !== 'stopped';
}

export interface PhoneFacts {
  stage: PhoneStage;
  lastSeenAt: number;
  recording: boolean;
}

export function connectionOf(phone: PhoneFacts | null, now: number, staleMs: number): ProofConnection {
  if (!phone) return 'unbound';
  if (phone.stage === 'stopped') return 'stopped';
  // Exactly staleMs of silence still counts as alive: heartbeats are due every few seconds, not to the millisecond.
  if (now - phone.lastSeenAt > staleMs) return 'disconnected';
  return phone.recording ? 'recording' : 'connected';
}

export interface DeadlineFacts {
  now: number;
  /** When the exam ended for this candidate (ended_at), else the session's scheduled end. */
  examEndAt: number;
  deadlineSec: number;
  /** A phone was ever bound or a phone recording exists: a proof video is on its way. */
  started: boolean;
  /** The candidate entered the exam (an absent candidate owes no video). */
  entered: boolean;
  /** The phone recording's upload state and when it was verified. */
  recording: { status: string; finalizedAt: number | null } | null;
}

export function uploadDeadline(f: DeadlineFacts): UploadDeadline {
  const deadlineAt = f.examEndAt + f.deadlineSec * 1000;
  // Uploaded = verified (upload done ≠ assembled): the deadline is about the upload, not the assembly job.
  if (f.recording?.status === 'complete' || f.recording?.status === 'verified') {
    const completedAt = f.recording.finalizedAt;
    return { state: 'complete', deadlineAt, completedAt, late: completedAt !== null && completedAt > deadlineAt };
  }
  const base = { deadlineAt, completedAt: null, late: false };
  if (f.now < f.examEndAt) return { ...base, state: f.started ? 'recording' : 'not-started' };
  if (!f.started && !f.entered) return { ...base, state: 'not-started' };
  return { ...base, state: f.now <= deadlineAt ? 'uploading' : 'overdue' };
}
