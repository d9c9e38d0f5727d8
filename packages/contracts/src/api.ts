// The HTTP API as the web apps call it: one entry per route with its method, path and the same zod schemas the
// server validates with. The web client (packages/web/src/api/client.ts `call`) derives every request and
// response type from here, so no app writes an `/api/...` string or a response type by hand.
// packages/server/test/api-routes.test.ts proves each entry against the live server: the route exists with this
// method and path, and its params, query, body and 200 response have the same JSON Schema as the server's.
// Add a route here when a web app starts calling it.
import { z } from 'zod';
import {
  AuditVerifyResult,
  Candidate,
  CandidateInput,
  Dashboard,
  DashboardCandidates,
  DashboardStageQuery,
  DocumentInput,
  DocumentSchema,
  Exam,
  ExamInput,
  ImportResult,
  Panel,
  PanelInput,
  Question,
  QuestionInput,
  Room,
  RoomInput,
  Session,
  SessionInput,
  StaffUser,
  StaffUserInput,
  StaffUserPatch,
} from './admin.ts';
import { CandidateLoginBody, Me, PublicSchedule, StaffLoginBody } from './auth.ts';
import { AttemptState, DeviceCheck, DocumentView, EnterBody, Heartbeat, HelpBody, HelpMessage, HelpThread, QuestionView, SignalBatch, StaffSession } from './candidate.ts';
import { Id, IdParams, Ok } from './common.ts';
import {
  FaceConsentBody,
  FaceImportReport,
  FaceManualBody,
  FaceManualDecisionBody,
  FaceManualItem,
  FaceManualQuery,
  FacePhotoBody,
  FacePhotoResult,
  FaceState,
  FaceVerifyBody,
  FaceVerifyResult,
  FaceVerifyTicketParams,
} from './face.ts';
import { ExportQuery, SupportReport } from './exports.ts';
import { EndByStaffBody, Flag, FlagReviewBody, FlagsQuery, SessionMonitor, SupportRow, Warning, WarningBody } from './monitoring.ts';
import { ExtraTimeBody, PracticeAttempts, Readiness, ReadinessQuery, SelfTestStatus } from './practice.ts';
import { BindBody, BindCodeIssued, GapBody, PhoneHeartbeat, PhoneState, ProofStatus, SessionProof, StageBody } from './proof.ts';
import { MonitorAnswer, MonitorBatch, MonitorConfig, MonitorPreview, MonitorReweightResult, MonitorRulesBody, SessionMonitorRules } from './monitor.ts';
import { FinalizeBody, Recording, RecordingOpenBody, SegmentAck, SegmentParams, SessionRecordings } from './recordings.ts';
import { ConductBody, MyScore, ReviewAttempt, ReviewPanel, ReviewPanelDetail, ReviewParams, ReviewStreamParams, Rubric, RubricInput, ScoreBody, SessionResults, UnlockBody } from './review.ts';

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
const PanelParams = z.object({ panelId: ReviewParams.shape.panelId });
const Format = z.enum(['xlsx', 'csv']);

