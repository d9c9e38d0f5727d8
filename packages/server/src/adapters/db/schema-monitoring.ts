// Tables of live monitoring (issue #6). Owned by services/monitoring. Times epoch ms, as everywhere else.

/** A staff decision on a flag (an attempt_events row): confirmed as a violation or dismissed, with a note. */
export interface FlagReviewTable {
  event_id: string;
  attempt_id: string;
  decision: string; // FlagDecision
  note: string;
  user_id: string;
  user_name: string;
  at: number;
}

/** The camera frame kept as a flag's evidence. `blob_ref` null: asked for, none came (candidate offline). */
export interface FlagEvidenceTable {
  event_id: string;
  attempt_id: string;
  blob_ref: string | null;
  at: number;
}

/** A proctor's warning to a candidate, and when the candidate acknowledged it. */
export interface WarningTable {
  id: string;
  attempt_id: string;
  at: number;
  text: string;
  user_id: string;
  user_name: string;
  ack_at: number | null;
}

export interface MonitoringTables {
  flag_reviews: FlagReviewTable;
  flag_evidence: FlagEvidenceTable;
  warnings: WarningTable;
}
