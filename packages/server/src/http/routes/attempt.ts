// The candidate journey API (contract: packages/contracts/src/candidate.ts). Candidates act on their own attempt only.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AttemptState, DeviceCheck, DocumentView, EnterBody, Heartbeat, HelpBody, HelpMessage, HelpThread, Id, IdParams, Ok, QuestionView, SignalBatch, StaffSession } from '@invigil/contracts';
import type { Ctx } from '../../services/context.ts';
import type { Bus } from '../../services/bus.ts';
import * as attempts from '../../services/attempts.ts';
import * as help from '../../services/help.ts';
import { actorOf } from '../../services/auth.ts';
import { requireAttempt, watchedSessions } from '../../services/access.ts';
import { candidate, staff } from '../access.ts';
import { AppError } from '../errors.ts';
import { limitEvents } from '../limits.ts';

const C = { access: ['candidate'] as const };
const STAFF_WATCH = { access: ['admin', 'support', 'proctor'] as const };

export async function attemptRoutes(app: FastifyInstance, ctx: Ctx, deps: { bus: Bus; gates: attempts.EntryGate[] }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const me = (req: Parameters<typeof candidate>[0]) => candidate(req);

  r.get('/api/attempt', { config: C, schema: { response: { 200: AttemptState } } }, (req) => attempts.attemptState(ctx, me(req).attemptId));
  r.post('/api/attempt/heartbeat', { config: C, schema: { response: { 200: Heartbeat } } }, (req) => attempts.heartbeat(ctx, me(req).attemptId, me(req).clientId));
  r.post('/api/attempt/device-check', { config: C, schema: { body: DeviceCheck, response: { 200: Ok } } }, async (req) => {
    await attempts.saveDeviceCheck(ctx, me(req).attemptId, req.body);
    return { ok: true as const };
  });
  r.get('/api/attempt/documents/:id', { config: C, schema: { params: IdParams, response: { 200: DocumentView } } }, (req) => attempts.readDocument(ctx, me(req).attemptId, req.params.id));
  r.post('/api/attempt/documents/:id/read', { config: C, schema: { params: IdParams, response: { 200: AttemptState } } }, (req) =>
    attempts.markDocumentRead(ctx, actorOf(me(req)), me(req).attemptId, req.params.id),
  );
  r.post('/api/attempt/enter', { config: C, schema: { body: EnterBody, response: { 200: AttemptState } } }, (req) =>
    attempts.enter(ctx, actorOf(me(req)), me(req).attemptId, req.body, deps.gates, deps.bus),
  );
  r.post('/api/attempt/ready', { config: C, schema: { response: { 200: AttemptState } } }, (req) => attempts.ready(ctx, actorOf(me(req)), me(req).attemptId, deps.bus));
  r.get('/api/attempt/question', { config: C, schema: { response: { 200: QuestionView } } }, (req) => attempts.question(ctx, me(req).attemptId));
  r.post('/api/attempt/end', { config: C, schema: { response: { 200: AttemptState } } }, async (req) => {
    await attempts.endAttempt(ctx, actorOf(me(req)), me(req).attemptId, 'candidate', deps.bus);
    return attempts.attemptState(ctx, me(req).attemptId);
  });
  r.post('/api/attempt/events', { config: C, schema: { body: SignalBatch, response: { 200: Ok } } }, async (req) => {
    await limitEvents(req, me(req).attemptId, req.body.signals.length);
    if (await attempts.isEnded(ctx, me(req).attemptId)) throw new AppError('ATTEMPT_ENDED');
    await attempts.recordSignals(ctx, me(req).attemptId, req.body.signals, deps.bus);
    return { ok: true as const };
  });
  // 设备准备: the page times this upload to estimate the candidate's uplink. The bytes are counted and dropped.
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: 2 * 1024 * 1024 }, (_req, body, done) => done(null, body));
    scope.withTypeProvider<ZodTypeProvider>().post('/api/attempt/speed-test', { config: C, schema: { response: { 200: z.object({ bytes: z.number().int() }) } } }, async (req) => ({
      bytes: Buffer.isBuffer(req.body) ? req.body.length : 0,
    }));
  });
  r.get('/api/attempt/help', { config: C, schema: { response: { 200: z.array(HelpMessage) } } }, (req) => help.listMessages(ctx, me(req), me(req).attemptId));
  r.post('/api/attempt/help', { config: C, schema: { body: HelpBody, response: { 200: HelpMessage } } }, (req) => help.postMessage(ctx, me(req), me(req).attemptId, req.body.body, deps.bus));

  // Staff side.
  const AttemptParams = z.object({ attemptId: Id });
  r.get('/api/help/threads', { config: STAFF_WATCH, schema: { querystring: z.object({ sessionId: Id.optional() }), response: { 200: z.array(HelpThread) } } }, (req) =>
    help.listThreads(ctx, staff(req), req.query.sessionId),
  );
  r.get('/api/staff/sessions', { config: STAFF_WATCH, schema: { response: { 200: z.array(StaffSession) } } }, (req) => watchedSessions(ctx, staff(req)));
  r.get('/api/help/threads/:attemptId', { config: STAFF_WATCH, schema: { params: AttemptParams, response: { 200: z.array(HelpMessage) } } }, (req) =>
    help.listMessages(ctx, staff(req), req.params.attemptId),
  );
  r.post('/api/help/threads/:attemptId', { config: STAFF_WATCH, schema: { params: AttemptParams, body: HelpBody, response: { 200: HelpMessage } } }, (req) =>
    help.postMessage(ctx, staff(req), req.params.attemptId, req.body.body, deps.bus),
  );
  r.get(
    '/api/attempts/:attemptId/events',
    { config: STAFF_WATCH, schema: { params: AttemptParams, response: { 200: z.array(z.object({ id: Id, at: z.number(), type: z.string(), data: z.unknown(), receivedAt: z.number() })) } } },
    (req) => attempts.listEvents(ctx, staff(req), req.params.attemptId),
  );
  r.get('/api/attempts/:attemptId', { config: STAFF_WATCH, schema: { params: AttemptParams, response: { 200: AttemptState } } }, async (req) => {
    await requireAttempt(ctx, staff(req), req.params.attemptId);
    return attempts.attemptState(ctx, req.params.attemptId);
  });
  // A staff-readable list of a session's attempts (proctors: their rooms), used by the consoles and tests.
  r.get(
    '/api/sessions/:id/attempts',
    {
      config: STAFF_WATCH,
      schema: {
        params: IdParams,
        response: {
          200: z.array(
            z.object({ attemptId: Id, candidateName: z.string(), ticket: z.string(), roomId: Id.nullable(), status: z.string(), liveSeenAt: z.number().nullable(), endReason: z.string().nullable() }),
          ),
        },
      },
    },
    (req) => attempts.sessionAttempts(ctx, staff(req), req.params.id),
  );
}
