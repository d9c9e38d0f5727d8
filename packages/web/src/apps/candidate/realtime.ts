// socket.io for the candidate: server clock pings, help replies, and "your attempt changed" pushes.
// REST stays the source of truth: every push only triggers a refetch, so a missed push costs a few seconds.
import { io, type Socket } from 'socket.io-client';
import type { ClientToServer, ServerToClient } from '@invigil/contracts';
import { noteServerTime } from './clock.ts';

export type CandidateSocket = Socket<ServerToClient, ClientToServer>;

let socket: CandidateSocket | null = null;
let pingTimer: ReturnType<typeof setInterval> | null = null;

export function connectRealtime(): CandidateSocket {
  if (socket) return socket;
  const s: CandidateSocket = io({ path: '/socket.io', withCredentials: true, reconnectionDelayMax: 10_000 });
  socket = s;
  s.on('time:pong', ({ t0, serverNow }) => noteServerTime(serverNow, t0, Date.now()));
  const ping = () => s.connected && s.emit('time:ping', { t0: Date.now() });
  s.on('connect', () => {
    ping();
    setTimeout(ping, 1000);
  });
  pingTimer = setInterval(ping, 30_000);
  return s;
}

export function disconnectRealtime() {
  if (pingTimer) clearInterval(pingTimer);
  pingTimer = null;
  socket?.disconnect();
  socket = null;
}
