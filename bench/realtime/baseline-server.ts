// Bench child: the least a socket.io server must do for the same traffic — no auth, no database: a candidate
// names its room in the handshake, proctors join it, thumbnails and status are relayed as they come.
import http from 'node:http';
import { Server } from 'socket.io';

const N = Number(process.env.BENCH_CANDIDATES ?? 1000);
const PER_ROOM = Number(process.env.BENCH_PER_ROOM ?? 30);
const server = http.createServer();
const io = new Server(server, { path: '/socket.io', serveClient: false, pingInterval: 10_000, pingTimeout: 8_000 });
io.on('connection', (socket) => {
  const room = String(socket.handshake.query.room ?? '');
  const attemptId = String(socket.handshake.query.attempt ?? '');
  socket.on('staff:watch', (_p: unknown, ack: (r: { ok: boolean }) => void) => {
    void socket.join(`room:${room}`);
    ack({ ok: true });
  });
  socket.on('monitor:thumb', (m: { jpeg: Buffer }) => io.to(`room:${room}`).emit('monitor:thumb', { attemptId, at: Date.now(), jpeg: m.jpeg }));
  socket.on('monitor:status', (s: Record<string, unknown>) => io.to(`room:${room}`).emit('monitor:status', { attemptId, at: Date.now(), ...s }));
});
server.listen(0, '127.0.0.1', () => {
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const rooms = Math.ceil(N / PER_ROOM);
  const candidates = Array.from({ length: N }, (_, i) => ({ token: '', room: Math.floor(i / PER_ROOM), attemptId: `a${i}` }));
  process.send!({ base, sessionId: 'bench', proctors: Array.from({ length: rooms }, () => ''), candidates });
});
process.on('SIGTERM', () => io.close(() => process.exit(0)));
