// The examiner's API (评委 /review): panels, anonymous numbers, playback and scores. Thin: validate, authorize
// (config.access + panel membership in services/review/panel-access.ts), delegate. Nothing here names a candidate.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MyScore, ReviewAttempt, ReviewEvidenceParams, ReviewPanel, ReviewPanelDetail, ReviewParams, ReviewStreamParams, ScoreBody } from '@invigil/contracts';
import type { Ctx } from '../../services/context.ts';
import type { BlobStore } from '../../adapters/blob/port.ts';
import { evidenceFrame, myPanels, panelDetail, requireReviewTarget, reviewAttempt, saveScore, streamFile } from '../../services/review/index.ts';
import { staff } from '../access.ts';
import { parseRange } from './recordings.ts';

const EXAMINER = { access: ['examiner'] as const };
const PanelParams = z.object({ panelId: ReviewParams.shape.panelId });

export async function reviewRoutes(app: FastifyInstance, ctx: Ctx, blobs: BlobStore) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const target = (req: { principal: unknown; params: { panelId: string; anon: string } }) => requireReviewTarget(ctx, staff(req as never).userId, req.params.panelId, req.params.anon);

  r.get('/api/review/panels', { config: EXAMINER, schema: { response: { 200: z.array(ReviewPanel) } } }, (req) => myPanels(ctx, staff(req).userId));
  r.get('/api/review/panels/:panelId', { config: EXAMINER, schema: { params: PanelParams, response: { 200: ReviewPanelDetail } } }, (req) => panelDetail(ctx, staff(req).userId, req.params.panelId));
  r.get('/api/review/panels/:panelId/candidates/:anon', { config: EXAMINER, schema: { params: ReviewParams, response: { 200: ReviewAttempt } } }, async (req) =>
    reviewAttempt(ctx, staff(req).userId, await target(req)),
  );
  r.put('/api/review/panels/:panelId/candidates/:anon/score', { config: EXAMINER, schema: { params: ReviewParams, body: ScoreBody, response: { 200: MyScore } } }, async (req) =>
    saveScore(ctx, staff(req).userId, await target(req), req.body, false),
  );
  r.post('/api/review/panels/:panelId/candidates/:anon/score/submit', { config: EXAMINER, schema: { params: ReviewParams, body: ScoreBody, response: { 200: MyScore } } }, async (req) =>
    saveScore(ctx, staff(req).userId, await target(req), req.body, true),
  );

  // The assembled recording, ranged and streamed from the blob store (local or S3): a player starts and seeks
  // without the file ever being held in memory.
  r.get('/api/review/panels/:panelId/candidates/:anon/streams/:stream', { config: EXAMINER, schema: { params: ReviewStreamParams } }, async (req, reply) => {
    const file = await streamFile(ctx, blobs, await target(req), req.params.stream);
    reply.header('accept-ranges', 'bytes').header('content-type', 'video/webm').header('cache-control', 'private, max-age=3600');
    const range = parseRange(req.headers.range, file.bytes);
    if (range === 'unsatisfiable') return reply.status(416).header('content-range', `bytes */${file.bytes}`).send();
    if (!range) return reply.header('content-length', file.bytes).send(await blobs.get(file.ref));
    return reply
      .status(206)
      .header('content-range', `bytes ${range.start}-${range.end}/${file.bytes}`)
      .header('content-length', range.end - range.start + 1)
      .send(await blobs.get(file.ref, range));
  });

  r.get('/api/review/panels/:panelId/candidates/:anon/evidence/:eventId', { config: EXAMINER, schema: { params: ReviewEvidenceParams } }, async (req, reply) =>
    reply
      .type('image/jpeg')
      .header('cache-control', 'private, no-store')
      .send(await evidenceFrame(ctx, blobs, staff(req).userId, await target(req), req.params.eventId)),
  );
}