export const routes = {
  // Staff login (admin, proctor, examiner, support)
  login: route({ method: 'POST', path: '/api/auth/login', body: StaffLoginBody, response: Me }),
  logout: route({ method: 'POST', path: '/api/auth/logout', response: Ok }),
  me: route({ method: 'GET', path: '/api/auth/me', response: Me }),
  // Anonymous: the upcoming login-open and start times (the candidate login page's countdown)
  publicSchedule: route({ method: 'GET', path: '/api/public/schedule', response: PublicSchedule }),

  // Administration
  exams: route({ method: 'GET', path: '/api/exams', response: z.array(Exam) }),
  createExam: route({ method: 'POST', path: '/api/exams', body: ExamInput, response: Exam }),
  updateExam: route({ method: 'PUT', path: '/api/exams/:id', params: IdParams, body: ExamInput, response: Exam }),
  examSessions: route({ method: 'GET', path: '/api/exams/:id/sessions', params: IdParams, response: z.array(Session) }),
  createSession: route({ method: 'POST', path: '/api/exams/:id/sessions', params: IdParams, body: SessionInput, response: Session }),
  session: route({ method: 'GET', path: '/api/sessions/:id', params: IdParams, response: Session }),
  updateSession: route({ method: 'PUT', path: '/api/sessions/:id', params: IdParams, body: SessionInput, response: Session }),
  dashboard: route({ method: 'GET', path: '/api/sessions/:id/dashboard', params: IdParams, response: Dashboard }),
  dashboardStage: route({ method: 'GET', path: '/api/sessions/:id/dashboard/candidates', params: IdParams, query: DashboardStageQuery, response: DashboardCandidates }),
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
  /** Accommodation: seconds added to one candidate's answering time (audited). */
  setExtraTime: route({
    method: 'PUT',
    path: '/api/sessions/:id/candidates/:candidateId/extra-time',
    params: IdParams.extend({ candidateId: Id }),
    body: ExtraTimeBody,
    response: z.object({ candidateId: Id, extraTimeSec: z.number().int() }),
  }),
  /** 报名照片: one photo (admin registers or replaces; support adds a missing one), a .zip of many (raw body, admin). */
  registerPhoto: route({ method: 'POST', path: '/api/face/candidates/:candidateId/photo', params: z.object({ candidateId: Id }), body: FacePhotoBody, response: FacePhotoResult }),
  candidatePhoto: route({ method: 'GET', path: '/api/face/candidates/:candidateId/photo', params: z.object({ candidateId: Id }), response: null }),
  importPhotos: route({ method: 'POST', path: '/api/face/sessions/:sessionId/photos.zip', params: z.object({ sessionId: Id }), response: FaceImportReport }),
  /** Files (.xlsx / CSV), used as download links: 考勤 and 上传与佐证 (admin, support), 违纪 (admin). */
  sessionExport: route({ method: 'GET', path: '/api/sessions/:id/export/:report', params: IdParams.extend({ report: SupportReport }), query: ExportQuery, response: null }),
  flagsExport: route({ method: 'GET', path: '/api/sessions/:id/export/flags', params: IdParams, query: ExportQuery, response: null }),
  staff: route({ method: 'GET', path: '/api/staff', response: z.array(StaffUser) }),
  createStaff: route({ method: 'POST', path: '/api/staff', body: StaffUserInput, response: StaffUser }),
  updateStaff: route({ method: 'PATCH', path: '/api/staff/:id', params: IdParams, body: StaffUserPatch, response: StaffUser }),
  auditVerify: route({ method: 'GET', path: '/api/audit/verify', response: AuditVerifyResult }),

  // Results and scoring, administered (apps/admin RubricTab, ResultsTab)
  rubric: route({ method: 'GET', path: '/api/sessions/:id/rubric', params: IdParams, response: z.object({ rubric: Rubric.nullable() }) }),
  saveRubric: route({ method: 'PUT', path: '/api/sessions/:id/rubric', params: IdParams, body: RubricInput, response: Rubric }),
  results: route({ method: 'GET', path: '/api/sessions/:id/results', params: IdParams, response: SessionResults }),
  resultsExport: route({ method: 'GET', path: '/api/sessions/:id/results/export', params: IdParams, query: z.object({ format: Format.default('xlsx') }), response: null }),
  publishResults: route({ method: 'POST', path: '/api/sessions/:id/results/publish', params: IdParams, response: Ok }),
  unlockScore: route({ method: 'POST', path: '/api/scores/:id/unlock', params: IdParams, body: UnlockBody, response: Ok }),
  decideConduct: route({ method: 'PUT', path: '/api/attempts/:attemptId/conduct', params: AttemptParams, body: ConductBody, response: Ok }),
  // Self-test readiness of a session (readiness/ReadinessView.tsx)
  readiness: route({ method: 'GET', path: '/api/sessions/:id/readiness', params: IdParams, query: ReadinessQuery, response: Readiness }),
  readinessExport: route({ method: 'GET', path: '/api/sessions/:id/readiness.:format', params: IdParams.extend({ format: Format }), query: ReadinessQuery, response: null }),

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
    response: z.array(
      z.object({ attemptId: Id, candidateName: z.string(), ticket: z.string(), roomId: Id.nullable(), status: z.string(), liveSeenAt: z.number().nullable(), endReason: z.string().nullable() }),
    ),
  }),

  // Face verification reviewed by a person
  faceManual: route({ method: 'GET', path: '/api/face/manual', query: FaceManualQuery, response: z.array(FaceManualItem) }),
  faceManualDecision: route({ method: 'POST', path: '/api/face/manual/:id/decision', params: IdParams, body: FaceManualDecisionBody, response: FaceManualItem }),
  faceManualCapture: route({ method: 'GET', path: '/api/face/manual/:id/capture', params: IdParams, response: null }),
  faceManualPhoto: route({ method: 'GET', path: '/api/face/manual/:id/photo', params: IdParams, response: null }),

  // The examiner's review (apps/review)
  reviewPanels: route({ method: 'GET', path: '/api/review/panels', response: z.array(ReviewPanel) }),
  reviewPanel: route({ method: 'GET', path: '/api/review/panels/:panelId', params: PanelParams, response: ReviewPanelDetail }),
  reviewAttempt: route({ method: 'GET', path: '/api/review/panels/:panelId/candidates/:anon', params: ReviewParams, response: ReviewAttempt }),
  // One assembled recording (HTTP Range). The review page derives this URL from its own route, so its players
  // start loading at once, in parallel with reviewAttempt; the server's `streams[].url` is the same URL.
  reviewStream: route({ method: 'GET', path: '/api/review/panels/:panelId/candidates/:anon/streams/:stream', params: ReviewStreamParams, response: null }),
  saveScore: route({ method: 'PUT', path: '/api/review/panels/:panelId/candidates/:anon/score', params: ReviewParams, body: ScoreBody, response: MyScore }),
  submitScore: route({ method: 'POST', path: '/api/review/panels/:panelId/candidates/:anon/score/submit', params: ReviewParams, body: ScoreBody, response: MyScore }),

  // The candidate's journey (apps/candidate): login, the attempt, documents, entering, signals, 求助
  candidateLogin: route({ method: 'POST', path: '/api/auth/candidate-login', body: CandidateLoginBody, response: Me }),
  myAttempt: route({ method: 'GET', path: '/api/attempt', response: AttemptState }),
  heartbeat: route({ method: 'POST', path: '/api/attempt/heartbeat', response: Heartbeat }),
  deviceCheck: route({ method: 'POST', path: '/api/attempt/device-check', body: DeviceCheck, response: Ok }),
  myDocument: route({ method: 'GET', path: '/api/attempt/documents/:id', params: IdParams, response: DocumentView }),
  markDocumentRead: route({ method: 'POST', path: '/api/attempt/documents/:id/read', params: IdParams, response: AttemptState }),
  enter: route({ method: 'POST', path: '/api/attempt/enter', body: EnterBody, response: AttemptState }),
  ready: route({ method: 'POST', path: '/api/attempt/ready', response: AttemptState }),
  myQuestion: route({ method: 'GET', path: '/api/attempt/question', response: QuestionView }),
  endMyAttempt: route({ method: 'POST', path: '/api/attempt/end', response: AttemptState }),
  /** Also sent with navigator.sendBeacon when the page closes (signals.ts). */
  signals: route({ method: 'POST', path: '/api/attempt/events', body: SignalBatch, response: Ok }),
  /** A raw application/octet-stream body, timed by devices/environment.ts: not sent with call(). */
  speedTest: route({ method: 'POST', path: '/api/attempt/speed-test', response: z.object({ bytes: z.number().int() }) }),
  myHelp: route({ method: 'GET', path: '/api/attempt/help', response: z.array(HelpMessage) }),
  sendMyHelp: route({ method: 'POST', path: '/api/attempt/help', body: HelpBody, response: HelpMessage }),
  // The candidate's face login (apps/candidate/face)
  myFace: route({ method: 'GET', path: '/api/face/me', response: FaceState }),
  faceConsent: route({ method: 'POST', path: '/api/face/me/consent', body: FaceConsentBody, response: FaceState }),
  faceVerify: route({ method: 'POST', path: '/api/face/me/verify', body: FaceVerifyBody, response: FaceVerifyResult }),
  faceVerifyPoll: route({ method: 'GET', path: '/api/face/me/verify/:ticket', params: FaceVerifyTicketParams, response: FaceVerifyResult }),
  faceRequestManual: route({ method: 'POST', path: '/api/face/me/manual', body: FaceManualBody, response: FaceState }),
  // Self-test and practice (apps/candidate/practice)
  selfTest: route({ method: 'GET', path: '/api/attempt/self-test', response: SelfTestStatus }),
  practice: route({ method: 'GET', path: '/api/attempt/practice', response: PracticeAttempts }),
  practiceAgain: route({ method: 'POST', path: '/api/attempt/practice/again', response: AttemptState }),
  practiceRecording: route({ method: 'GET', path: '/api/attempt/practice/recordings/:recordingId/file', params: RecordingParams, response: null }),
  // The proof camera: the desktop's panel and the phone (apps/phone)
  bindCode: route({ method: 'POST', path: '/api/proof/bind-code', response: BindCodeIssued }),
  proofStatus: route({ method: 'GET', path: '/api/proof/status', response: ProofStatus }),
  bindPhone: route({ method: 'POST', path: '/api/proof/bind', body: BindBody, response: PhoneState }),
  phone: route({ method: 'GET', path: '/api/proof/phone', response: PhoneState }),
  phoneHeartbeat: route({ method: 'POST', path: '/api/proof/heartbeat', body: PhoneHeartbeat, response: PhoneState }),
  phoneStage: route({ method: 'POST', path: '/api/proof/stage', body: StageBody, response: PhoneState }),
  phoneGap: route({ method: 'POST', path: '/api/proof/gaps', body: GapBody, response: Ok }),

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
