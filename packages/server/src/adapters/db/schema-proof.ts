// Tables of the phone proof camera (issue: phone proof camera). Owned by services/proof.
// Times epoch ms, booleans 0/1, JSON as text — as everywhere else.

/** A single-use bind code shown on the desktop (QR + typed). Only the SHA-256 of the code is stored. */
export interface ProofBindCodeTable {
  code_hash: string; // sha256 hex of the normalized code
  attempt_id: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  /** 'used' by a phone, or 'replaced' when the desktop asked for a newer code. */
  outcome: string | null;
  phone_id: string | null;
}

/** The phone bound to an attempt now (one row per attempt; re-pairing overwrites it) and its last report. */
export interface ProofPhoneTable {
  attempt_id: string;
  phone_id: string;
  stage: string; // PhoneStage
  bound_at: number;
  user_agent: string | null;
  last_seen_at: number;
  recording: number; // the phone's MediaRecorder is running (last heartbeat)
  battery_level: number | null; // 0..1
  charging: number | null;
  storage_free_mb: number | null;
  wake_lock: number;
  room_scan_seconds: number | null;
  gap_count: number;
  gap_ms: number;
  /** Set when the watchdog flagged this phone as silent; cleared when it reports again. */
  silent_since: number | null;
  /** Set once the upload deadline passed without a complete proof video (flag raised). */
  overdue_flagged_at: number | null;
}

export interface ProofTables {
  proof_bind_codes: ProofBindCodeTable;
  proof_phones: ProofPhoneTable;
}
