// Administration API: thin handlers that validate, authorize (config.access) and delegate to services.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
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
  IdParams,
  ImportResult,
  Ok,
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
  Id,
} from '@invigil/contracts';
import type { Ctx } from '../../services/context.ts';
import * as admin from '../../services/admin.ts';
import { createSession, updateSession } from '../../services/sessions.ts';
import { importCandidates } from '../../services/candidate-import.ts';
import { verifyAudit } from '../../services/audit.ts';
import { actorOf, type Principal } from '../../services/auth.ts';
import { dashboard, stageCandidates } from '../../services/dashboard.ts';
import { requireDashboard } from '../../services/access.ts';
import { AppError } from '../errors.ts';

const A = { access: ['admin'] as const };
const SessionChild = z.object({ id: Id, childId: Id });

export async function adminRoutes(app: FastifyInstance, ctx: Ctx) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const actor = (req: { principal: unknown }) => actorOf(req.principal as Parameters<typeof actorOf>[0]);

  r.get('/api/exams', { config: A, schema: { response: { 200: z.array(Exam) } } }, () => admin.listExams(ctx));
  r.post('/api/exams', { config: A, schema: { body: ExamInput, response: { 200: Exam } } }, (req) => admin.createExam(ctx, actor(req), req.body));
  r.put('/api/exams/:id', { config: A, schema: { params: IdParams, body: ExamInput, response: { 200: Exam } } }, (req) => admin.updateExam(ctx, actor(req), req.params.id, req.body));
  r.get('/api/exams/:id/sessions', { config: A, schema: { params: IdParams, response: { 200: z.array(Session) } } }, (req) => admin.listSessions(ctx, req.params.id));
  r.post('/api/exams/:id/sessions', { config: A, schema: { params: IdParams, body: SessionInput, response: { 200: Session } } }, (req) => createSession(ctx, actor(req), req.params.id, req.body));

  r.get('/api/sessions/:id', { config: A, schema: { params: IdParams, response: { 200: Session } } }, (req) => admin.getSession(ctx, req.params.id));
  r.put('/api/sessions/:id', { config: A, schema: { params: IdParams, body: SessionInput, response: { 200: Session } } }, (req) => updateSession(ctx, actor(req), req.params.id, req.body));
  // The live dashboard; pushed afterwards as 'dashboard:changed' to the session's channel (services/dashboard.ts).
  const D = { access: ['admin', 'support'] as const };
  r.get('/api/sessions/:id/dashboard', { config: D, schema: { params: IdParams, response: { 200: Dashboard } } }, async (req) => {
    await requireDashboard(ctx, req.principal as Principal, req.params.id);
    return dashboard(ctx, req.params.id);
  });
  r.get('/api/sessions/:id/dashboard/candidates', { config: D, schema: { params: IdParams, querystring: DashboardStageQuery, response: { 200: DashboardCandidates } } }, async (req) => {
    await requireDashboard(ctx, req.principal as Principal, req.params.id);
    return stageCandidates(ctx, req.params.id, req.query.stage);
  });

  r.get('/api/sessions/:id/rooms', { config: A, schema: { params: IdParams, response: { 200: z.array(Room) } } }, (req) => admin.listRooms(ctx, req.params.id));
  r.post('/api/sessions/:id/rooms', { config: A, schema: { params: IdParams, body: RoomInput, response: { 200: Room } } }, (req) => admin.saveRoom(ctx, actor(req), req.params.id, null, req.body));
  r.put('/api/sessions/:id/rooms/:childId', { config: A, schema: { params: SessionChild, body: RoomInput, response: { 200: Room } } }, (req) =>
    admin.saveRoom(ctx, actor(req), req.params.id, req.params.childId, req.body),
  );

  r.get('/api/sessions/:id/panels', { config: A, schema: { params: IdParams, response: { 200: z.array(Panel) } } }, (req) => admin.listPanels(ctx, req.params.id));
  r.post('/api/sessions/:id/panels', { config: A, schema: { params: IdParams, body: PanelInput, response: { 200: Panel } } }, (req) => admin.savePanel(ctx, actor(req), req.params.id, null, req.body));
  r.put('/api/sessions/:id/panels/:childId', { config: A, schema: { params: SessionChild, body: PanelInput, response: { 200: Panel } } }, (req) =>
    admin.savePanel(ctx, actor(req), req.params.id, req.params.childId, req.body),
  );

  r.get('/api/sessions/:id/documents', { config: A, schema: { params: IdParams, response: { 200: z.array(DocumentSchema) } } }, (req) => admin.listDocuments(ctx, req.params.id));
  r.post('/api/sessions/:id/documents', { config: A, schema: { params: IdParams, body: DocumentInput, response: { 200: DocumentSchema } } }, (req) =>
    admin.saveDocument(ctx, actor(req), req.params.id, null, req.body),
  );
  r.put('/api/sessions/:id/documents/:childId', { config: A, schema: { params: SessionChild, body: DocumentInput, response: { 200: DocumentSchema } } }, (req) =>
    admin.saveDocument(ctx, actor(req), req.params.id, req.params.childId, req.body),
  );

  r.get('/api/sessions/:id/questions', { config: A, schema: { params: IdParams, response: { 200: z.array(Question) } } }, (req) => admin.listQuestions(ctx, req.params.id));
  r.post('/api/sessions/:id/questions', { config: A, schema: { params: IdParams, body: QuestionInput, response: { 200: Question } } }, (req) =>
    admin.saveQuestion(ctx, actor(req), req.params.id, null, req.body),
  );
  r.put('/api/sessions/:id/questions/:childId', { config: A, schema: { params: SessionChild, body: QuestionInput, response: { 200: Question } } }, (req) =>
    admin.saveQuestion(ctx, actor(req), req.params.id, req.params.childId, req.body),
  );

  r.get(
    '/api/sessions/:id/candidates',
    {
      config: A,
      schema: {
        params: IdParams,
        querystring: z.object({ offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(500).default(50), q: z.string().max(64).optional() }),
        response: { 200: z.object({ total: z.number().int(), items: z.array(Candidate) }) },
      },
    },
    (req) => admin.listCandidates(ctx, req.params.id, req.query),
  );
  r.post('/api/sessions/:id/candidates', { config: A, schema: { params: IdParams, body: CandidateInput, response: { 200: Candidate } } }, (req) =>
    admin.createCandidate(ctx, actor(req), req.params.id, req.body),
  );
  r.delete('/api/sessions/:id/candidates/:childId', { config: A, schema: { params: SessionChild, response: { 200: Ok } } }, async (req) => {
    await admin.deleteCandidate(ctx, actor(req), req.params.id, req.params.childId);
    return { ok: true as const };
  });
  r.post('/api/sessions/:id/candidates/import', { config: A, schema: { params: IdParams, response: { 200: ImportResult } } }, async (req) => {
    const file = await req.file({ limits: { fileSize: 20 * 1024 * 1024 } });
    if (!file) throw new AppError('IMPORT_UNREADABLE');
    const buf = await file.toBuffer();
    return importCandidates(ctx, actor(req), req.params.id, buf, file.filename, req.lang);
  });

  r.get('/api/staff', { config: A, schema: { response: { 200: z.array(StaffUser) } } }, () => admin.listStaff(ctx));
  r.post('/api/staff', { config: A, schema: { body: StaffUserInput, response: { 200: StaffUser } } }, (req) => admin.createStaff(ctx, actor(req), req.body));
  r.patch('/api/staff/:id', { config: A, schema: { params: IdParams, body: StaffUserPatch, response: { 200: StaffUser } } }, async (req) => {
    const user = await admin.updateStaff(ctx, actor(req), req.params.id, req.body);
    // The service ended their sessions; their open sockets go too, or they would keep hearing the exam.
    if (req.body.disabled || req.body.password) await app.realtime?.disconnect({ user: req.params.id });
    return user;
  });

  r.get('/api/audit/verify', { config: A, schema: { response: { 200: AuditVerifyResult } } }, () => verifyAudit(ctx.db));
}
