// Tables of the recording pipeline (issue: zero-loss recording). Owned by services/recordings.

/** One recorded stream of one attempt. `status` is 'uploading' until finalize has every segment hash-verified
 *  ('verified': the browser may drop its journal), then 'complete' once the assembly job stored the seekable file
 *  (or 'missing' when the browser finalized with no segment at all). The assembly job's own progress is in
 *  assembly_*: queued → assembling → assembled, or failed with its reason after the retries. */
export interface RecordingTable {
  id: string;
  attempt_id: string;
  stream: string; // camera | screen | phone
  mime_type: string;
  status: string;
  last_seq: number | null; // declared by the browser at finalize
  report: string | null; // CompletenessReport JSON, set with status 'complete'
  assembled_ref: string | null; // blob ref of the seekable WebM
  created_at: number;
  finalized_at: number | null;
  assembly_state: string | null; // queued | assembling | assembled | failed (null: not finalized yet)
  assembly_error: string | null; // the last attempt's reason, kept while it is retried
  assembly_attempts: number | null; // attempts started (null on rows written before the column existed)
  assembly_at: number | null; // when assembly_state last changed
  /** Running totals of this recording's segments, kept by the segments_tally trigger (migration 013). */
  bytes_stored: number;
  segments_stored: number;
  ms_stored: number; // sum of the segments' declared durations
  max_seq_stored: number | null; // highest seq stored (null: none)
}

/** One MediaRecorder chunk, stored once its SHA-256 matched. */
export interface SegmentTable {
  recording_id: string;
  seq: number;
  run: number;
  sha256: string;
  bytes: number;
  blob_ref: string;
  recorded_at: number;
  duration_ms: number;
  received_at: number;
  run_started_at: number | null; // first segment of a run: its first real frame (epoch ms), as the browser declared
}

export interface RecordingTables {
  recordings: RecordingTable;
  segments: SegmentTable;
}
