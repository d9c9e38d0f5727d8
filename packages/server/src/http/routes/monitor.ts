// The in-exam monitor's routes (issue #19; contracts/monitor.ts): the candidate's config and batches, and the
// admin's rules, preview and re-weighting of a session. Validate, authorize, delegate to services/monitor.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParams, MonitorAnswer, MonitorBatch, MonitorConfig, MonitorPreview, MonitorReweightResult, MonitorRulesBody, SessionMonitorRules } from '@invigil/contracts';
import type { Ctx } from '../../services/context.ts';
import type { BlobStore } from '../../adapters/blob/port.ts';
import * as monitor from '../../services/monitor/index.ts';
import { candidate, staff } from '../access.ts';
import { limitMonitor } from '../limits.ts';

const CANDIDATE = { access: ['candidate'] as const };
const ADMIN = { access: ['admin'] as const };

export async function monitorRoutes(app: FastifyInstance, ctx: Ctx, deps: { blobs: BlobStore }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const bus = app.realtime;

  r.get('/api/attempt/monitor/config', { config: CANDIDATE, schema: { response: { 200: MonitorConfig } } }, (req) => monitor.monitorConfig(ctx, candidate(req).attemptId));
  r.post('/api/attempt/monitor', { config: CANDIDATE, schema: { body: MonitorBatch, response: { 200: MonitorAnswer } } }, async (req) => {
    const attemptId = candidate(req).attemptId;
    await limitMonitor(req, attemptId, req.body.samples.length);
    return monitor.ingestBatch(ctx, bus, deps.blobs, attemptId, req.body);
  });

  r.get('/api/sessions/:id/monitor-rules', { config: ADMIN, schema: { params: IdParams, response: { 200: SessionMonitorRules } } }, (req) => monitor.sessionRules(ctx, staff(req), req.params.id));
  r.post('/api/sessions/:id/monitor-rules/preview', { config: ADMIN, schema: { params: IdParams, body: MonitorRulesBody, response: { 200: MonitorPreview } } }, (req) =>
    monitor.previewRules(ctx, staff(req), req.params.id, req.body.rules),
  );
  r.put('/api/sessions/:id/monitor-rules', { config: ADMIN, schema: { params: IdParams, body: MonitorRulesBody, response: { 200: MonitorReweightResult } } }, (req) =>
    monitor.applyRules(ctx, staff(req), req.params.id, req.body.rules),
  );
}
