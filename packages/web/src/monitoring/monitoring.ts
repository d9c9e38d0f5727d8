// The candidate side of live monitoring, for the desktop and the phone: thumbnails and upload backlog to the
// room's proctors every few seconds, a fresh frame when a flag needs evidence, and live views on request.
// Self-contained: it is given the socket and the streams the app already has, and returns a stop function.
import type { LiveStreamKind } from '@invigil/contracts';
import { frameGrabber, type FrameGrabber } from './thumbnail.ts';
import { LiveSender } from './live-sender.ts';
import type { MonitoringSocket } from './types.ts';

export interface MonitoringOptions {
  socket: MonitoringSocket;
  /** The streams now (the screen may be re-shared during the exam, so this is asked each time). */
  streams: () => Partial<Record<LiveStreamKind, MediaStream | null>>;
  /** Recorded but not yet acknowledged by the server, from the recording pipeline. */
  backlog?: () => { bytes: number; segments: number };
  /** The phone only answers live views; the desktop also sends thumbnails and status. Default 'desktop'. */
  device?: 'desktop' | 'phone';
  everyMs?: number;
}

const THUMB_WIDTH = 160;
const THUMB_QUALITY = 0.6;
const EVIDENCE_WIDTH = 480;

export function startMonitoring(o: MonitoringOptions): () => void {
  const { socket } = o;
  const desktop = (o.device ?? 'desktop') === 'desktop';
  const live = new LiveSender(socket, o.streams);
  let grabber: { track: MediaStreamTrack; g: FrameGrabber } | null = null;

  /** The camera's grabber, rebuilt when the camera track changes (device switched in 设备确认). */
  function camera(): FrameGrabber | null {
    const track = o.streams().camera?.getVideoTracks()[0] ?? null;
    if (grabber?.track !== track) {
      grabber?.g.close();
      grabber = track ? { track, g: frameGrabber(track) } : null;
    }
    return grabber?.g ?? null;
  }
  const liveTrack = (kind: LiveStreamKind) => o.streams()[kind]?.getVideoTracks()[0]?.readyState === 'live';

  async function report() {
    if (!socket.connected) return;
    const jpeg = await camera()
      ?.grab(THUMB_WIDTH, THUMB_QUALITY)
      .catch(() => null);
    if (jpeg) socket.emit('monitor:thumb', { at: Date.now(), jpeg });
    const b = o.backlog?.() ?? { bytes: 0, segments: 0 };
    socket.emit('monitor:status', { backlogBytes: b.bytes, backlogSegments: b.segments, camera: liveTrack('camera'), screen: liveTrack('screen') });
  }

  const onWant = () => void report();
  const onSnapshot = (_p: unknown, ack: (jpeg: ArrayBuffer | null) => void) => {
    void (camera()?.grab(EVIDENCE_WIDTH, 0.8) ?? Promise.resolve(null)).then(ack, () => ack(null));
  };
  const onRequest = (r: { viewId: string; from: string; iceServers: RTCIceServer[] }) => void live.open(r.viewId, r.from, r.iceServers).catch(() => live.close(r.viewId, 'failed'));
  const onSignal = (s: Parameters<LiveSender['signal']>[0]) => void live.signal(s).catch(() => undefined);
  const onClosed = (c: { viewId: string }) => live.close(c.viewId, null);
  // The server ended every view of this socket when it dropped (the proctor was told 'device-left' and asks
  // again): nothing is left to tell, and a peer connection kept open would encode for nobody.
  const onDisconnect = () => live.closeAll(null);

  socket.on('live:request', onRequest);
  socket.on('live:signal', onSignal);
  socket.on('live:closed', onClosed);
  socket.on('disconnect', onDisconnect);
  let first: ReturnType<typeof setTimeout> | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  if (desktop) {
    socket.on('monitor:want', onWant);
    socket.on('monitor:snapshot', onSnapshot);
    socket.on('connect', onWant);
    // A random start spreads a room's thumbnails over the interval instead of all at the same instant.
    const every = o.everyMs ?? 5000;
    first = setTimeout(
      () => {
        void report();
        timer = setInterval(() => void report(), every);
      },
      Math.random() * Math.min(every, 2000),
    );
  }

  return () => {
    if (first) clearTimeout(first);
    if (timer) clearInterval(timer);
    socket.off('live:request', onRequest);
    socket.off('live:signal', onSignal);
    socket.off('live:closed', onClosed);
    socket.off('disconnect', onDisconnect);
    socket.off('monitor:want', onWant);
    socket.off('monitor:snapshot', onSnapshot);
    socket.off('connect', onWant);
    live.closeAll('stopped');
    grabber?.g.close();
  };
}

/** Recorded but not yet acknowledged, summed over the streams of a recording pipeline's progress. */
export function pipelineBacklog(p: { streams: Array<{ bytesWaiting: number; segmentsWaiting: number }> }): { bytes: number; segments: number } {
  return p.streams.reduce((a, s) => ({ bytes: a.bytes + s.bytesWaiting, segments: a.segments + s.segmentsWaiting }), { bytes: 0, segments: 0 });
}
