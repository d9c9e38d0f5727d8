// Live monitoring (issue #6): the proctor's room grid, live view, flag feed, warnings, ending an exam, and the
// support view. REST for state and actions; socket.io for thumbnails, presence, WebRTC signalling and pushes.
//
// Staff (admin, support, proctor — a proctor only for their rooms):
//   GET  /api/sessions/:id/monitor          → SessionMonitor (one tile per candidate)
//   GET  /api/sessions/:id/flags?since=     → Flag[] (newest first; `since` = receivedAt, for incremental reads)
//   GET  /api/flags/:eventId/evidence       → image/jpeg (the snapshot kept when the flag was raised)
//   POST /api/flags/:eventId/review         FlagReviewBody → Flag   (admin, proctor)
//   GET  /api/attempts/:attemptId/warnings  → Warning[]
//   POST /api/attempts/:attemptId/warnings  WarningBody → Warning   (admin, proctor)
//   POST /api/attempts/:attemptId/end       EndByStaffBody → Ok     (admin, proctor: ends the exam for a violation)
//   GET  /api/sessions/:id/support          → SupportRow[]          (admin, support)
// Candidate:
//   GET  /api/attempt/warnings              → Warning[] (not yet acknowledged: shown again after a reload)
//   POST /api/attempt/warnings/:id/ack      → Warning
import { z } from 'zod';
import { EpochMs, Id } from './common.ts';
import { AttemptStatus, DeviceCheck } from './candidate.ts';
import { ProofConnection } from './proof.ts';
import { EventType, FlagSeverity } from './events.ts';

/** What a tile says: 未登录 / 已登录 / 待考 / 答题中 / 已结束. */
export const MonitorPhase = z.enum(['absent', 'logged-in', 'waiting', 'answering', 'ended']);
export type MonitorPhase = z.infer<typeof MonitorPhase>;

export const FlagDecision = z.enum(['confirmed', 'dismissed']);
export type FlagDecision = z.infer<typeof FlagDecision>;

export const MonitorTile = z.object({
  candidateId: Id,
  /** null until the candidate first logs in (未登录). */
  attemptId: Id.nullable(),
  candidateName: z.string(),
  ticket: z.string(),
  roomId: Id.nullable(),
  roomName: z.string().nullable(),
  status: AttemptStatus,
  phase: MonitorPhase,
  endReason: z.string().nullable(),
  /** Last heartbeat of the desktop (REST, every 10 s); live presence comes over the socket. */
  liveSeenAt: EpochMs.nullable(),
  proof: ProofConnection.nullable(),
  /** Flags not dismissed, and of those the ones nobody reviewed yet. */
  flags: z.object({ total: z.number().int(), open: z.number().int(), worst: FlagSeverity.nullable(), lastAt: EpochMs.nullable() }),
  helpUnanswered: z.boolean(),
  /** The attempt's stored review priority 0–100 from its events (issue #19, services/monitor/priority.ts). */
  priority: z.number().int(),
});
export type MonitorTile = z.infer<typeof MonitorTile>;

export const SessionMonitor = z.object({ sessionId: Id, now: EpochMs, tiles: z.array(MonitorTile) });
export type SessionMonitor = z.infer<typeof SessionMonitor>;

export const FlagReview = z.object({ decision: FlagDecision, note: z.string(), by: z.string(), at: EpochMs });
export const Flag = z.object({
  id: Id,
  attemptId: Id,
  candidateName: z.string(),
  ticket: z.string(),
  at: EpochMs,
  receivedAt: EpochMs,
  /** A stored legacy name is read as today's (events.ts eventTypeOf); a name outside the vocabulary is no flag. */
  type: EventType,
  severity: FlagSeverity,
  data: z.unknown(),
  evidence: z.boolean(),
  review: FlagReview.nullable(),
});
export type Flag = z.infer<typeof Flag>;
/** The flag feed lists at most this many flags, newest first: what GET /flags answers and what the console keeps as pushes arrive. */
export const FLAG_FEED_LIMIT = 500;
export const FlagsQuery = z.object({ since: z.coerce.number().int().min(0).optional(), all: z.enum(['0', '1']).optional() });
export const FlagReviewBody = z.object({ decision: FlagDecision, note: z.string().trim().max(1000).default('') });

export const Warning = z.object({ id: Id, attemptId: Id, at: EpochMs, text: z.string(), by: z.string(), ackAt: EpochMs.nullable() });
export type Warning = z.infer<typeof Warning>;
export const WarningBody = z.object({ text: z.string().trim().min(1).max(500) });
export const EndByStaffBody = z.object({ reason: z.string().trim().min(2).max(1000) });

export const SupportRow = z.object({
  candidateId: Id,
  attemptId: Id.nullable(),
  candidateName: z.string(),
  ticket: z.string(),
  roomName: z.string().nullable(),
  status: AttemptStatus,
  phase: MonitorPhase,
  loggedInAt: EpochMs.nullable(),
  liveSeenAt: EpochMs.nullable(),
  deviceCheck: DeviceCheck.nullable(),
  deviceCheckedAt: EpochMs.nullable(),
  /** How identity was established: 'face', 'manual', or null (not yet / not required). */
  identity: z.string().nullable(),
  manualPending: z.boolean(),
  /** A registered photo (报名照片) is on file; support may add a missing one on the exam morning. */
  hasPhoto: z.boolean(),
});
export type SupportRow = z.infer<typeof SupportRow>;

// ---- Socket events (added to ServerToClient / ClientToServer in realtime.ts)

