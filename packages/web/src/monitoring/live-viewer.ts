// The proctor side of a live view: ask the server to reach one device of a candidate, answer its offer, and
// hand each incoming stream (camera, screen, phone) to the page. Media is peer to peer; the server relays SDP/ICE.
import type { LiveDevice, LiveSignal, LiveStreamKind } from '@invigil/contracts';
import type { StaffSocket } from '../api/staff-socket.ts';

export interface LiveViewHandle {
  close(): void;
}

/**
 * The reason a view ends when the console's own socket drops. The server ends every view of a socket that left
 * (on the devices too), and the reconnected socket is a new one: such a view is dead, never frozen, and the page
 * opens a new one once the socket is back.
 */
export const SOCKET_LOST = 'socket-lost';

export interface LiveViewEvents {
  onStream(kind: LiveStreamKind, stream: MediaStream): void;
  onState(state: 'connecting' | 'live' | 'closed', reason?: string): void;
}

export async function openLiveView(socket: StaffSocket, attemptId: string, device: LiveDevice, ev: LiveViewEvents): Promise<LiveViewHandle> {
  let viewId: string | null = null;
  let pc: RTCPeerConnection | null = null;
  let closed = false;
  // Signals may arrive before our own ack is processed: keep them until the view id is known.
  const early: LiveSignal[] = [];
  let kinds: Record<string, LiveStreamKind> = {};

  async function handle(s: LiveSignal) {
    if (!pc || s.viewId !== viewId) return;
    if (s.streams) kinds = s.streams;
    if (s.description?.type === 'offer') {
      await pc.setRemoteDescription(s.description);
      await pc.setLocalDescription(await pc.createAnswer());
      socket.emit('live:signal', { viewId: s.viewId, description: { type: 'answer', sdp: pc.localDescription!.sdp } });
    } else if (s.candidate) await pc.addIceCandidate(s.candidate).catch(() => undefined);
  }
  const onSignal = (s: LiveSignal) => (viewId ? void handle(s).catch(() => undefined) : early.push(s));
  const onClosed = (c: { viewId: string; reason: string }) => {
    if (c.viewId === viewId) finish(c.reason, false);
  };
  const onDisconnect = () => finish(SOCKET_LOST, false);
  function finish(reason: string, tellDevice: boolean) {
    if (closed) return;
    closed = true;
    socket.off('live:signal', onSignal);
    socket.off('live:closed', onClosed);
    socket.off('disconnect', onDisconnect);
    if (tellDevice && viewId) socket.emit('live:close', { viewId });
    pc?.close();
    ev.onState('closed', reason);
  }

  socket.on('live:signal', onSignal);
  socket.on('live:closed', onClosed);
  socket.on('disconnect', onDisconnect);
  ev.onState('connecting');
  const r = await socket
    .timeout(10_000)
    .emitWithAck('live:open', { attemptId, device })
    .catch(() => ({ ok: false as const, error: 'TIMEOUT' }));
  if (closed) return { close: () => undefined }; // the socket dropped while asking
  if (!r.ok) {
    finish(r.error, false);
    return { close: () => undefined };
  }
  viewId = r.viewId;
  pc = new RTCPeerConnection({ iceServers: r.iceServers });
  pc.ontrack = (e) => {
    const stream = e.streams[0];
    if (stream) ev.onStream(kinds[stream.id] ?? (device === 'phone' ? 'phone' : 'camera'), stream);
  };
  pc.onicecandidate = (e) => viewId && socket.emit('live:signal', { viewId, candidate: e.candidate ? (e.candidate.toJSON() as LiveSignal['candidate']) : null });
  pc.onconnectionstatechange = () => {
    if (pc?.connectionState === 'connected') ev.onState('live');
    if (pc?.connectionState === 'failed') finish('failed', true);
  };
  for (const s of early.splice(0)) await handle(s).catch(() => undefined);
  return { close: () => finish('closed', true) };
}
