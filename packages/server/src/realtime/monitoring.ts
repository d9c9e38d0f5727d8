// Socket events of live monitoring: thumbnails and status from candidates to the staff of their room, presence,
// and WebRTC signalling between a proctor's browser and one device (desktop or phone) of a candidate.
// The server only relays: media flows peer to peer. Every relay is checked against who may talk to whom, and
// works across server processes (socket ids and channels go through the Redis adapter when it is configured).
import { randomUUID } from 'node:crypto';
import type { LiveDevice, LiveSignal } from '@invigil/contracts';
import type { Ctx } from '../services/context.ts';
import type { SocketHandler, InvigilSocket } from './socket.ts';
import { channel, type Target } from './bus.ts';
import { requireAttempt, staffTargets, watchedRoomIds } from '../services/access.ts';
import { isJpeg, type MonitoringSettings, type SnapshotSource } from '../services/monitoring/index.ts';

type IO = Parameters<SocketHandler>[2];

/** The channel of one device of an attempt: live-view requests and signals for it. */
export const deviceChannel = (attemptId: string, device: LiveDevice) => `live:${attemptId}:${device}`;
/** Every candidate desktop of a room: "send a thumbnail now" when a proctor opens the grid. */
export const roomCandidatesChannel = (roomId: string) => `candidates:room:${roomId}`;

interface View {
  attemptId: string;
  device: LiveDevice;
}
/** Kept on a staff socket's data, so a device's process can check a view through fetchSockets(). */
type StaffData = { views?: Record<string, View> };

const REFRESH_MIN_MS = 2000;

export function monitoringSocketHandler(settings: MonitoringSettings): SocketHandler {
  return (socket, ctx, io) => {
    const p = socket.data.principal;
    if (p.kind === 'candidate' || p.kind === 'phone') deviceEvents(socket, ctx, io, settings, p.attemptId, p.kind === 'candidate' ? 'desktop' : 'phone');
    else if (p.role !== 'examiner') staffEvents(socket, ctx, io, settings);
  };
}

function deviceEvents(socket: InvigilSocket, ctx: Ctx, io: IO, settings: MonitoringSettings, attemptId: string, device: LiveDevice) {
  void socket.join(deviceChannel(attemptId, device));
  const targets: Promise<string[]> = staffTargets(ctx, attemptId).then((t: Target[]) => {
    const roomT = t.find((x): x is { room: string } => 'room' in x);
    if (device === 'desktop' && roomT) void socket.join(roomCandidatesChannel(roomT.room));
    return t.map(channel);
  });
  const toStaff = async (emit: (rooms: string[]) => void) => emit(await targets);
  void toStaff((rooms) => io.to(rooms).emit('monitor:presence', { attemptId, device, online: true, at: ctx.clock.now() }));

  let lastThumb = 0;
  socket.on('monitor:thumb', (msg) => {
    const jpeg = asBuffer(msg?.jpeg);
    const now = Date.now();
    // The floor allows a tenth of jitter: a client keeping to the interval sends some frames a few ms early (timers,
    // network), and a strict floor dropped a fifth of them (measured: bench/console at one per second).
    if (device !== 'desktop' || !jpeg || jpeg.length > settings.thumbMaxBytes || !isJpeg(jpeg) || now - lastThumb < settings.thumbMinIntervalMs * 0.9) return;
    lastThumb = now;
    // Not volatile: socket.io drops a volatile packet whenever the proctor's transport is still writing the
    // previous one, which with 30 candidates per proctor loses most thumbnails (measured: bench/realtime).
    // The size cap and the rate floor above bound what a proctor can be sent instead.
    void toStaff((rooms) => io.to(rooms).emit('monitor:thumb', { attemptId, at: ctx.clock.now(), jpeg: jpeg as unknown as ArrayBuffer }));
  });
  socket.on('monitor:status', (s) => {
    if (device !== 'desktop' || !s || typeof s !== 'object') return;
    const status = { backlogBytes: num(s.backlogBytes), backlogSegments: num(s.backlogSegments), camera: s.camera === true, screen: s.screen === true };
    void toStaff((rooms) => io.to(rooms).emit('monitor:status', { attemptId, at: ctx.clock.now(), ...status }));
  });

  // Proctor sockets this device may answer: checked once per view, on the proctor socket's own data.
  const viewers = new Map<string, string>(); // viewId → proctor socket id
  async function viewerOf(viewId: unknown, to: unknown): Promise<string | null> {
    if (typeof viewId !== 'string' || typeof to !== 'string') return null;
    if (viewers.get(viewId) === to) return to;
    const [staff] = await io.in(to).fetchSockets();
    const view = (staff?.data as StaffData | undefined)?.views?.[viewId];
    if (!staff || staff.data.principal.kind !== 'staff' || view?.attemptId !== attemptId || view.device !== device) return null;
    viewers.set(viewId, to);
    return to;
  }
  socket.on('live:signal', async (msg) => {
    const to = await viewerOf(msg?.viewId, msg?.to);
    if (to) io.to(to).emit('live:signal', { ...pickSignal(msg), from: socket.id });
  });
  socket.on('live:close', async (msg) => {
    const to = await viewerOf(msg?.viewId, msg?.to);
    if (!to) return;
    viewers.delete(msg.viewId);
    io.to(to).emit('live:closed', { viewId: msg.viewId, reason: String(msg.reason ?? 'device-closed').slice(0, 40) });
  });
  socket.on('disconnect', () => {
    for (const [viewId, to] of viewers) io.to(to).emit('live:closed', { viewId, reason: 'device-left' });
    void toStaff((rooms) => io.to(rooms).emit('monitor:presence', { attemptId, device, online: false, at: ctx.clock.now() }));
  });
}

