// The device side of a live view: a proctor asked to watch; this device offers its camera/screen (or the
// phone's camera) over a peer connection addressed to that proctor only. Adding a track to a peer connection
// does not touch the MediaRecorder using the same track, and closing the view never stops a track.
import type { IceServer, LiveSignal, LiveStreamKind } from '@invigil/contracts';
import type { MonitoringSocket } from './types.ts';

/**
 * What a live view may cost the candidate's computer and uplink: it shares both with two recorders and the
 * segment upload, and a proctor judges a face or a screen at a few hundred kbit/s. Screens keep their size (text
 * must stay readable) and drop frame rate instead; cameras are cut to 360 lines.
 */
export const LIVE_LIMITS: Record<LiveStreamKind, { maxFramerate: number; maxBitrate: number; maxHeight: number | null }> = {
  camera: { maxFramerate: 15, maxBitrate: 400_000, maxHeight: 360 },
  screen: { maxFramerate: 5, maxBitrate: 800_000, maxHeight: null },
  phone: { maxFramerate: 15, maxBitrate: 400_000, maxHeight: 360 },
};

export function liveEncoding(kind: LiveStreamKind, track: { getSettings(): { height?: number } }): RTCRtpEncodingParameters {
  const { maxFramerate, maxBitrate, maxHeight } = LIVE_LIMITS[kind];
  const height = track.getSettings().height;
  const scaleResolutionDownBy = maxHeight && height && height > maxHeight ? height / maxHeight : 1;
  return { maxFramerate, maxBitrate, scaleResolutionDownBy };
}

interface View {
  pc: RTCPeerConnection;
  to: string;
}

export class LiveSender {
  private readonly views = new Map<string, View>();

  constructor(
    private readonly socket: MonitoringSocket,
    private readonly streams: () => Partial<Record<LiveStreamKind, MediaStream | null>>,
  ) {}

  async open(viewId: string, to: string, iceServers: IceServer[]) {
    this.close(viewId, null);
    const pc = new RTCPeerConnection({ iceServers });
    this.views.set(viewId, { pc, to });
    const kinds: Record<string, LiveStreamKind> = {};
    for (const [kind, stream] of Object.entries(this.streams()) as Array<[LiveStreamKind, MediaStream | null | undefined]>) {
      if (!stream) continue;
      kinds[stream.id] = kind;
      for (const track of stream.getTracks()) {
        if (track.readyState !== 'live') continue;
        pc.addTransceiver(track, { direction: 'sendonly', streams: [stream], sendEncodings: track.kind === 'video' ? [liveEncoding(kind, track)] : undefined });
      }
    }
    if (!Object.keys(kinds).length) return this.close(viewId, 'no-media');
    pc.onicecandidate = (e) => this.socket.emit('live:signal', { viewId, to, candidate: e.candidate ? (e.candidate.toJSON() as LiveSignal['candidate']) : null });
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'failed') this.close(viewId, 'failed');
    };
    await pc.setLocalDescription(await pc.createOffer());
    this.socket.emit('live:signal', { viewId, to, description: { type: 'offer', sdp: pc.localDescription!.sdp }, streams: kinds });
  }

  async signal(msg: LiveSignal) {
    const view = this.views.get(msg.viewId);
    if (!view) return;
    if (msg.description?.type === 'answer') await view.pc.setRemoteDescription(msg.description);
    else if (msg.candidate) await view.pc.addIceCandidate(msg.candidate).catch(() => undefined);
  }

  /** Ends one view; `reason` non-null also tells the proctor (null: the proctor closed it already). */
  close(viewId: string, reason: string | null) {
    const view = this.views.get(viewId);
    if (!view) return;
    this.views.delete(viewId);
    view.pc.close();
    if (reason) this.socket.emit('live:close', { viewId, to: view.to, reason });
  }

  closeAll(reason: string | null) {
    for (const id of [...this.views.keys()]) this.close(id, reason);
  }
}
