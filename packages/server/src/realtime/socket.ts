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
import { guardInbound } from './inbound.ts';
import { socketOriginCheck } from '../http/security-headers.ts';
import { watchTargets } from '../services/access.ts';

type IO = Server<ClientToServer, ServerToClient, Record<string, never>, { principal: Principal }>;
export type InvigilSocket = Socket<ClientToServer, ServerToClient, Record<string, never>, { principal: Principal }>;

/** A feature's socket events (monitoring, signalling…), registered on every authenticated connection. */
export type SocketHandler = (socket: InvigilSocket, ctx: Ctx, io: IO) => void;

export interface SocketRealtime extends RealtimeBus {
  io: IO;
  /** Cuts every open socket of a login (`auth`) or of a staff user (`user`), on every process: sessions revoked. */
  disconnect(who: PrincipalTarget): Promise<void>;
  /** Ends this process's sockets (the browsers reconnect elsewhere or after a restart): before the HTTP server closes. */
  disconnectAll(): void;
  close(): Promise<void>;
}

/** Per-principal channels every socket joins, so a revoked login loses its sockets at once. */
export type PrincipalTarget = { auth: string } | { user: string };
export const principalChannel = (t: PrincipalTarget) => ('auth' in t ? `auth:${t.auth}` : `user:${t.user}`);

export async function attachRealtime(app: FastifyInstance, ctx: Ctx, handlers: SocketHandler[] = []): Promise<SocketRealtime> {
  const io: IO = new Server(app.server, { path: '/socket.io', serveClient: false, pingInterval: 10_000, pingTimeout: 8_000, allowRequest: socketOriginCheck(ctx.config) });
  let closeRedis = async () => {};
  if (ctx.config.redisUrl) {
    const { createClient } = await import('redis');
    const { createAdapter } = await import('@socket.io/redis-adapter');
    const pub = createClient({ url: ctx.config.redisUrl });
    const sub = pub.duplicate();
    // Redis restarted or away: node-redis reconnects by itself; without a listener every failed try is printed as
    // "missing 'error' handler" (seen in scripts/faults/run.ts --fault redis). Logged once per outage instead.
    let down = false;
    for (const c of [pub, sub]) {
      c.on('error', (err: Error) => {
        if (!down) app.log.warn({ err: err.message }, 'socket.io Redis adapter: connection lost, reconnecting');
        down = true;
      });
      c.on('ready', () => (down = false));
    }
    await Promise.all([pub.connect(), sub.connect()]);
    io.adapter(createAdapter(pub, sub));
    closeRedis = async () => {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    };
  }

  io.use(async (socket, next) => {
    const cookies = parseCookie(socket.handshake.headers.cookie ?? '');
    const token = cookies[SESSION_COOKIE];
    const p = await resolveToken(ctx, token).catch(() => null);
    if (!p) return next(new Error('UNAUTHENTICATED'));
    socket.data.principal = p;
    // Guarded here, in the middleware, so it runs before any `connection` listener registers a handler.
    guardInbound(socket, p.kind === 'staff' ? p.role : p.kind, app.log, async () => (await resolveToken(ctx, token)) !== null);
    next();
  });

  io.on('connection', (socket: InvigilSocket) => {
    const p = socket.data.principal;
    void socket.join(principalChannel({ auth: p.authId }));
    if (p.kind === 'staff') void socket.join(principalChannel({ user: p.userId }));
    for (const h of handlers) h(socket, ctx, io);
    if (p.kind === 'candidate') void socket.join(channel({ attempt: p.attemptId }));
    socket.on('time:ping', ({ t0 }) => socket.emit('time:pong', { t0, serverNow: ctx.clock.now() }));
    socket.on('staff:watch', async ({ sessionId }, ack) => {
      const targets = await watchTargets(ctx, p, sessionId);
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
    async disconnect(who) {
      io.in(principalChannel(who)).disconnectSockets(true);
    },
    disconnectAll() {
      io.local.disconnectSockets(true);
    },
    async close() {
      await new Promise<void>((r) => io.close(() => r()));
      await closeRedis();
    },
  };
}
