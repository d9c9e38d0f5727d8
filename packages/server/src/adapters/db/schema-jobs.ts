// The in-process job queue's table (adapters/jobs/in-process.ts). pg-boss keeps its own schema on PostgreSQL.

export interface JobTable {
  id: string;
  name: string;
  data: string; // JSON
  singleton_key: string | null;
  state: string; // created | active | completed | failed
  attempts: number; // attempts started so far
  retry_limit: number;
  retry_delay_ms: number;
  run_after: number;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  error: string | null;
}

export interface JobTables {
  jobs: JobTable;
}
