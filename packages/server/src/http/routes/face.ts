// Face login and identity routes (contracts/face.ts lists them): validate, authorize, delegate to services/face.
// Also serves Human's model files (and the tfjs wasm binaries) to browsers from our own server — never a CDN.
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  FaceCheckBody,
  FaceCheckResult,
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
  FaceVerifyQueued,
  FaceVerifyResult,
  FaceVerifyTicketParams,
  Id,
  IdParams,
} from '@invigil/contracts';
import type { Readable } from 'node:stream';
import type { Ctx } from '../../services/context.ts';
import type { BlobStore } from '../../adapters/blob/port.ts';
import type { FaceEngine } from '../../adapters/face/port.ts';
import { locateHumanAssets, type HumanAssets } from '../../adapters/face/human.ts';
import { candidate, staff } from '../access.ts';
import { actorOf } from '../../services/auth.ts';
import { decodeBase64Image, importPhotoZip, readRegisteredPhoto, registerPhoto } from '../../services/face/registration.ts';
import { faceState, pollLogin, recordConsent, requestManual, submitLogin } from '../../services/face/login.ts';
import { VerifyQueue } from '../../services/face/verify-queue.ts';
import { decideManual, listManual, readManualCapture, readManualPhoto } from '../../services/face/manual.ts';
import { checkIdentity } from '../../services/face/checks.ts';
import { defaultFaceSettings, type FaceDeps, type FaceSettings } from '../../services/face/settings.ts';
import { dashboardChanged } from '../../services/dashboard.ts';

const ADMIN = { access: ['admin'] as const };
const PHOTO_READERS = { access: ['admin', 'support', 'proctor'] as const };
const REVIEWERS = { access: ['admin', 'support', 'proctor'] as const };
const CANDIDATE = { access: ['candidate'] as const };
const PHOTO_WRITERS = { access: ['admin', 'support'] as const };

/** A photo is ≲ 1 MB; three webcam frames in base64 ≲ 1 MB; an import zip of a large session ≲ a few hundred MB. */
const PHOTO_BODY_LIMIT = 12 * 1024 * 1024;
const FRAMES_BODY_LIMIT = 8 * 1024 * 1024;
const ZIP_BODY_LIMIT = 512 * 1024 * 1024;

export interface FaceRouteDeps {
  blobs: BlobStore;
  engine: FaceEngine;
  settings?: FaceSettings;
  /** Human's files for /models/; found in node_modules when omitted. */
  assets?: HumanAssets;
  /** Login verifications running at once; the rest queue with their place shown (default 2: the engine's pool stays fed). */
  verifyConcurrency?: number;
  /** How long GET /api/face/me/verify/:ticket holds a waiting browser before answering its place (default 3 s). */
  verifyHoldMs?: number;
}

const sendImage = (reply: FastifyReply, body: Readable, type = 'image/jpeg') => reply.header('content-type', type).header('cache-control', 'no-store').send(body);

