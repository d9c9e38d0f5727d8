// Administrators' side of scoring (成绩): the rubric, results with identities, unlocking a score, the 违纪 decision,
// publication and the exports. Every change is audited by the services.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ConductBody, Id, IdParams, Ok, Rubric, RubricInput, SessionResults, UnlockBody } from '@invigil/contracts';
import type { Ctx } from '../../services/context.ts';
import { decideConduct, getRubric, publishResults, requireSession, resultsCsv, resultsWorkbook, saveRubric, sessionResults, unlockScore } from '../../services/review/index.ts';
import { actorOf } from '../../services/auth.ts';
import { staff } from '../access.ts';

const A = { access: ['admin'] as const };
const ok = { ok: true as const };

export async function reviewAdminRoutes(app: FastifyInstance, ctx: Ctx) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const actor = (req: { principal: unknown }) => actorOf(req.principal as Parameters<typeof actorOf>[0]);

  r.get('/api/sessions/:id/rubric', { config: A, schema: { params: IdParams, response: { 200: z.object({ rubric: Rubric.nullable() }) } } }, async (req) => {
    await requireSession(ctx, req.params.id);
    return { rubric: await getRubric(ctx, req.params.id) };
  });
  r.put('/api/sessions/:id/rubric', { config: A, schema: { params: IdParams, body: RubricInput, response: { 200: Rubric } } }, (req) => saveRubric(ctx, actor(req), req.params.id, req.body));
  r.get('/api/sessions/:id/results', { config: A, schema: { params: IdParams, response: { 200: SessionResults } } }, (req) => sessionResults(ctx, req.params.id));
  r.get('/api/sessions/:id/results/export', { config: A, schema: { params: IdParams, querystring: z.object({ format: z.enum(['xlsx', 'csv']).default('xlsx') }) } }, async (req, reply) => {
    const results = await sessionResults(ctx, req.params.id);
    const name = `results-${req.params.id.slice(0, 8)}`;
    if (req.query.format === 'csv') return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(resultsCsv(results));
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="${name}.xlsx"`)
      .send(await resultsWorkbook(results));
  });
  r.post('/api/sessions/:id/results/publish', { config: A, schema: { params: IdParams, response: { 200: Ok } } }, async (req) => {
    await publishResults(ctx, actor(req), req.params.id);
    return ok;
  });
  r.post('/api/scores/:id/unlock', { config: A, schema: { params: IdParams, body: UnlockBody, response: { 200: Ok } } }, async (req) => {
    await unlockScore(ctx, actor(req), req.params.id, req.body.reason);
    return ok;
  });
  r.put('/api/attempts/:attemptId/conduct', { config: A, schema: { params: z.object({ attemptId: Id }), body: ConductBody, response: { 200: Ok } } }, async (req) => {
    await decideConduct(ctx, actor(req), staff(req).userId, req.params.attemptId, req.body);
    return ok;
  });
}