/** Which capture device of a candidate: the desktop (camera + screen) or the phone (proof camera). */
export type LiveDevice = 'desktop' | 'phone';
export type LiveStreamKind = 'camera' | 'screen' | 'phone';
export interface IceServer {
  urls: string | string[];
  username?: string;
  credential?: string;
}
/** SDP or ICE candidate, relayed as-is between the proctor and one device. */
export interface LiveSignal {
  viewId: string;
  description?: { type: 'offer' | 'answer'; sdp: string };
  candidate?: { candidate: string; sdpMid: string | null; sdpMLineIndex: number | null } | null;
  /** With the offer: which MediaStream id is which stream. */
  streams?: Record<string, LiveStreamKind>;
}
export interface CandidateStatus {
  /** Bytes and segments recorded but not yet acknowledged by the server. */
  backlogBytes: number;
  backlogSegments: number;
  /** Capture tracks live right now. */
  camera: boolean;
  screen: boolean;
}

export interface MonitorServerEvents {
  /** To staff: a small JPEG of a candidate's camera, every few seconds (never stored). */
  'monitor:thumb': (p: { attemptId: string; at: number; jpeg: ArrayBuffer }) => void;
  'monitor:status': (p: CandidateStatus & { attemptId: string; at: number }) => void;
  /** To staff: a candidate's device connected or left. */
  'monitor:presence': (p: { attemptId: string; device: LiveDevice; online: boolean; at: number }) => void;
  /** To staff: a flag was reviewed, or a warning sent/acknowledged (every proctor of the room stays in step). */
  'flag:reviewed': (f: Flag) => void;
  'warning:changed': (w: Warning) => void;
  /** To a candidate's desktop: send a thumbnail and status now (a proctor opened the grid). */
  'monitor:want': () => void;
  /** To a candidate's desktop: a fresh camera frame for a flag's evidence (JPEG or null). */
  'monitor:snapshot': (p: Record<string, never>, ack: (jpeg: ArrayBuffer | null) => void) => void;
  /** To a candidate's desktop: a warning to show prominently until acknowledged. */
  'warning:show': (w: Warning) => void;
  /** To a device: a proctor wants to watch; answer with an offer addressed to `from`. */
  'live:request': (p: { viewId: string; from: string; iceServers: IceServer[] }) => void;
  /** Both ways, relayed: SDP and ICE. To the proctor it carries `from` = the device socket. */
  'live:signal': (p: LiveSignal & { from?: string }) => void;
  /** The other side closed the view (proctor closed it, device left or refused). */
  'live:closed': (p: { viewId: string; reason: string }) => void;
}

export interface MonitorClientEvents {
  'monitor:thumb': (p: { at: number; jpeg: ArrayBuffer }) => void;
  'monitor:status': (p: CandidateStatus) => void;
  /** Staff: ask the candidates of a session's watched rooms for a thumbnail now. */
  'monitor:refresh': (p: { sessionId: string }) => void;
  /** Staff: open a live view of one device of an attempt. */
  'live:open': (p: { attemptId: string; device: LiveDevice }, ack: (r: { ok: true; viewId: string; iceServers: IceServer[] } | { ok: false; error: string }) => void) => void;
  /** Proctor → device (by viewId) or device → proctor (`to` = the proctor socket of the request). */
  'live:signal': (p: LiveSignal & { to?: string }) => void;
  'live:close': (p: { viewId: string; to?: string; reason?: string }) => void;
}

// ---- Pure rules shared by the server (severity, phase) and the console (review order). Tested in
// packages/server/test/monitoring-rules.test.ts.

const RANK: Record<FlagSeverity, number> = { info: 0, low: 1, medium: 2, high: 3 };
/** The least priority an open flag of a severity stands for (one such event, services/monitor/priority.ts). */
const FLOOR: Record<FlagSeverity, number> = { info: 0, low: 5, medium: 18, high: 39 };
export const worse = (a: FlagSeverity | null, b: FlagSeverity): FlagSeverity => (a && RANK[a] >= RANK[b] ? a : b);

/** 未登录 / 已登录 / 待考 / 答题中 / 已结束 from the attempt status. */
export function phaseOf(status: string): MonitorPhase {
  switch (status) {
    case 'logged-in':
      return 'logged-in';
    case 'entered':
    case 'waiting':
      return 'waiting';
    case 'answering':
      return 'answering';
    case 'ended':
      return 'ended';
    default:
      return 'absent';
  }
}

/** Facts only the browser knows live (socket presence, upload backlog) next to the server's tile. */
export interface LiveFacts {
  online: boolean;
  backlogBytes: number;
}

/**
 * Review order of the proctor grid, higher first: the attempt's review priority (0–100 from its events: severity,
 * duration, count — issue #19) while it has unreviewed flags, then a candidate in the exam who is offline or whose
 * upload is far behind, then an unanswered 求助. Ended and absent candidates sink to the bottom. Between two pushes
 * the tile's stored priority may lag a new flag: the worst open severity keeps a just-flagged tile up meanwhile.
 */
export function reviewPriority(tile: Pick<MonitorTile, 'phase' | 'flags' | 'helpUnanswered' | 'priority'>, live: LiveFacts): number {
  const inExam = tile.phase === 'waiting' || tile.phase === 'answering';
  let p = 0;
  if (tile.flags.open > 0 && tile.flags.worst) p += 100 * Math.max(tile.priority, FLOOR[tile.flags.worst]) + Math.min(tile.flags.open, 99);
  if (inExam && !live.online) p += 1500;
  if (inExam && live.backlogBytes > 50 * 1024 * 1024) p += 500;
  if (tile.helpUnanswered) p += 800;
  if (inExam) p += 1;
  if (tile.phase === 'ended' || tile.phase === 'absent') p -= 20_000;
  return p;
}
