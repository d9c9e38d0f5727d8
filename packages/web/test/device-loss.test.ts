// Camera / microphone loss during the exam (apps/candidate/device-loss.ts) over fake tracks and fake timers.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MUTED_FOR_MS, watchDeviceLoss, type DeviceLoss, type WatchedTrack } from '../src/apps/candidate/device-loss.ts';

class FakeTrack extends EventTarget {
  muted = false;
  readyState: MediaStreamTrackState = 'live';
  constructor(readonly kind: string) {
    super();
  }
  fire(type: 'ended' | 'mute' | 'unmute') {
    if (type === 'ended') this.readyState = 'ended';
    this.muted = type === 'mute';
    this.dispatchEvent(new Event(type));
  }
}

let camera: FakeTrack;
let mic: FakeTrack;
let losses: DeviceLoss[];
let stop: () => void;
beforeEach(() => {
  vi.useFakeTimers();
  camera = new FakeTrack('video');
  mic = new FakeTrack('audio');
  losses = [];
  stop = watchDeviceLoss([camera, mic] as unknown as WatchedTrack[], (l) => losses.push(l));
});
afterEach(() => {
  stop();
  vi.useRealTimers();
});

describe('watchDeviceLoss', () => {
  it('reports an unplugged camera and microphone at once, each once', () => {
    camera.fire('ended');
    camera.fire('ended');
    mic.fire('ended');
    expect(losses).toEqual([
      { type: 'camera-lost', data: { reason: 'ended' } },
      { type: 'microphone-lost', data: { reason: 'ended' } },
    ]);
  });

  it('reports a camera that stays muted, not one that stalls for a moment', () => {
    camera.fire('mute');
    vi.advanceTimersByTime(MUTED_FOR_MS - 500);
    camera.fire('unmute');
    vi.advanceTimersByTime(MUTED_FOR_MS);
    expect(losses).toEqual([]);
    camera.fire('mute');
    vi.advanceTimersByTime(MUTED_FOR_MS);
    expect(losses).toEqual([{ type: 'camera-lost', data: { reason: 'muted', seconds: MUTED_FOR_MS / 1000 } }]);
  });

  it('stops listening when the exam ends', () => {
    camera.fire('mute');
    stop();
    vi.advanceTimersByTime(MUTED_FOR_MS * 2);
    mic.fire('ended');
    expect(losses).toEqual([]);
  });

  it('reports a track that was already gone when watching began', () => {
    const dead = new FakeTrack('video');
    dead.readyState = 'ended';
    const seen: DeviceLoss[] = [];
    watchDeviceLoss([dead] as unknown as WatchedTrack[], (l) => seen.push(l))();
    expect(seen).toEqual([{ type: 'camera-lost', data: { reason: 'ended' } }]);
  });
});
