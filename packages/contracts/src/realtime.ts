// socket.io event maps shared by the server and the browser. Connect to path /socket.io with the session cookie.
// Candidates are put in room `attempt:<id>`; staff in `session:<id>` and `room:<id>` after `staff:watch`.
import type { HelpMessage } from './candidate.ts';
import type { ProofStatus } from './proof.ts';
import type { MonitorClientEvents, MonitorServerEvents } from './monitoring.ts';

export interface ServerToClient extends MonitorServerEvents {
  /** Reply to `time:ping`: the server clock, for offset = serverNow − (t0 + t1) / 2. */
  'time:pong': (p: { t0: number; serverNow: number }) => void;
  'help:message': (m: HelpMessage) => void;
  /** The attempt changed (entered, waiting, answering, ended by time or by staff): refetch GET /api/attempt. */
  'attempt:changed': (p: { attemptId: string; status: string; reason?: string }) => void;
  /** For staff: a candidate's signal or flag, live. `id` is its attempt_events id (= the flag's id in the feed),
   *  so the console can show the flag at once and review it without a refetch. */
  'attempt:signal': (p: { attemptId: string; id?: string; type: string; at: number; data: unknown }) => void;
  /** The proof camera of an attempt changed (bound, re-paired, recording, silent, uploaded): to the desktop, the
   *  phone and staff. A phone whose phoneId is no longer the bound one has been replaced. */
  'proof:status': (p: ProofStatus) => void;
}

export interface ClientToServer extends MonitorClientEvents {
  'time:ping': (p: { t0: number }) => void;
  /** Staff: start receiving events for a session (proctors only for their rooms). */
  'staff:watch': (p: { sessionId: string }, ack: (r: { ok: boolean; error?: string }) => void) => void;
}
