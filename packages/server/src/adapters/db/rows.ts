// New rows with their "nothing has happened yet" columns filled in once, so a column added to a table is
// defaulted in one place rather than at every insert (the server, test worlds and benchmarks all create attempts).
import type { Insertable } from 'kysely';
import type { AttemptTable } from './schema.ts';

type AttemptInsert = Insertable<AttemptTable>;

/** An attempt row: id, candidate, session and status are required; every timestamp not given is null. */
export function attemptRow(r: Pick<AttemptInsert, 'id' | 'candidate_id' | 'session_id' | 'status'> & Partial<AttemptInsert>): AttemptInsert {
  return {
    logged_in_at: null,
    entered_at: null,
    waiting_at: null,
    ended_at: null,
    end_reason: null,
    live_client_id: null,
    live_seen_at: null,
    device_check: null,
    device_checked_at: null,
    ...r,
  };
}
