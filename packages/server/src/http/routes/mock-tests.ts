// Mock tests (自助试测 / 集中试测), readiness (试测情况) and extra time: validate, authorize, delegate.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AttemptState, ExtraTimeBody, Id, IdParams, PracticeAttempts, Readiness, ReadinessQuery, SelfTestStatus } from '@invigil/contracts';
import type { Ctx } from '../../services/context.ts';
import type { BlobStore } from '../../adapters/blob/port.ts';
import { attemptState } from '../../services/attempts.ts';
import { actorOf } from '../../services/auth.ts';
import { ownPracticeAttempts, ownPracticeRecording, selfTestStatus, startAnotherPractice } from '../../services/practice/attempts.ts';
import { readiness, readinessTable } from '../../services/practice/readiness.ts';
import { CSV_TYPE, toCsv, toXlsx, XLSX_TYPE } from '../../services/export/sheet.ts';
import { setExtraTime } from '../../services/accommodation.ts';
import { candidate, staff } from '../access.ts';
import { notFound } from '../errors.ts';
import { parseRange } from './recordings.ts';
import { dashboardTouched } from '../../services/dashboard.ts';

const C = { access: ['candidate'] as const };
const READINESS = { access: ['admin', 'support'] as const };
const ADMIN = { access: ['admin'] as const };

export async function mockTestRoutes(app: FastifyInstance, ctx: Ctx, deps: { blobs: BlobStore }) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const me = (req: Parameters<typeof candidate>[0]) => {
    const p = candidate(req);
    return { candidateId: p.candidateId, attemptId: p.attemptId, clientId: p.clientId, authId: p.authId, actor: actorOf(p) };
  };

  r.get('/api/attempt/self-test', { config: C, schema: { response: { 200: SelfTestStatus } } }, (req) => selfTestStatus(ctx, me(req).candidateId));
  r.get('/api/attempt/practice', { config: C, schema: { response: { 200: PracticeAttempts } } }, (req) => ownPracticeAttempts(ctx, me(req)));
  r.post('/api/attempt/practice/again', { config: C, schema: { response: { 200: AttemptState } } }, async (req) => {
    const id = await startAnotherPractice(ctx, me(req));
    dashboardTouched(ctx, app.realtime, id);
    return attemptState(ctx, id);
  });

  // Playback of one's own practice recordings, streamed with HTTP Range (video players seek with it).
  r.get('/api/attempt/practice/recordings/:recordingId/file', { config: C, schema: { params: z.object({ recordingId: Id }) } }, async (req, reply) => {
    const rec = await ownPracticeRecording(ctx, me(req), req.params.recordingId);
    const info = await deps.blobs.head(rec.assembled_ref!);
    if (!info) throw notFound();
    reply.header('accept-ranges', 'bytes').header('content-type', 'video/webm').header('cache-control', 'private, no-store');
    const range = parseRange(req.headers.range, info.bytes);
    if (range === 'unsatisfiable') return reply.status(416).header('content-range', `bytes */${info.bytes}`).send();
    if (!range) return reply.header('content-length', info.bytes).send(await deps.blobs.get(rec.assembled_ref!));
    return reply
      .status(206)
      .header('content-range', `bytes ${range.start}-${range.end}/${info.bytes}`)
      .header('content-length', range.end - range.start + 1)
      .send(await deps.blobs.get(rec.assembled_ref!, range));
  });

  r.get('/api/sessions/:id/readiness', { config: READINESS, schema: { params: IdParams, querystring: ReadinessQuery, response: { 200: Readiness } } }, (req) =>
    readiness(ctx, req.params.id, req.query.filter),
  );
  r.get('/api/sessions/:id/readiness.:format', { config: READINESS, schema: { params: IdParams.extend({ format: z.enum(['xlsx', 'csv']) }), querystring: ReadinessQuery } }, async (req, reply) => {
    staff(req);
    const table = readinessTable(await readiness(ctx, req.params.id, req.query.filter));
    const name = `readiness-${req.params.id}.${req.params.format}`;
    reply.header('content-disposition', `attachment; filename="${name}"`);
    if (req.params.format === 'csv') return reply.type(CSV_TYPE).send(toCsv(table));
    return reply.type(XLSX_TYPE).send(await toXlsx([table]));
  });

  r.put(
    '/api/sessions/:id/candidates/:candidateId/extra-time',
    { config: ADMIN, schema: { params: IdParams.extend({ candidateId: Id }), body: ExtraTimeBody, response: { 200: z.object({ candidateId: Id, extraTimeSec: z.number().int() }) } } },
    (req) => setExtraTime(ctx, actorOf(staff(req)), req.params.id, req.params.candidateId, req.body.extraTimeSec),
  );
}
