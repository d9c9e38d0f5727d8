// The camera or the microphone going away during the exam (unplugged, taken by another app, switched off by the
// operating system's privacy toggle): reported as camera-lost / microphone-lost, so the proctor's flag feed shows
// it and the candidate is told at once. A track that ends is lost for good; a muted one (the source gives no data
// for a while — e.g. another app holds the camera) counts once it stays muted, so a brief stall is not a flag.

/** What we need of a MediaStreamTrack: its kind, mute state and its ended/mute/unmute events. */
export type WatchedTrack = Pick<MediaStreamTrack, 'kind' | 'muted' | 'readyState' | 'addEventListener' | 'removeEventListener'>;

export type DeviceLoss = { type: 'camera-lost' | 'microphone-lost'; data: { reason: 'ended' | 'muted'; seconds?: number } };

/** A muted track this long is reported (the camera's light may still be on, but nothing is recorded). */
export const MUTED_FOR_MS = 3000;

export function watchDeviceLoss(tracks: WatchedTrack[], report: (loss: DeviceLoss) => void): () => void {
  const undo: Array<() => void> = [];
  for (const track of tracks) {
    if (track.kind !== 'video' && track.kind !== 'audio') continue;
    const type = track.kind === 'video' ? 'camera-lost' : 'microphone-lost';
    let timer: ReturnType<typeof setTimeout> | null = null;
    let ended = false;
    const onEnded = () => {
      if (ended) return;
      ended = true;
      if (timer) clearTimeout(timer);
      report({ type, data: { reason: 'ended' } });
    };
    const onMute = () => {
      if (timer || ended) return;
      timer = setTimeout(() => report({ type, data: { reason: 'muted', seconds: MUTED_FOR_MS / 1000 } }), MUTED_FOR_MS);
    };
    const onUnmute = () => {
      if (timer) clearTimeout(timer);
      timer = null;
    };
    track.addEventListener('ended', onEnded);
    track.addEventListener('mute', onMute);
    track.addEventListener('unmute', onUnmute);
    if (track.readyState === 'ended') onEnded();
    else if (track.muted) onMute();
    undo.push(() => {
      if (timer) clearTimeout(timer);
      track.removeEventListener('ended', onEnded);
      track.removeEventListener('mute', onMute);
      track.removeEventListener('unmute', onUnmute);
    });
  }
  return () => undo.forEach((u) => u());
}
