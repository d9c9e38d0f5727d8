// Tables of the in-exam monitor (issue #19). Owned by services/monitor. Times epoch ms.

/** One posted batch of samples, as compact tuples (services/monitor/store.ts `packSamples`). */
export interface MonitorBatchTable {
  id: string;
  attempt_id: string;
  t0: number;
  t1: number;
  n: number;
  samples: string;
  received_at: number;
}

/** An evidence frame the browser kept; stored in the blob store like every other evidence frame. */
export interface MonitorFrameTable {
  id: string;
  attempt_id: string;
  t: number;
  blob_ref: string;
  received_at: number;
}

/** A condition that held long enough, and the event it raised (null for a practice attempt, which raises none). */
export interface MonitorEpisodeTable {
  id: string;
  attempt_id: string;
  condition: string; // MonitorCondition
  start_at: number;
  end_at: number | null;
  raised_at: number;
  samples: number;
  event_id: string | null;
  created_at: number;
  superseded_at: number | null;
}

/** The monitor's rules of one session (MonitorRules JSON); a session without a row uses DEFAULT_MONITOR_RULES. */
export interface MonitorRulesTable {
  session_id: string;
  rules: string;
  updated_at: number;
  updated_by: string;
}

export interface MonitorTables {
  monitor_batches: MonitorBatchTable;
  monitor_frames: MonitorFrameTable;
  monitor_episodes: MonitorEpisodeTable;
  monitor_rules: MonitorRulesTable;
}
