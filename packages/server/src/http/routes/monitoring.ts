// Live monitoring routes (contracts/monitoring.ts lists them): validate, authorize, delegate to services/monitoring.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EndByStaffBody, Flag, FlagReviewBody, FlagsQuery, Id, IdParams, Ok, SessionMonitor, SupportRow, Warning, WarningBody } from '@invigil/contracts';
import type { Ctx } from '../../services/context.ts';
import type { BlobStore } from '../../adapters/blob/port.ts';
import { actorOf } from '../../services/auth.ts';
import * as monitoring from '../../services/monitoring/index.ts';
import { candidate, staff } from '../access.ts';

const WATCHERS = { access: ['admin', 'support', 'proctor'] as const };
const ACTORS = { access: ['admin', 'proctor'] as const };
const SUPPORT = { access: ['admin', 'support'] as const };
const CANDIDATE = { access: ['candidate'] as const };

export interface MonitoringRouteDeps {
  blobs: BlobStore;
}

export async function monitoringRoutes(app: FastifyInstance, ctx: Ctx, deps: MonitoringRouteDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const bus = app.realtime;
  const AttemptParams = z.object({ attemptId: Id });

  r.get('/api/sessions/:id/monitor', { config: WATCHERS, schema: { params: IdParams, response: { 200: SessionMonitor } } }, (req) => monitoring.sessionMonitor(ctx, staff(req), req.params.id));
  r.get('/api/sessions/:id/flags', { config: WATCHERS, schema: { params: IdParams, querystring: FlagsQuery, response: { 200: z.array(Flag) } } }, (req) =>
    monitoring.listFlags(ctx, staff(req), req.params.id, { since: req.query.since, all: req.query.all === '1' }),
  );
  r.get('/api/flags/:id/evidence', { config: WATCHERS, schema: { params: IdParams } }, async (req, reply) => {
    const body = await monitoring.readEvidence(ctx, staff(req), deps.blobs, req.params.id);
    return reply.header('content-type', 'image/jpeg').header('cache-control', 'private, max-age=3600').send(body);
  });
  r.post('/api/flags/:id/review', { config: ACTORS, schema: { params: IdParams, body: FlagReviewBody, response: { 200: Flag } } }, (req) =>
    monitoring.reviewFlag(ctx, staff(req), req.params.id, req.body.decision, req.body.note, bus),
  );
  r.get('/api/attempts/:attemptId/warnings', { config: WATCHERS, schema: { params: AttemptParams, response: { 200: z.array(Warning) } } }, (req) =>
    monitoring.listWarnings(ctx, staff(req), req.params.attemptId),
  );
  r.post('/api/attempts/:attemptId/warnings', { config: ACTORS, schema: { params: AttemptParams, body: WarningBody, response: { 200: Warning } } }, (req) =>
    monitoring.sendWarning(ctx, staff(req), req.params.attemptId, req.body.text, bus),
  );
  r.post('/api/attempts/:attemptId/end', { config: ACTORS, schema: { params: AttemptParams, body: EndByStaffBody, response: { 200: Ok } } }, async (req) => {
    await monitoring.endByStaff(ctx, staff(req), req.params.attemptId, req.body.reason, bus);
    return { ok: true as const };
  });
  r.get('/api/sessions/:id/support', { config: SUPPORT, schema: { params: IdParams, response: { 200: z.array(SupportRow) } } }, (req) => monitoring.supportRows(ctx, staff(req), req.params.id));

  r.get('/api/attempt/warnings', { config: CANDIDATE, schema: { response: { 200: z.array(Warning) } } }, (req) => monitoring.listWarnings(ctx, candidate(req), candidate(req).attemptId, true));
  r.post('/api/attempt/warnings/:id/ack', { config: CANDIDATE, schema: { params: IdParams, response: { 200: Warning } } }, (req) => {
    const c = candidate(req);
    return monitoring.acknowledgeWarning(ctx, actorOf(c), c.attemptId, req.params.id, bus);
  });
}
