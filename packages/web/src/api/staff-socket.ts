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

/** The latest join of each watched session (again after each reconnect): true once the server let us in. */
const joined = new Map<string, Promise<boolean>>();

function join(s: StaffSocket, sessionId: string): Promise<boolean> {
  const p = s.emitWithAck('staff:watch', { sessionId }).then((r) => {
    if (r.ok) s.emit('monitor:refresh', { sessionId });
    return r.ok;
  });
  joined.set(sessionId, p);
  return p;
}

/**
 * Start receiving a session's events (a proctor: their rooms), and ask its candidates for a thumbnail now.
 * Resolves once the server joined this socket to the session (false if it refused): what was fetched before may
 * have missed a push, so a screen that keeps state from pushes refetches then.
 */
export function watchSession(sessionId: string): Promise<boolean> {
  const s = staffSocket();
  if (!watched.has(sessionId)) {
    watched.add(sessionId);
    if (s.connected) return join(s, sessionId);
  }
  const done = joined.get(sessionId);
  if (done && s.connected) return done;
  // Not connected yet: the 'connect' listener above (registered first) joins, then this one picks it up.
  return new Promise((resolve) => s.once('connect', () => void (joined.get(sessionId) ?? Promise.resolve(false)).then(resolve)));
}

export function closeStaffSocket() {
  socket?.disconnect();
  socket = null;
  watched.clear();
  joined.clear();
}
