// One socket.io connection for every staff screen (the proctor console, the face-review dialog's live view), shared by every hook.
// The sessions being watched are joined again after each reconnect (a reconnect is a new server socket).
import { io, type Socket } from 'socket.io-client';
import type { ClientToServer, ServerToClient } from '@invigil/contracts';

export type StaffSocket = Socket<ServerToClient, ClientToServer>;

let socket: StaffSocket | null = null;
const watched = new Set<string>();

export function staffSocket(): StaffSocket {
  if (socket) return socket;
  const s: StaffSocket = io({ path: '/socket.io', withCredentials: true, reconnectionDelayMax: 5000 });
  s.on('connect', () => {
    for (const id of watched) void join(s, id);
  });
  socket = s;
  return s;
}

async function join(s: StaffSocket, sessionId: string) {
  const r = await s.emitWithAck('staff:watch', { sessionId });
  if (r.ok) s.emit('monitor:refresh', { sessionId });
  return r.ok;
}

/** Start receiving a session's events (a proctor: their rooms), and ask its candidates for a thumbnail now. */
export function watchSession(sessionId: string) {
  const s = staffSocket();
  if (watched.has(sessionId)) return;
  watched.add(sessionId);
  if (s.connected) void join(s, sessionId);
}

export function closeStaffSocket() {
  socket?.disconnect();
  socket = null;
  watched.clear();
}
