import { z } from 'zod';
import { DocumentKind, EpochMs, Id } from './common.ts';
import { SignalType } from './events.ts';

export const AttemptStatus = z.enum(['not-started', 'logged-in', 'entered', 'waiting', 'answering', 'ended']);
export type AttemptStatus = z.infer<typeof AttemptStatus>;
/** In the exam: entered, waiting for the start, or answering. The one list every rule about "in the exam" uses. */
export const IN_EXAM_STATUSES = ['entered', 'waiting', 'answering'] as const satisfies readonly AttemptStatus[];
export const isInExam = (status: string): boolean => (IN_EXAM_STATUSES as readonly string[]).includes(status);

export const TimelineView = z.object({
  now: EpochMs,
  phase: z.enum(['not-open', 'login-open', 'entry-open', 'in-progress', 'ended']),
  loginOpensAt: EpochMs,
  entryOpensAt: EpochMs,
  entryClosesAt: EpochMs,
  startsAt: EpochMs,
  endsAt: EpochMs,
  canEnter: z.boolean(),
  questionReleased: z.boolean(),
});

export const AttemptState = z.object({
  attemptId: Id,
  status: AttemptStatus,
  candidate: z.object({ name: z.string(), ticket: z.string(), idNumberMasked: z.string() }),
  session: z.object({ id: Id, name: z.string(), examName: z.string(), kind: z.string(), faceRequired: z.boolean(), proofRequired: z.boolean() }),
  timeline: TimelineView,
  documents: z.array(z.object({ id: Id, kind: DocumentKind, title: z.string(), read: z.boolean() })),
  allDocumentsRead: z.boolean(),
  endedAt: EpochMs.nullable(),
  endReason: z.string().nullable(),
});
export type AttemptState = z.infer<typeof AttemptState>;

export const DocumentView = z.object({ id: Id, kind: DocumentKind, title: z.string(), body: z.string(), read: z.boolean() });
export const QuestionView = z.object({ questions: z.array(z.object({ id: Id, title: z.string(), body: z.string() })), endsAt: EpochMs });

export const DeviceCheck = z.object({
  camera: z.enum(['ok', 'denied', 'not-found', 'in-use', 'error']),
  microphone: z.enum(['ok', 'denied', 'not-found', 'in-use', 'error']),
  speaker: z.enum(['ok', 'unconfirmed']),
  browser: z.object({ ok: z.boolean(), userAgent: z.string().max(400) }),
  singleMonitor: z.boolean(),
  storageFreeMb: z.number().nullable(),
  uploadKbps: z.number().nullable(),
});
export type DeviceCheck = z.infer<typeof DeviceCheck>;

export const EnterBody = z.object({ singleMonitor: z.boolean(), displaySurface: z.string().max(32) });

// ---- Candidate journey API (all routes act on the logged-in candidate's own attempt)
//   GET  /api/attempt                      → AttemptState (timeline.now is the server clock: sync from it)
//   POST /api/attempt/heartbeat            → Heartbeat   (every 10 s; 401 when another device took over)
//   POST /api/attempt/device-check         DeviceCheck → Ok (stored for support staff)
//   GET  /api/attempt/documents/:id        → DocumentView
//   POST /api/attempt/documents/:id/read   → AttemptState (【已阅】)
//   POST /api/attempt/enter                EnterBody → AttemptState (【进入考试】: docs read, entry window, single monitor, whole-screen share)
//   POST /api/attempt/ready                → AttemptState (【进入待考】 after 设备确认)
//   GET  /api/attempt/question             → QuestionView (403 QUESTION_NOT_RELEASED before start)
//   POST /api/attempt/end                  → AttemptState (【结束考试】 after confirm)
//   POST /api/attempt/events               SignalBatch → Ok (browser signals: hidden, blur, …)
//   GET  /api/attempt/help                 → HelpMessage[] ; POST /api/attempt/help HelpBody → HelpMessage (【求助】)
export const Heartbeat = z.object({ now: EpochMs, status: AttemptStatus });

export const Signal = z.object({ type: SignalType, at: EpochMs, data: z.record(z.string(), z.unknown()).default({}) });
export const SignalBatch = z.object({ signals: z.array(Signal).min(1).max(100) });

export const HelpBody = z.object({ body: z.string().trim().min(1).max(2000) });
export const HelpMessage = z.object({ id: Id, attemptId: Id, at: EpochMs, from: z.enum(['candidate', 'staff']), staffName: z.string().nullable(), body: z.string() });
export type HelpMessage = z.infer<typeof HelpMessage>;
// Staff side of 求助 (proctor/support/admin; a proctor sees only their rooms):
//   GET  /api/staff/sessions           → StaffSession[] (a proctor: sessions of their rooms; support/admin: all)
//   GET  /api/help/threads?sessionId=  → HelpThread[]
//   GET  /api/help/threads/:attemptId  → HelpMessage[]
//   POST /api/help/threads/:attemptId  HelpBody → HelpMessage
export const HelpThread = z.object({
  attemptId: Id,
  sessionId: Id,
  candidateName: z.string(),
  ticket: z.string(),
  roomName: z.string().nullable(),
  lastAt: EpochMs,
  lastBody: z.string(),
  unanswered: z.boolean(),
});

export const StaffSession = z.object({ id: Id, examName: z.string(), name: z.string(), kind: z.string(), startsAt: EpochMs, endsAt: EpochMs, roomIds: z.array(Id) });
