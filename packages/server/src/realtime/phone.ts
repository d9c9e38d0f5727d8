// The bound phone on socket.io: it joins its attempt's channel (so it hears `proof:status` and the exam's end),
// and a phone replaced by a newer one is told and cut off at once rather than at its next request.
import type { Server } from 'socket.io';
import type { Principal } from '../services/auth.ts';
import { channel } from '../services/bus.ts';
import type { SocketHandler } from './socket.ts';

type IO = Server<any, any, any, { principal: Principal }>;

export const phoneSocketHandler: SocketHandler = (socket) => {
  const p = socket.data.principal;
  if (p?.kind === 'phone') void socket.join(channel({ attempt: p.attemptId }));
};

/** Disconnects every socket of this attempt's phones except the one bound now (works across processes with Redis). */
export async function disconnectReplacedPhones(io: IO, attemptId: string, currentPhoneId: string): Promise<number> {
  const sockets = await io.in(channel({ attempt: attemptId })).fetchSockets();
  let n = 0;
  for (const s of sockets) {
    const p = s.data.principal;
    if (p?.kind === 'phone' && p.phoneId !== currentPhoneId) {
      s.disconnect(true);
      n++;
    }
  }
  return n;
}
