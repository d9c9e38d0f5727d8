// The wall-clock time of a recorder run's first real video frame (issue #15 item 6). A display capture sends its
// first frame up to seconds after MediaRecorder.start() on a loaded machine (measured: bench/recorder-start.ts), and
// the recorded file begins with that frame, so "first chunk's end − its duration" places the run too early and the
// screen out of step with the camera in playback. A MediaStreamTrackProcessor on a clone of the track sees the same
// frames as the recorder; a worker reads them (a busy main thread would see them late, or not at all once its
// queue overflows). Where the browser lacks either (Firefox, Safari), the answer is null and the server falls back
// to the estimate.

interface TrackProcessor {
  readable: ReadableStream<unknown>;
}
type TrackProcessorCtor = new (init: { track: MediaStreamTrack; maxBufferSize?: number }) => TrackProcessor;

export interface FirstFrameWatch {
  /** Epoch ms of the first frame the track delivered after watchFirstFrame(); null when it cannot be told. */
  readonly at: Promise<number | null>;
  stop(): void;
}

const NONE: FirstFrameWatch = { at: Promise.resolve(null), stop: () => undefined };

/** Call right before MediaRecorder.start(): both are sinks of the same source and get the same first frame. */
export function watchFirstFrame(track: MediaStreamTrack | undefined, o: { settleMs?: number; maxFrames?: number; giveUpMs?: number } = {}): FirstFrameWatch {
  const Processor = (globalThis as { MediaStreamTrackProcessor?: TrackProcessorCtor }).MediaStreamTrackProcessor;
  if (!track || track.readyState !== 'live' || !Processor || typeof Worker === 'undefined') return NONE;
  let clone: MediaStreamTrack | null = null;
  let worker: Worker | null = null;
  let settle: (at: number | null) => void = () => undefined;
  const at = new Promise<number | null>((resolve) => (settle = resolve));
  const stop = () => {
    settle(null);
    worker?.terminate();
    clone?.stop(); // the clone only: the source and the recorder's track go on
    worker = null;
    clone = null;
  };
  try {
    clone = track.clone();
    const readable = new Processor({ track: clone, maxBufferSize: 4 }).readable;
    worker = new Worker(new URL('./first-frame.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<{ at: number | null }>) => {
      const v = e.data.at;
      settle(typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : null);
      stop();
    };
    worker.onerror = () => stop();
    worker.postMessage({ readable, settleMs: o.settleMs ?? 400, maxFrames: o.maxFrames ?? 6 }, [readable as unknown as Transferable]);
    // A track that never sends a frame (a frozen capture): give up, the estimate stands.
    const giveUp = setTimeout(stop, o.giveUpMs ?? 20_000);
    void at.then(() => clearTimeout(giveUp));
  } catch {
    stop();
  }
  return { at, stop };
}
