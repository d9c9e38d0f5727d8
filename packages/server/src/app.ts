// buildApp(config, deps): the Fastify instance with every route, no listen — tests call app.inject().
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pickLang, type Lang } from '@invigil/contracts';
import type { Config } from './config.ts';
import type { OpenedDb } from './adapters/db/database.ts';
import { systemClock, type Clock, type Ctx } from './services/context.ts';
import { resolveToken } from './services/auth.ts';
import { registerAccessControl, type RouteEntry } from './http/access.ts';
import { AppError, errorBody, httpStatus } from './http/errors.ts';
import { registerLimits, trustProxyOf } from './http/limits.ts';
import { registerSecurityHeaders } from './http/security-headers.ts';
import { registerJsonDepthGuard } from './http/json-depth.ts';
import { registerBulkTurns } from './http/bulk-turns.ts';
import { dataDirProbe, isBackendDown, isStorageFull } from './http/health.ts';
import { auditOrigin, useAuditKey } from './services/audit-key.ts';
import { authRoutes, readSessionCookie } from './http/routes/auth.ts';
import { adminRoutes } from './http/routes/admin.ts';
import { attemptRoutes } from './http/routes/attempt.ts';
import { attachRealtime, type SocketHandler, type SocketRealtime } from './realtime/socket.ts';
import type { EntryGate } from './services/attempts.ts';

export const VERSION = '0.1.0';
/**
 * Pending connections the kernel holds for us (Node's default is 511). Thousands of candidates start their
 * exam on the same minute, each opening several connections; an overflowing queue drops handshakes, which the
 * browser only retries after 1–3 s (and sometimes answers with a reset). Linux caps it at net.core.somaxconn.
 */
export const LISTEN_BACKLOG = 4096;
const here = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_WEB_DIST = path.resolve(here, '../../web/dist');

declare module 'fastify' {
  interface FastifyRequest {
    lang: Lang;
  }
  interface FastifyInstance {
    routeTable: RouteEntry[];
    ctx: Ctx;
    realtime: SocketRealtime;
  }
}

export interface Deps {
  db: OpenedDb;
  clock?: Clock;
  /** Extra route plugins (features wired by main.ts and tests), registered after the core ones. */
  plugins?: Array<(app: FastifyInstance, ctx: Ctx) => Promise<void>>;
  /** Socket event handlers of features (monitoring, WebRTC signalling). */
  socketHandlers?: SocketHandler[];
  /** Steps a candidate must pass before 【进入考试】 (face login, proof camera), in order. */
  entryGates?: EntryGate[];
}

