// The one gate every inbound socket.io event passes: listed in contracts' `inboundSocketEvents`, sent by a
// principal allowed to send it, payload parsed by its zod schema — all before any handler runs. A handler that
// throws or rejects answers its ack with INTERNAL and is logged; nothing a client sends can leave the process
// (issue #13: one `time:ping` without a payload used to crash the server for every candidate).
import type { Socket } from 'socket.io';
import type { FastifyBaseLogger } from 'fastify';
import { inboundSocketEvents, type SocketRefusal, type SocketSender } from '@invigil/contracts';

type Ack = (r: unknown) => void;
type Refusal = SocketRefusal['error'];

/** Messages per socket: a burst and a steady rate far above any honest client (a thumbnail a second, ICE bursts). */
const BURST = 200;
const PER_SEC = 50;

export interface InboundCounters {
  refused: Record<Refusal, number>;
  handlerErrors: number;
}
export const inboundCounters: InboundCounters = { refused: { VALIDATION_FAILED: 0, FORBIDDEN: 0, UNKNOWN_EVENT: 0, RATE_LIMITED: 0, INTERNAL: 0 }, handlerErrors: 0 };

export function guardInbound(socket: Socket, sender: SocketSender, log: FastifyBaseLogger, revalidate?: () => Promise<boolean>) {
  let tokens = BURST;
  let last = Date.now();
  let checkedAt = Date.now();
  const refuse = (ack: Ack | undefined, error: Refusal) => {
    inboundCounters.refused[error]++;
    if (ack) safeAck(ack, { ok: false, error });
  };

  socket.use((packet, next) => {
    const [event] = packet;
    const lastArg = packet[packet.length - 1];
    const ack = packet.length > 1 && typeof lastArg === 'function' ? (lastArg as Ack) : undefined;
    const now = Date.now();
    tokens = Math.min(BURST, tokens + ((now - last) / 1000) * PER_SEC);
    last = now;
    if (tokens < 1) return refuse(ack, 'RATE_LIMITED');
    tokens--;
    const def = typeof event === 'string' && Object.hasOwn(inboundSocketEvents, event) ? inboundSocketEvents[event as keyof typeof inboundSocketEvents] : undefined;
    if (!def) return refuse(ack, 'UNKNOWN_EVENT');
    if (!(def.from as readonly SocketSender[]).includes(sender)) return refuse(ack, 'FORBIDDEN');
    const args = packet.slice(1, ack ? -1 : undefined);
    const parsed = args.length === 1 ? def.payload.safeParse(args[0]) : null;
    if (!parsed?.success) return refuse(ack, 'VALIDATION_FAILED');
    if (def.ack && !ack) return refuse(undefined, 'VALIDATION_FAILED');
    packet.length = 1;
    packet.push(parsed.data, ...(ack ? [ack] : []));
    // A session revoked elsewhere (another process, the CLI) is noticed at the next message, at most every 10 s.
    if (revalidate && now - checkedAt > 10_000) {
      checkedAt = now;
      void revalidate().then(
        (alive) => {
          if (alive) next();
          else socket.disconnect(true);
        },
        () => next(),
      );
      return;
    }
    next();
  });

  // Every listener registered on this socket (here and by features) runs inside the guard.
  const on = socket.on.bind(socket);
  socket.on = ((event: string, handler: (...a: unknown[]) => unknown) =>
    on(event, (...a: unknown[]) => {
      const lastArg = a[a.length - 1];
      const ack = typeof lastArg === 'function' ? (lastArg as Ack) : undefined;
      const fail = (err: unknown) => {
        inboundCounters.handlerErrors++;
        log.error({ err, event, socket: socket.id }, 'socket handler failed');
        if (ack) safeAck(ack, { ok: false, error: 'INTERNAL' });
      };
      try {
        const r = handler(...a);
        if (r && typeof (r as Promise<unknown>).then === 'function') (r as Promise<unknown>).catch(fail);
      } catch (err) {
        fail(err);
      }
    })) as typeof socket.on;
}

function safeAck(ack: Ack, r: unknown) {
  try {
    ack(r);
  } catch {
    // The client went away; nothing to answer.
  }
}
