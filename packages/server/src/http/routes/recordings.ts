// Recording upload protocol (contracts/recordings.ts) and the staff views of recordings: validate, authorize,
// delegate. A candidate may only touch their own attempt's recordings (the services enforce it on the first line).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { FinalizeBody, Id, IdParams, Recording, RecordingOpenBody, SegmentAck, SegmentHeaders, SegmentParams, SessionRecordings } from '@invigil/contracts';
import type { Ctx } from '../../services/context.ts';
import type { BlobStore } from '../../adapters/blob/port.ts';
import { finalizeRecording, getRecording, openRecording, putSegment, recordingFor, recordingsStatus, type RecordingCaller } from '../../services/recordings/index.ts';
import { actorOf } from '../../services/auth.ts';
import { UPLOAD_LIMITS } from '../../services/recordings/access.ts';
import { AppError, notFound } from '../errors.ts';

/** MediaRecorder chunks are a few seconds (~200 kB–2 MB); the bound leaves room for long timeslices, not for abuse. */
export const SEGMENT_BODY_LIMIT = UPLOAD_LIMITS.segmentMaxBytes;

// The desktop and the bound phone upload for their own attempt (the phone only ever opens its `phone` stream).
const CANDIDATE = { access: ['candidate', 'phone'] as const };
// Sent by every candidate at the same moment (the exam's start, the common end): these wait their turn (bulk-turns.ts).
const CANDIDATE_BULK = { ...CANDIDATE, bulk: true };
const READERS = { access: ['candidate', 'phone', 'admin', 'support'] as const };
const STAFF_READERS = { access: ['admin', 'support'] as const };
const RecordingParams = z.object({ recordingId: Id });
const AttemptParams = z.object({ attemptId: Id });

function callerOf(req: FastifyRequest): RecordingCaller {
  const p = req.principal!;
  return p.kind === 'candidate' || p.kind === 'phone'
    ? { kind: 'candidate', attemptId: p.attemptId, actor: actorOf(p), device: p.kind === 'phone' ? 'phone' : 'desktop' }
    : { kind: 'staff', actor: actorOf(p) };
}

export async function recordingRoutes(app: FastifyInstance, ctx: Ctx, blobs: BlobStore) {
  // Encapsulated: the raw-bytes parser and its large body limit apply to these routes only.
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: SEGMENT_BODY_LIMIT }, (_req, body, done) => done(null, body));
    const r = scope.withTypeProvider<ZodTypeProvider>();

    r.post('/api/attempts/:attemptId/recordings', { config: CANDIDATE_BULK, schema: { params: AttemptParams, body: RecordingOpenBody, response: { 200: Recording } } }, (req) => {
      // The phone records only the proof video; the desktop never pretends to be the phone.
      if ((req.principal!.kind === 'phone') !== (req.body.stream === 'phone')) throw new AppError('FORBIDDEN');
      return openRecording(ctx, callerOf(req), req.params.attemptId, req.body);
    });

    r.get('/api/recordings/:recordingId', { config: READERS, schema: { params: RecordingParams, response: { 200: Recording } } }, (req) => getRecording(ctx, callerOf(req), req.params.recordingId));

    r.put(
      '/api/recordings/:recordingId/segments/:seq',
      {
        config: CANDIDATE,
        bodyLimit: SEGMENT_BODY_LIMIT,
        schema: { params: SegmentParams, headers: SegmentHeaders, body: z.instanceof(Buffer), response: { 200: SegmentAck } },
        // The answer is our own typed SegmentAck; re-validating it with zod on every segment cost ~5 % of ingest CPU.
        // The schema above still documents it (OpenAPI) and types the handler.
        serializerCompiler: () => (data) => JSON.stringify(data),
      },
      (req) => {
        const h = req.headers;
        const meta = {
          sha256: h['x-segment-sha256'],
          run: h['x-segment-run'],
          recordedAt: h['x-segment-recorded-at'],
          durationMs: h['x-segment-duration-ms'],
          runStartedAt: h['x-segment-run-started-at'],
        };
        return putSegment(ctx, blobs, callerOf(req), req.params.recordingId, req.params.seq, meta, req.body);
      },
    );

    r.post('/api/recordings/:recordingId/finalize', { config: CANDIDATE_BULK, schema: { params: RecordingParams, body: FinalizeBody, response: { 200: Recording } } }, (req) =>
      finalizeRecording(ctx, blobs, callerOf(req), req.params.recordingId, req.body.lastSeq, app.realtime),
    );

    r.get('/api/sessions/:id/recordings', { config: STAFF_READERS, schema: { params: IdParams, response: { 200: SessionRecordings } } }, (req) => recordingsStatus(ctx, req.params.id));

    r.get('/api/recordings/:recordingId/file', { config: STAFF_READERS, schema: { params: RecordingParams } }, async (req, reply) => {
      const rec = await recordingFor(ctx, callerOf(req), req.params.recordingId);
      const info = rec.assembled_ref ? await blobs.head(rec.assembled_ref) : null;
      if (!rec.assembled_ref || !info) throw notFound();
      reply.header('accept-ranges', 'bytes').header('content-type', 'video/webm');
      const range = parseRange(req.headers.range, info.bytes);
      if (range === 'unsatisfiable') return reply.status(416).header('content-range', `bytes */${info.bytes}`).send();
      if (!range) return reply.header('content-length', info.bytes).send(await blobs.get(rec.assembled_ref));
      return reply
        .status(206)
        .header('content-range', `bytes ${range.start}-${range.end}/${info.bytes}`)
        .header('content-length', range.end - range.start + 1)
        .send(await blobs.get(rec.assembled_ref, range));
    });
  });
}

/** One `bytes=a-b` / `bytes=a-` / `bytes=-n` range, which is what video players send; anything else → whole file. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return start >= size || start > end ? 'unsatisfiable' : { start, end };
}
