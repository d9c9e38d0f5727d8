// The phone's socket: `proof:status` (a newer phone replaced this one) and `attempt:changed` (the exam ended).
// REST stays the truth; a missed push costs one heartbeat interval.
import { io, type Socket } from 'socket.io-client';
import type { ClientToServer, ServerToClient } from '@invigil/contracts';

export type PhoneSocket = Socket<ServerToClient, ClientToServer>;

export function connectPhoneSocket(): PhoneSocket {
  return io({ path: '/socket.io', withCredentials: true, reconnectionDelayMax: 10_000 });
}
