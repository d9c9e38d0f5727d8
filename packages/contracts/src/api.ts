// The HTTP API as the web apps call it: one entry per route with its method, path and the same zod schemas the
// server validates with. The web client (packages/web/src/api/client.ts `call`) derives every request and
// response type from here, so no app writes an `/api/...` string or a response type by hand.
// packages/server/test/api-routes.test.ts proves each entry against the live server: the route exists with this
// method and path, and its params, query, body and 200 response have the same JSON Schema as the server's.
// Add a route here when a web app starts calling it.
import { z } from 'zod';
import { AuditVerifyResult, Candidate, CandidateInput, Dashboard, DocumentInput, DocumentSchema, Exam, ExamInput, ImportResult, Panel, PanelInput, Question, QuestionInput, Room, RoomInput, Session, SessionInput, StaffUser, StaffUserInput, StaffUserPatch } from './admin.ts';
import { Me, StaffLoginBody } from './auth.ts';
import { AttemptState, HelpBody, HelpMessage, HelpThread, StaffSession } from './candidate.ts';
import { Id, IdParams, Ok } from './common.ts';
import { FaceManualDecisionBody, FaceManualItem, FaceManualQuery } from './face.ts';
import { EndByStaffBody, Flag, FlagReviewBody, FlagsQuery, SessionMonitor, SupportRow, Warning, WarningBody } from './monitoring.ts';
import { SessionProof } from './proof.ts';
import { MonitorAnswer, MonitorBatch, MonitorConfig, MonitorPreview, MonitorReweightResult, MonitorRulesBody, SessionMonitorRules } from './monitor.ts';
import { FinalizeBody, Recording, RecordingOpenBody, SegmentAck, SegmentParams, SessionRecordings } from './recordings.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiRoute {
  method: HttpMethod;
  path: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The 200 answer; null for a route that answers a file (an image, a video), used as a URL. */
  response: z.ZodType | null;
}

/** `{ id: string }` for '/api/sessions/:id' — the path's own parameters, typed from the path string. */
export type PathParams<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? { [K in Name]: string } & PathParams<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? { [K in Name]: string }
    : Record<never, never>;

export type ResponseOf<R extends ApiRoute> = R['response'] extends z.ZodType ? z.output<R['response']> : never;
export type BodyOf<R extends ApiRoute> = R['body'] extends z.ZodType ? z.input<R['body']> : never;
export type QueryOf<R extends ApiRoute> = R['query'] extends z.ZodType ? z.input<R['query']> : never;

const route = <const R extends ApiRoute>(r: R): R => r;
const SessionChild = z.object({ id: Id, childId: Id });
const AttemptParams = z.object({ attemptId: Id });
const RecordingParams = z.object({ recordingId: Id });