function staffEvents(socket: InvigilSocket, ctx: Ctx, io: IO, settings: MonitoringSettings) {
  const p = socket.data.principal;
  if (p.kind !== 'staff') return;
  const data = socket.data as StaffData;
  data.views = {};

  let lastRefresh = 0;
  socket.on('monitor:refresh', async (msg) => {
    const now = Date.now();
    if (typeof msg?.sessionId !== 'string' || now - lastRefresh < REFRESH_MIN_MS) return;
    lastRefresh = now;
    const rooms = await watchedRoomIds(ctx, p, msg.sessionId);
    if (rooms.length) io.to(rooms.map(roomCandidatesChannel)).emit('monitor:want');
  });

  socket.on('live:open', async (msg, ack) => {
    if (typeof ack !== 'function') return;
    const device: LiveDevice = msg?.device === 'phone' ? 'phone' : 'desktop';
    try {
      await requireAttempt(ctx, p, String(msg?.attemptId ?? ''));
    } catch {
      return ack({ ok: false, error: 'NOT_FOUND' });
    }
    const devices = await io.in(deviceChannel(msg.attemptId, device)).fetchSockets();
    if (!devices.length) return ack({ ok: false, error: 'DEVICE_OFFLINE' });
    const viewId = randomUUID();
    data.views![viewId] = { attemptId: msg.attemptId, device };
    io.to(deviceChannel(msg.attemptId, device)).emit('live:request', { viewId, from: socket.id, iceServers: settings.iceServers });
    ack({ ok: true, viewId, iceServers: settings.iceServers });
  });
  socket.on('live:signal', (msg) => {
    const view = typeof msg?.viewId === 'string' ? data.views![msg.viewId] : undefined;
    if (view) io.to(deviceChannel(view.attemptId, view.device)).emit('live:signal', { ...pickSignal(msg), from: socket.id });
  });
  const close = (viewId: string, reason: string) => {
    const view = data.views![viewId];
    if (!view) return;
    delete data.views![viewId];
    io.to(deviceChannel(view.attemptId, view.device)).emit('live:closed', { viewId, reason });
  };
  socket.on('live:close', (msg) => typeof msg?.viewId === 'string' && close(msg.viewId, 'proctor-closed'));
  socket.on('disconnect', () => Object.keys(data.views ?? {}).forEach((id) => close(id, 'proctor-left')));
}

/** Asks the candidate's desktop for a frame over the socket (any process), for flag evidence. */
export function socketSnapshots(io: IO, timeoutMs = 3000): SnapshotSource {
  return {
    async snapshot(attemptId) {
      // The callback form keeps the replies that came even when another socket of the attempt (a tab being
      // reloaded) never answers; emitWithAck would throw them away with the timeout.
      const replies = await new Promise<unknown[]>((resolve) =>
        io
          .to(deviceChannel(attemptId, 'desktop'))
          .timeout(timeoutMs)
          .emit('monitor:snapshot', {}, (_err: Error | null, r: unknown[]) => resolve(r ?? [])),
      );
      for (const r of replies) {
        const b = asBuffer(r);
        if (b) return b;
      }
      return null;
    },
  };
}

/** Only the fields of a signal, each checked, so nothing else a client sends is relayed. */
function pickSignal(msg: LiveSignal): LiveSignal {
  const out: LiveSignal = { viewId: String(msg.viewId) };
  const d = msg.description;
  if (d && (d.type === 'offer' || d.type === 'answer') && typeof d.sdp === 'string' && d.sdp.length < 100_000) out.description = { type: d.type, sdp: d.sdp };
  const c = msg.candidate;
  if (c === null) out.candidate = null;
  else if (c && typeof c.candidate === 'string' && c.candidate.length < 2000)
    out.candidate = { candidate: c.candidate, sdpMid: typeof c.sdpMid === 'string' ? c.sdpMid : null, sdpMLineIndex: typeof c.sdpMLineIndex === 'number' ? c.sdpMLineIndex : null };
  if (msg.streams && typeof msg.streams === 'object') {
    const streams: Record<string, 'camera' | 'screen' | 'phone'> = {};
    for (const [id, kind] of Object.entries(msg.streams).slice(0, 4)) if (kind === 'camera' || kind === 'screen' || kind === 'phone') streams[String(id).slice(0, 100)] = kind;
    out.streams = streams;
  }
  return out;
}

function asBuffer(x: unknown): Buffer | null {
  if (Buffer.isBuffer(x)) return x;
  if (x instanceof ArrayBuffer) return Buffer.from(x);
  if (ArrayBuffer.isView(x)) return Buffer.from(x.buffer, x.byteOffset, x.byteLength);
  return null;
}

const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) && x >= 0 ? Math.round(x) : 0);
