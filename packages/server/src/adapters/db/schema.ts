// Table types for Kysely. Times are epoch ms (BIGINT in PostgreSQL, INTEGER in SQLite), booleans 0/1,
// JSON as text: one representation that both dialects store the same way.
import type { Generated } from 'kysely';

export interface ExamTable {
  id: string;
  name: string;
  description: string;
  created_at: number;
}
export interface SessionTable {
  id: string;
  exam_id: string;
  name: string;
  kind: string;
  login_opens_at: number;
  entry_opens_at: number;
  waiting_cutoff_at: number | null;
  starts_at: number;
  duration_sec: number;
  entry_cutoff_mode: string;
  entry_cutoff_minutes: number;
  face_required: number;
  proof_required: number;
  created_at: number;
  /** mock-self: the 自助试测 window closes (opens at starts_at); duration_sec is the practice duration. */
  window_closes_at: Generated<number | null>;
  practice_lead_sec: Generated<number>;
}
export interface RoomTable {
  id: string;
  session_id: string;
  name: string;
}
export interface RoomProctorTable {
  room_id: string;
  user_id: string;
}
export interface PanelTable {
  id: string;
  session_id: string;
  name: string;
}
export interface PanelExaminerTable {
  panel_id: string;
  user_id: string;
}
export interface CandidateTable {
  id: string;
  session_id: string;
  room_id: string | null;
  panel_id: string | null;
  name: string;
  id_number: string;
  ticket: string;
  anonymous_number: string;
  photo_key: string | null;
  created_at: number;
  /** Accommodation: seconds added to this candidate's answering time. */
  extra_time_sec: Generated<number>;
}
export interface QuestionTable {
  id: string;
  session_id: string;
  title: string;
  body: string;
  position: number;
}
export interface DocumentTable {
  id: string;
  session_id: string;
  kind: string;
  title: string;
  body: string;
  position: number;
}
export interface UserTable {
  id: string;
  username: string;
  display_name: string;
  role: string;
  password_hash: string;
  disabled: number;
  created_at: number;
}
export interface AuthSessionTable {
  id: string;
  kind: string;
  user_id: string | null;
  candidate_id: string | null;
  attempt_id: string | null;
  client_id: string | null;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
}
export interface AttemptTable {
  id: string;
  candidate_id: string;
  session_id: string;
  status: string;
  logged_in_at: number | null;
  entered_at: number | null;
  waiting_at: number | null;
  ended_at: number | null;
  end_reason: string | null;
  live_client_id: string | null;
  live_seen_at: number | null;
  device_check: string | null;
  device_checked_at: number | null;
  /** Set when the candidate started another practice attempt: this one is kept, no longer current. */
  replaced_at: Generated<number | null>;
  /** 011: 0–100, which attempt to review first (services/monitor/priority.ts); kept current by recordEvents. */
  review_priority: Generated<number>;
}
export interface DocumentReadTable {
  attempt_id: string;
  document_id: string;
  read_at: number;
}
export interface AuditLogTable {
  seq: Generated<number>;
  at: number;
  actor: string;
  action: string;
  target: string;
  data: string;
  prev_hash: string;
  hash: string;
  /** 006: where the change came from, and the HMAC of `hash`, ip and user agent (null on rows written before 006). */
  ip?: string | null;
  user_agent?: string | null;
  mac?: string | null;
}
export interface AttemptEventTable {
  id: string;
  attempt_id: string;
  at: number;
  type: string;
  data: string;
  received_at: number;
  /** 011: set when re-weighting replaced this event (kept for the audit trail; feeds and priority skip it). */
  superseded_at?: number | null;
}
export interface HelpMessageTable {
  id: string;
  attempt_id: string;
  at: number;
  from_kind: string;
  user_id: string | null;
  body: string;
}

// Feature tables live beside their feature (schema-*.ts) and join the one Database type here.
import type { RecordingTables } from './schema-recordings.ts';
import type { FaceTables } from './schema-face.ts';
import type { ProofTables } from './schema-proof.ts';
import type { MonitoringTables } from './schema-monitoring.ts';
import type { JobTables } from './schema-jobs.ts';
import type { ReviewTables } from './schema-review.ts';
import type { MonitorTables } from './schema-monitor.ts';

export interface Database extends RecordingTables, FaceTables, ProofTables, MonitoringTables, JobTables, ReviewTables, MonitorTables {
  exams: ExamTable;
  sessions: SessionTable;
  rooms: RoomTable;
  room_proctors: RoomProctorTable;
  panels: PanelTable;
  panel_examiners: PanelExaminerTable;
  candidates: CandidateTable;
  questions: QuestionTable;
  documents: DocumentTable;
  users: UserTable;
  auth_sessions: AuthSessionTable;
  attempts: AttemptTable;
  document_reads: DocumentReadTable;
  audit_log: AuditLogTable;
  attempt_events: AttemptEventTable;
  help_messages: HelpMessageTable;
}
