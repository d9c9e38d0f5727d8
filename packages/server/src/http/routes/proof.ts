// The phone proof camera's routes (contracts/proof.ts): validate, authorize, delegate.
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { BindBody, BindCodeIssued, GapBody, IdParams, Ok, PhoneHeartbeat, PhoneState, ProofStatus, SessionProof, StageBody } from '@invigil/contracts';
import type { Ctx } from '../../services/context.ts';
import type { Bus } from '../../services/bus.ts';
import { actorOf } from '../../services/auth.ts';
import {
  bindPhone,
  heartbeat,
  issueBindCode,
  lanAddresses,
  phoneBaseUrl,
  phoneState,
  proofStatus,
  publishStatus,
  reportGap,
  sessionProof,
  setStage,
  type ProofSettings,
} from '../../services/proof/index.ts';
import { candidate, ownAttempt, phone } from '../access.ts';
import { AppError } from '../errors.ts';
import { SESSION_COOKIE } from './auth.ts';
import { certFiles } from '../../https.ts';
import { disconnectReplacedPhones } from '../../realtime/phone.ts';

export async function proofRoutes(app: FastifyInstance, ctx: Ctx, deps: { bus: Bus; settings?: ProofSettings }) {
  const settings = deps.settings ?? ctx.config.proof;
  const { bus } = deps;
  const io = app.realtime?.io;
  const r = app.withTypeProvider<ZodTypeProvider>();
  const cookieOpts = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: ctx.config.cookieSecure };

  r.post('/api/proof/bind-code', { config: { access: ['candidate'] }, schema: { response: { 200: BindCodeIssued } } }, async (req) => {
    const p = candidate(req);
    const issued = await issueBindCode(ctx, settings, actorOf(p), p.attemptId);
    const { base, selfSigned } = phoneBaseUrl({
      publicUrl: ctx.config.publicUrl,
      https: ctx.config.https,
      httpsPort: ctx.config.httpsPort,
      requestProtocol: req.protocol,
      requestHost: req.host,
      lanAddresses: lanAddresses(),
    });
    return { code: issued.code, url: `${base}/m/b/${issued.code}`, expiresAt: issued.expiresAt, ttlSec: settings.bindCodeTtlSec, selfSigned };
  });

  r.get('/api/proof/status', { config: { access: ['candidate', 'phone'] }, schema: { response: { 200: ProofStatus } } }, (req) => proofStatus(ctx, settings, ownAttempt(req)));

  r.post(
    '/api/proof/bind',
    {
      // Per IP: guessing a code is hopeless at this rate, and a classroom behind one NAT binds one phone each.
      config: { access: 'public', rateLimit: { max: settings.bindRateLimit, timeWindow: '1 minute', hook: 'preHandler' } },
      schema: { body: BindBody, response: { 200: PhoneState } },
    },
    async (req, reply) => {
      // The exam computer's own session would be replaced by the phone's: the candidate meant to use the phone.
      if (req.principal?.kind === 'candidate') throw new AppError('PROOF_SAME_BROWSER');
      const bound = await bindPhone(ctx, settings, bus, { code: req.body.code, userAgent: req.body.userAgent ?? req.headers['user-agent'] ?? null });
      reply.setCookie(SESSION_COOKIE, bound.token, cookieOpts);
      await publishStatus(ctx, settings, bus, bound.attemptId);
      if (bound.revokedPhoneId && io) await disconnectReplacedPhones(io, bound.attemptId, bound.phoneId).catch((err) => req.log.warn({ err }, 'could not disconnect the replaced phone'));
      return phoneState(ctx, settings, bound);
    },
  );

  // HTTPS=selfsigned: the local authority's certificate, for a phone to trust once (docs/phone-https.md).
  r.get('/api/proof/ca.crt', { config: { access: 'public' } }, async (_req, reply) => {
    const file = certFiles(ctx.config.dataDir).caCert;
    if (ctx.config.https !== 'selfsigned' || !fs.existsSync(file)) throw new AppError('NOT_FOUND');
    return reply.type('application/x-x509-ca-cert').header('content-disposition', 'attachment; filename="invigil-ca.crt"').send(fs.readFileSync(file));
  });

  const PHONE = { access: ['phone'] as const };
  r.get('/api/proof/phone', { config: PHONE, schema: { response: { 200: PhoneState } } }, (req) => phoneState(ctx, settings, phone(req)));
  r.post('/api/proof/heartbeat', { config: PHONE, schema: { body: PhoneHeartbeat, response: { 200: PhoneState } } }, (req) => heartbeat(ctx, settings, bus, phone(req), req.body));
  r.post('/api/proof/stage', { config: PHONE, schema: { body: StageBody, response: { 200: PhoneState } } }, (req) => setStage(ctx, settings, bus, phone(req), req.body));
  r.post('/api/proof/gaps', { config: PHONE, schema: { body: GapBody, response: { 200: Ok } } }, async (req) => {
    await reportGap(ctx, settings, bus, phone(req), req.body);
    return { ok: true as const };
  });

  r.get('/api/sessions/:id/proof', { config: { access: ['admin', 'support', 'proctor'] }, schema: { params: IdParams, response: { 200: SessionProof } } }, (req) =>
    sessionProof(ctx, settings, req.principal, req.params.id),
  );
}
