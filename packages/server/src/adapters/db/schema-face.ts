// Tables of face login (issue: face login and identity). Owned by services/face.
// Descriptors are JSON arrays of numbers in text; scores are 0..1 doubles; times epoch ms; booleans 0/1.

/** One registered photo per candidate; the descriptor is computed once at import. */
export interface FaceRegistrationTable {
  candidate_id: string;
  photo_ref: string;
  descriptor: string | null; // null after purge
  face_score: number;
  created_at: number;
  created_by: string;
  purged_at: number | null;
}

/** Per-attempt face state: consent, the current liveness challenge, how identity was established. */
export interface FaceAttemptTable {
  attempt_id: string;
  candidate_id: string;
  consent: string | null; // 'accepted' | 'declined'
  consent_at: number | null;
  consent_version: string | null;
  challenge_id: string | null;
  challenge_action: string | null;
  challenge_expires_at: number | null;
  passed_via: string | null; // 'face' | 'manual'
  passed_at: number | null;
  check_misses: number; // consecutive failed in-exam identity checks
}

/** Every decision, login or in-exam, with its scores: the evidence behind a pass or a flag. */
export interface FaceVerificationTable {
  id: string;
  attempt_id: string;
  candidate_id: string;
  kind: string; // 'login' | 'check'
  at: number;
  passed: number;
  reason: string | null;
  similarity: number | null;
  antispoof: number | null;
  liveness: number | null;
  faces: number;
  challenge: string | null;
  capture_ref: string | null; // the live frame kept for manual review; null once purged (or never kept)
  duration_ms: number;
}

export interface FaceManualRequestTable {
  id: string;
  attempt_id: string;
  candidate_id: string;
  session_id: string;
  requested_at: number;
  note: string;
  status: string; // 'pending' | 'approved' | 'rejected'
  decided_by: string | null;
  decided_at: number | null;
  reason: string | null;
}

export interface FaceTables {
  face_registrations: FaceRegistrationTable;
  face_attempts: FaceAttemptTable;
  face_verifications: FaceVerificationTable;
  face_manual_requests: FaceManualRequestTable;
}