export async function buildApp(config: Config, deps: Deps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : { level: config.logLevel, redact: ['req.headers.cookie', 'req.headers.authorization'] },
    genReqId: () => Math.random().toString(36).slice(2, 10),
    trustProxy: trustProxyOf(config.trustProxy),
    bodyLimit: 2 * 1024 * 1024,
  });
  const ctx: Ctx = { db: deps.db.db, dbKind: deps.db.kind, config, clock: deps.clock ?? systemClock };
  app.decorate('ctx', ctx);
  useAuditKey(config);
  // Every audit row written while serving a request records its client address and user agent.
  app.addHook('onRequest', async (req) => {
    auditOrigin.enterWith({ ip: req.ip, userAgent: req.headers['user-agent'] ?? null });
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.decorateRequest('lang', 'zh-CN');
  app.addHook('onRequest', async (req) => {
    const q = (req.query as Record<string, unknown> | undefined)?.lang;
    req.lang = typeof q === 'string' ? pickLang(q) : pickLang(req.headers['accept-language']);
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof AppError) return reply.status(httpStatus(err)).send(errorBody(err, req.lang));
    if (err.validation || err.code === 'FST_ERR_VALIDATION') {
      const detail = err.validation?.map((v) => `${v.instancePath || err.validationContext || ''} ${v.message ?? ''}`.trim()).join('; ') ?? err.message;
      return reply.status(400).send(errorBody(new AppError('VALIDATION_FAILED', { detail }), req.lang));
    }
    if (err.statusCode === 429) return reply.status(429).send(errorBody(new AppError('RATE_LIMITED'), req.lang));
    if (err.statusCode === 413) return reply.status(413).send(errorBody(new AppError('PAYLOAD_TOO_LARGE'), req.lang));
    if (err.statusCode === 415) return reply.status(415).send(errorBody(new AppError('UNSUPPORTED_MEDIA_TYPE'), req.lang));
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return reply.status(err.statusCode).send(errorBody(new AppError('VALIDATION_FAILED', { detail: err.message }), req.lang));
    if (isStorageFull(err)) return reply.status(507).send(errorBody(new AppError('STORAGE_FULL'), req.lang));
    if (isBackendDown(err)) {
      req.log.warn({ err }, 'a backing service is down');
      return reply
        .status(503)
        .header('retry-after', '5')
        .send(errorBody(new AppError('SERVICE_UNAVAILABLE'), req.lang));
    }
    // A truncated or malformed multipart body fails inside busboy with no status: the client's fault, not ours.
    if (!err.statusCode && req.isMultipart()) return reply.status(400).send(errorBody(new AppError('VALIDATION_FAILED', { detail: 'broken multipart body' }), req.lang));
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send(errorBody(new AppError('INTERNAL'), req.lang));
  });

  await app.register(cookie);
  await registerSecurityHeaders(app, config);
  registerJsonDepthGuard(app);
  await app.register(multipart);
  await registerLimits(app, config);
  await app.register(swagger, {
    openapi: { info: { title: 'Invigil API', version: VERSION }, components: { securitySchemes: { cookie: { type: 'apiKey', in: 'cookie', name: 'invigil_sid' } } } },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.routeTable = registerAccessControl(app, (req) => resolveToken(ctx, readSessionCookie(req.cookies)));
  registerBulkTurns(app, config.bulkConcurrency);

  const writable = dataDirProbe(config.dataDir);
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/health',
    {
      config: { access: 'public' },
      schema: {
        response: {
          200: z.object({ status: z.literal('ok'), db: z.enum(['sqlite', 'postgres']), version: z.string(), time: z.number() }),
          503: z.object({ status: z.literal('storage-unwritable'), db: z.enum(['sqlite', 'postgres']), version: z.string(), time: z.number() }),
        },
      },
    },
    async (_req, reply) => {
      const base = { db: ctx.dbKind, version: VERSION, time: ctx.clock.now() };
      if (!(await writable())) return reply.status(503).send({ status: 'storage-unwritable' as const, ...base });
      return { status: 'ok' as const, ...base };
    },
  );

  const realtime = await attachRealtime(app, ctx, deps.socketHandlers ?? []);
  app.decorate('realtime', realtime);
  // preClose: Fastify's HTTP server close waits for every connection, WebSockets included, and runs before onClose.
  app.addHook('preClose', async () => realtime.disconnectAll());
  app.addHook('onClose', () => realtime.close());

  await authRoutes(app, ctx);
  await adminRoutes(app, ctx);
  await attemptRoutes(app, ctx, { bus: realtime, gates: deps.entryGates ?? [] });
  for (const plugin of deps.plugins ?? []) await plugin(app, ctx);

  // The web apps: one Vite build, client-side routes (/, /m, /proctor, /review, /admin) fall back to index.html.
  const webDist = config.webDist ?? DEFAULT_WEB_DIST;
  const hasWeb = fs.existsSync(path.join(webDist, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: webDist, wildcard: false });
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || req.url.startsWith('/socket.io') || !hasWeb || req.method !== 'GET') return reply.status(404).send(errorBody(new AppError('NOT_FOUND'), req.lang));
    return reply.type('text/html').sendFile('index.html');
  });
  return app;
}
