// socket.io event maps shared by the server and the browser. Connect to path /socket.io with the session cookie.
// Candidates are put in room `attempt:<id>`; staff in `session:<id>` and `room:<id>` after `staff:watch`.
import type { AttemptStatus, HelpMessage } from './candidate.ts';
import type { Dashboard } from './admin.ts';
import type { EventPush } from './events.ts';
import type { ProofStatus } from './proof.ts';
import type { MonitorClientEvents, MonitorServerEvents } from './monitoring.ts';

export interface ServerToClient extends MonitorServerEvents {
  /** Reply to `time:ping`: the server clock, for offset = serverNow − (t0 + t1) / 2. */
  'time:pong': (p: { t0: number; serverNow: number }) => void;
  'help:message': (m: HelpMessage) => void;
  /** The attempt changed (entered, waiting, answering, ended by time or by staff): refetch GET /api/attempt. */
  'attempt:changed': (p: { attemptId: string; status: AttemptStatus | 'face-manual'; reason?: string }) => void;
  /** For staff: an attempt event (signal or flag) as the flag feed shows it, live (services/events.ts raises it). */
  'attempt:signal': (p: EventPush) => void;
  /** The proof camera of an attempt changed (bound, re-paired, recording, silent, uploaded): to the desktop, the
   *  phone and staff. A phone whose phoneId is no longer the bound one has been replaced. */
  'proof:status': (p: ProofStatus) => void;
  /** For admin and support watching the session (its `session:` channel, never a proctor's room channel): the live
   *  dashboard, pushed when a candidate's step changes, at most once per session per 500 ms. */
  'dashboard:changed': (d: Dashboard) => void;
}

export interface ClientToServer extends MonitorClientEvents {
  'time:ping': (p: { t0: number }) => void;
  /** Staff: start receiving events for a session (proctors only for their rooms). */
  'staff:watch': (p: { sessionId: string }, ack: (r: { ok: boolean; error?: string }) => void) => void;
}