export async function faceRoutes(app: FastifyInstance, ctx: Ctx, deps: FaceRouteDeps) {
  const verifyQueue = new VerifyQueue<FaceVerifyResult>({ concurrency: deps.verifyConcurrency ?? 2 });
  const d: FaceDeps = { blobs: deps.blobs, engine: deps.engine, settings: deps.settings ?? defaultFaceSettings(), verifyQueue };
  const holdMs = deps.verifyHoldMs ?? 3000;
  /** 200 with the decision, or 202 with the place in the queue. */
  // A decision that lets the candidate on moves the session's dashboard (queued ones when their decision is fetched).
  const answer = (reply: FastifyReply, sessionId: string, a: FaceVerifyResult | FaceVerifyQueued) => {
    if (!('queued' in a) && a.passed) dashboardChanged(ctx, app.realtime, sessionId);
    return reply.status('queued' in a ? 202 : 200).send(a);
  };
  await faceAssetRoutes(app, deps.assets ?? locateHumanAssets());

  // Encapsulated: the zip body parser and the larger body limits apply to these routes only.
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/zip', { parseAs: 'buffer', bodyLimit: ZIP_BODY_LIMIT }, (_req, body, done) => done(null, body));
    const r = scope.withTypeProvider<ZodTypeProvider>();
    const CandidateParams = z.object({ candidateId: Id });
    const SessionParams = z.object({ sessionId: Id });

    // Admin registers or replaces; support may only add a missing photo (exam morning), audited like any other.
    r.post(
      '/api/face/candidates/:candidateId/photo',
      { config: PHOTO_WRITERS, bodyLimit: PHOTO_BODY_LIMIT, schema: { params: CandidateParams, body: FacePhotoBody, response: { 200: FacePhotoResult } } },
      (req) => {
        const s = staff(req);
        return registerPhoto(ctx, d, actorOf(s), req.params.candidateId, decodeBase64Image(req.body.imageBase64), { onlyIfMissing: s.role !== 'admin' });
      },
    );

    r.post(
      '/api/face/sessions/:sessionId/photos.zip',
      { config: ADMIN, bodyLimit: ZIP_BODY_LIMIT, schema: { params: SessionParams, body: z.instanceof(Buffer), response: { 200: FaceImportReport } } },
      (req) => importPhotoZip(ctx, d, actorOf(staff(req)), req.params.sessionId, req.body),
    );

    r.get('/api/face/candidates/:candidateId/photo', { config: { access: ['admin', 'support'] as const }, schema: { params: CandidateParams } }, async (req, reply) => {
      const photo = await readRegisteredPhoto(ctx, d, actorOf(staff(req)), req.params.candidateId);
      return sendImage(reply, photo.body, photo.contentType);
    });

    r.get('/api/face/me', { config: CANDIDATE, schema: { response: { 200: FaceState } } }, (req) => faceState(ctx, d, candidate(req)));

    r.post('/api/face/me/consent', { config: CANDIDATE, schema: { body: FaceConsentBody, response: { 200: FaceState } } }, (req) =>
      recordConsent(ctx, d, candidate(req), req.body.accepted, req.body.policyVersion),
    );

    r.post(
      '/api/face/me/verify',
      { config: CANDIDATE, bodyLimit: FRAMES_BODY_LIMIT, schema: { body: FaceVerifyBody, response: { 200: FaceVerifyResult, 202: FaceVerifyQueued } } },
      async (req, reply) => answer(reply, candidate(req).sessionId, await submitLogin(ctx, d, candidate(req), req.body.frames.map(decodeBase64Image), req.body.challengeId, req.lang)),
    );

    r.get('/api/face/me/verify/:ticket', { config: CANDIDATE, schema: { params: FaceVerifyTicketParams, response: { 200: FaceVerifyResult, 202: FaceVerifyQueued } } }, async (req, reply) =>
      answer(reply, candidate(req).sessionId, await pollLogin(d, candidate(req), req.params.ticket, holdMs)),
    );

    r.post('/api/face/me/manual', { config: CANDIDATE, schema: { body: FaceManualBody, response: { 200: FaceState } } }, (req) => requestManual(ctx, d, candidate(req), req.body.note));

    r.post('/api/face/me/check', { config: CANDIDATE, bodyLimit: FRAMES_BODY_LIMIT, schema: { body: FaceCheckBody, response: { 200: FaceCheckResult } } }, async (req) => {
      const c = candidate(req);
      const result = await checkIdentity(ctx, d, app.realtime, c, decodeBase64Image(req.body.frame));
      return { outcome: result.outcome, similarity: result.similarity, flagged: result.flagged };
    });

    r.get('/api/face/manual', { config: REVIEWERS, schema: { querystring: FaceManualQuery, response: { 200: z.array(FaceManualItem) } } }, (req) => {
      const s = staff(req);
      return listManual(ctx, s, req.query.status);
    });

    r.post('/api/face/manual/:id/decision', { config: REVIEWERS, schema: { params: IdParams, body: FaceManualDecisionBody, response: { 200: FaceManualItem } } }, async (req) => {
      const s = staff(req);
      return decideManual(ctx, s, req.params.id, req.body.approve, req.body.reason, app.realtime);
    });

    r.get('/api/face/manual/:id/capture', { config: PHOTO_READERS, schema: { params: IdParams } }, async (req, reply) => {
      const s = staff(req);
      return sendImage(reply, await readManualCapture(ctx, d, s, req.params.id));
    });

    r.get('/api/face/manual/:id/photo', { config: PHOTO_READERS, schema: { params: IdParams } }, async (req, reply) => {
      const s = staff(req);
      return sendImage(reply, await readManualPhoto(ctx, d, s, req.params.id));
    });
  });
}

const TYPES: Record<string, string> = { '.json': 'application/json', '.bin': 'application/octet-stream', '.wasm': 'application/wasm' };

/** Serves a file of `root` named by the wildcard, or 404; only known model/wasm types, never outside root. */
function serveFrom(root: string, name: string, reply: FastifyReply) {
  const file = path.resolve(root, name);
  const type = TYPES[path.extname(file)];
  if (!type || !file.startsWith(path.resolve(root) + path.sep) || !fs.existsSync(file)) return reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'Not found.' } });
  // Model files change only with the package version: let browsers keep them for a day.
  return reply.header('content-type', type).header('cache-control', 'public, max-age=86400').send(fs.createReadStream(file));
}

/**
 * GET /models/<file> — Human's models for the browser (config.modelBasePath = '/models/').
 * GET /models/wasm/<file> — the tfjs wasm binaries (config.wasmPath = '/models/wasm/'), when installed.
 */
export async function faceAssetRoutes(app: FastifyInstance, assets: HumanAssets) {
  app.get<{ Params: { '*': string } }>('/models/wasm/*', (req, reply) =>
    assets.wasmDir ? serveFrom(assets.wasmDir, req.params['*'], reply) : reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'tfjs wasm binaries are not installed' } }),
  );
  app.get<{ Params: { '*': string } }>('/models/*', (req, reply) => serveFrom(assets.modelsDir, req.params['*'], reply));
}
