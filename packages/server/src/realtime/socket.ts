// socket.io on the Fastify server. Auth by the same session cookie as the REST API.
// Candidates join their attempt's channel; staff join session/room channels with `staff:watch`
// (a proctor only the rooms assigned to them). Clock sync: `time:ping` → `time:pong`.
import type { FastifyInstance } from 'fastify';
import { Server, type Socket } from 'socket.io';
import { parseCookie } from 'cookie';
import type { ClientToServer, ServerToClient } from '@invigil/contracts';
import type { Ctx } from '../services/context.ts';
import { resolveToken, type Principal } from '../services/auth.ts';
import { SESSION_COOKIE } from '../http/routes/auth.ts';
import { channel, type RealtimeBus, type Target } from './bus.ts';
import { watchTargets } from '../services/access.ts';

type IO = Server<ClientToServer, ServerToClient, Record<string, never>, { principal: Principal }>;
export type InvigilSocket = Socket<ClientToServer, ServerToClient, Record<string, never>, { principal: Principal }>;

/** A feature's socket events (monitoring, signalling…), registered on every authenticated connection. */
export type SocketHandler = (socket: InvigilSocket, ctx: Ctx, io: IO) => void;

export interface SocketRealtime extends RealtimeBus {
  io: IO;
  close(): Promise<void>;
}

export async function attachRealtime(app: FastifyInstance, ctx: Ctx, handlers: SocketHandler[] = []): Promise<SocketRealtime> {
  const io: IO = new Server(app.server, { path: '/socket.io', serveClient: false, pingInterval: 10_000, pingTimeout: 8_000 });
  let closeRedis = async () => {};
  if (ctx.config.redisUrl) {
    const { createClient } = await import('redis');
    const { createAdapter } = await import('@socket.io/redis-adapter');
    const pub = createClient({ url: ctx.config.redisUrl });
    const sub = pub.duplicate();
    await Promise.all([pub.connect(), sub.connect()]);
    io.adapter(createAdapter(pub, sub));
    closeRedis = async () => {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    };
  }

  io.use(async (socket, next) => {
    const cookies = parseCookie(socket.handshake.headers.cookie ?? '');
    const p = await resolveToken(ctx, cookies[SESSION_COOKIE]).catch(() => null);
    if (!p) return next(new Error('UNAUTHENTICATED'));
    socket.data.principal = p;
    next();
  });

  io.on('connection', (socket: InvigilSocket) => {
    const p = socket.data.principal;
    for (const h of handlers) h(socket, ctx, io);
    if (p.kind === 'candidate') void socket.join(channel({ attempt: p.attemptId }));
    socket.on('time:ping', ({ t0 }) => socket.emit('time:pong', { t0, serverNow: ctx.clock.now() }));
    socket.on('staff:watch', async ({ sessionId }, ack) => {
      if (typeof ack !== 'function') return;
      const targets = typeof sessionId === 'string' ? await watchTargets(ctx, p, sessionId) : null;
      if (!targets) return ack({ ok: false, error: 'FORBIDDEN' });
      await socket.join(targets.map(channel));
      ack({ ok: true });
    });
  });

  return {
    io,
    emit(to, event, ...args) {
      const rooms = [to].flat().map((t: Target) => channel(t));
      (io.to(rooms).emit as (ev: string, ...a: unknown[]) => void)(event, ...args);
    },
    async close() {
      await new Promise<void>((r) => io.close(() => r()));
      await closeRedis();
    },
  };
}