export const routes = {
  // Staff login (admin, proctor, examiner, support)
  login: route({ method: 'POST', path: '/api/auth/login', body: StaffLoginBody, response: Me }),
  logout: route({ method: 'POST', path: '/api/auth/logout', response: Ok }),
  me: route({ method: 'GET', path: '/api/auth/me', response: Me }),

  // Administration
  exams: route({ method: 'GET', path: '/api/exams', response: z.array(Exam) }),
  createExam: route({ method: 'POST', path: '/api/exams', body: ExamInput, response: Exam }),
  updateExam: route({ method: 'PUT', path: '/api/exams/:id', params: IdParams, body: ExamInput, response: Exam }),
  examSessions: route({ method: 'GET', path: '/api/exams/:id/sessions', params: IdParams, response: z.array(Session) }),
  createSession: route({ method: 'POST', path: '/api/exams/:id/sessions', params: IdParams, body: SessionInput, response: Session }),
  session: route({ method: 'GET', path: '/api/sessions/:id', params: IdParams, response: Session }),
  updateSession: route({ method: 'PUT', path: '/api/sessions/:id', params: IdParams, body: SessionInput, response: Session }),
  dashboard: route({ method: 'GET', path: '/api/sessions/:id/dashboard', params: IdParams, response: Dashboard }),
  rooms: route({ method: 'GET', path: '/api/sessions/:id/rooms', params: IdParams, response: z.array(Room) }),
  createRoom: route({ method: 'POST', path: '/api/sessions/:id/rooms', params: IdParams, body: RoomInput, response: Room }),
  updateRoom: route({ method: 'PUT', path: '/api/sessions/:id/rooms/:childId', params: SessionChild, body: RoomInput, response: Room }),
  panels: route({ method: 'GET', path: '/api/sessions/:id/panels', params: IdParams, response: z.array(Panel) }),
  createPanel: route({ method: 'POST', path: '/api/sessions/:id/panels', params: IdParams, body: PanelInput, response: Panel }),
  updatePanel: route({ method: 'PUT', path: '/api/sessions/:id/panels/:childId', params: SessionChild, body: PanelInput, response: Panel }),
  documents: route({ method: 'GET', path: '/api/sessions/:id/documents', params: IdParams, response: z.array(DocumentSchema) }),
  createDocument: route({ method: 'POST', path: '/api/sessions/:id/documents', params: IdParams, body: DocumentInput, response: DocumentSchema }),
  updateDocument: route({ method: 'PUT', path: '/api/sessions/:id/documents/:childId', params: SessionChild, body: DocumentInput, response: DocumentSchema }),
  questions: route({ method: 'GET', path: '/api/sessions/:id/questions', params: IdParams, response: z.array(Question) }),
  createQuestion: route({ method: 'POST', path: '/api/sessions/:id/questions', params: IdParams, body: QuestionInput, response: Question }),
  updateQuestion: route({ method: 'PUT', path: '/api/sessions/:id/questions/:childId', params: SessionChild, body: QuestionInput, response: Question }),
  candidates: route({
    method: 'GET',
    path: '/api/sessions/:id/candidates',
    params: IdParams,
    query: z.object({ offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(500).default(50), q: z.string().max(64).optional() }),
    response: z.object({ total: z.number().int(), items: z.array(Candidate) }),
  }),
  createCandidate: route({ method: 'POST', path: '/api/sessions/:id/candidates', params: IdParams, body: CandidateInput, response: Candidate }),
  deleteCandidate: route({ method: 'DELETE', path: '/api/sessions/:id/candidates/:childId', params: SessionChild, response: Ok }),
  /** Multipart (a `file` field): sent with uploadWithProgress, not call(). */
  importCandidates: route({ method: 'POST', path: '/api/sessions/:id/candidates/import', params: IdParams, response: ImportResult }),
  staff: route({ method: 'GET', path: '/api/staff', response: z.array(StaffUser) }),
  createStaff: route({ method: 'POST', path: '/api/staff', body: StaffUserInput, response: StaffUser }),
  updateStaff: route({ method: 'PATCH', path: '/api/staff/:id', params: IdParams, body: StaffUserPatch, response: StaffUser }),
  auditVerify: route({ method: 'GET', path: '/api/audit/verify', response: AuditVerifyResult }),

  // Proctoring: the console, 求助, warnings, ending an exam, the support view
  staffSessions: route({ method: 'GET', path: '/api/staff/sessions', response: z.array(StaffSession) }),
  monitor: route({ method: 'GET', path: '/api/sessions/:id/monitor', params: IdParams, response: SessionMonitor }),
  flags: route({ method: 'GET', path: '/api/sessions/:id/flags', params: IdParams, query: FlagsQuery, response: z.array(Flag) }),
  flagEvidence: route({ method: 'GET', path: '/api/flags/:id/evidence', params: IdParams, response: null }),
  reviewFlag: route({ method: 'POST', path: '/api/flags/:id/review', params: IdParams, body: FlagReviewBody, response: Flag }),
  warnings: route({ method: 'GET', path: '/api/attempts/:attemptId/warnings', params: AttemptParams, response: z.array(Warning) }),
  sendWarning: route({ method: 'POST', path: '/api/attempts/:attemptId/warnings', params: AttemptParams, body: WarningBody, response: Warning }),
  endAttempt: route({ method: 'POST', path: '/api/attempts/:attemptId/end', params: AttemptParams, body: EndByStaffBody, response: Ok }),
  support: route({ method: 'GET', path: '/api/sessions/:id/support', params: IdParams, response: z.array(SupportRow) }),
  sessionRecordings: route({ method: 'GET', path: '/api/sessions/:id/recordings', params: IdParams, response: SessionRecordings }),
  sessionProof: route({ method: 'GET', path: '/api/sessions/:id/proof', params: IdParams, response: SessionProof }),
  helpThreads: route({ method: 'GET', path: '/api/help/threads', query: z.object({ sessionId: Id.optional() }), response: z.array(HelpThread) }),
  helpMessages: route({ method: 'GET', path: '/api/help/threads/:attemptId', params: AttemptParams, response: z.array(HelpMessage) }),
  replyHelp: route({ method: 'POST', path: '/api/help/threads/:attemptId', params: AttemptParams, body: HelpBody, response: HelpMessage }),
  attempt: route({ method: 'GET', path: '/api/attempts/:attemptId', params: AttemptParams, response: AttemptState }),
  sessionAttempts: route({
    method: 'GET',
    path: '/api/sessions/:id/attempts',
    params: IdParams,
    response: z.array(z.object({ attemptId: Id, candidateName: z.string(), ticket: z.string(), roomId: Id.nullable(), status: z.string(), liveSeenAt: z.number().nullable(), endReason: z.string().nullable() })),
  }),

  // Face verification reviewed by a person
  faceManual: route({ method: 'GET', path: '/api/face/manual', query: FaceManualQuery, response: z.array(FaceManualItem) }),
  faceManualDecision: route({ method: 'POST', path: '/api/face/manual/:id/decision', params: IdParams, body: FaceManualDecisionBody, response: FaceManualItem }),
  faceManualCapture: route({ method: 'GET', path: '/api/face/manual/:id/capture', params: IdParams, response: null }),
  faceManualPhoto: route({ method: 'GET', path: '/api/face/manual/:id/photo', params: IdParams, response: null }),

  // The candidate's in-exam warnings (monitoring/CandidateMonitoring.tsx)
  myWarnings: route({ method: 'GET', path: '/api/attempt/warnings', response: z.array(Warning) }),
  ackWarning: route({ method: 'POST', path: '/api/attempt/warnings/:id/ack', params: IdParams, response: Warning }),

  // The in-exam monitor (issue #19): the candidate's worker posts its camera scores; admins re-weight the rules.
  monitorConfig: route({ method: 'GET', path: '/api/attempt/monitor/config', response: MonitorConfig }),
  monitorBatch: route({ method: 'POST', path: '/api/attempt/monitor', body: MonitorBatch, response: MonitorAnswer }),
  monitorRules: route({ method: 'GET', path: '/api/sessions/:id/monitor-rules', params: IdParams, response: SessionMonitorRules }),
  previewMonitorRules: route({ method: 'POST', path: '/api/sessions/:id/monitor-rules/preview', params: IdParams, body: MonitorRulesBody, response: MonitorPreview }),
  applyMonitorRules: route({ method: 'PUT', path: '/api/sessions/:id/monitor-rules', params: IdParams, body: MonitorRulesBody, response: MonitorReweightResult }),

  // The segment upload protocol (recordings.ts; media/protocol.ts). The segment PUT has a raw body and headers.
  openRecording: route({ method: 'POST', path: '/api/attempts/:attemptId/recordings', params: AttemptParams, body: RecordingOpenBody, response: Recording }),
  recording: route({ method: 'GET', path: '/api/recordings/:recordingId', params: RecordingParams, response: Recording }),
  putSegment: route({ method: 'PUT', path: '/api/recordings/:recordingId/segments/:seq', params: SegmentParams, response: SegmentAck }),
  finalizeRecording: route({ method: 'POST', path: '/api/recordings/:recordingId/finalize', params: RecordingParams, body: FinalizeBody, response: Recording }),
} as const satisfies Record<string, ApiRoute>;

export type Routes = typeof routes;

/** A path with its `:name` parameters filled in (encoded). */
export function pathOf<R extends ApiRoute>(r: R, params: PathParams<R['path']>): string {
  const values = params as Record<string, string | number>;
  return r.path.replace(/:(\w+)/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined || v === '') throw new Error(`${r.method} ${r.path}: no value for :${name}`);
    return encodeURIComponent(String(v));
  });
}
