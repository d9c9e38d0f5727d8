// One MediaRecorder per stream (camera = camera + mic, screen, phone), cutting WebM chunks every few seconds.
// It measures and hands chunks on; numbering and persistence belong to the pipeline and the journal.
// Each start() of a StreamRecorder is one run: its first chunk carries the WebM header, later ones do not.
import type { Stream } from '@invigil/contracts';
import { watchFirstFrame, type FirstFrameWatch } from './first-frame.ts';

export interface RecorderOptions {
  timesliceMs: number;
  videoBitsPerSecond: Record<Stream, number>;
  audioBitsPerSecond: number;
}

export const DEFAULT_RECORDER_OPTIONS: RecorderOptions = {
  timesliceMs: 3000,
  videoBitsPerSecond: { camera: 500_000, screen: 300_000, phone: 500_000 },
  audioBitsPerSecond: 32_000,
};

export interface RecordedChunk {
  blob: Blob;
  recordedAt: number; // epoch ms of dataavailable: the end of the chunk's media
  durationMs: number;
}

/** Why a run ended: our stop(), the source went away (screen share stopped, camera unplugged), or an encoder error. */
export type RunEnd = 'stopped' | 'ended' | 'error';

export class RecorderUnsupportedError extends Error {
  constructor() {
    super('This browser cannot record WebM video (MediaRecorder). Use a current Chrome, Edge or Firefox.');
  }
}

// VP8 before VP9: VP9's software encoder needs about twice the CPU, and a candidate's ordinary laptop records
// camera and screen at once while the face monitor runs; VP8 keeps up at these bitrates.
const VIDEO_CODECS = ['vp8', 'vp9'];

export function pickMimeType(withAudio: boolean): string {
  if (typeof MediaRecorder === 'undefined') throw new RecorderUnsupportedError();
  for (const codec of VIDEO_CODECS) {
    const type = withAudio ? `video/webm;codecs=${codec},opus` : `video/webm;codecs=${codec}`;
    if (MediaRecorder.isTypeSupported(type)) return type;
  }
  if (MediaRecorder.isTypeSupported('video/webm')) return 'video/webm';
  throw new RecorderUnsupportedError();
}

/** The EBML ID (1A 45 DF A3) every WebM file, and so the first chunk of every run, starts with. */
const EBML_ID_BYTES = 4;

export class StreamRecorder {
  readonly mimeType: string;
  private readonly recorder: MediaRecorder;
  private lastBoundary = 0; // performance.now() at the end of the previous chunk (or at start)
  private carriedMs = 0; // duration of held chunks (empty, or a cut-off start), added to the next one handed on
  private held: Blob | null = null; // the run's first bytes while they are fewer than the EBML ID (see chunk())
  private handedOn = false; // a chunk of this run went to onChunk
  private ending: RunEnd = 'stopped';
  private stopped: Promise<void>;
  private running = false;
  private firstFrame: FirstFrameWatch | null = null;

  /** Starts a new run on `media`. */
  static start(stream: Stream, media: MediaStream, opts: RecorderOptions, onChunk: (c: RecordedChunk) => void, onRunEnd: (why: RunEnd) => void): StreamRecorder {
    const r = new StreamRecorder(stream, media, opts, onChunk, onRunEnd);
    r.begin(opts.timesliceMs);
    return r;
  }

  private constructor(
    readonly stream: Stream,
    private readonly media: MediaStream,
    opts: RecorderOptions,
    private readonly onChunk: (c: RecordedChunk) => void,
    private readonly onRunEnd: (why: RunEnd) => void,
  ) {
    const withAudio = media.getAudioTracks().length > 0;
    this.mimeType = pickMimeType(withAudio);
    this.recorder = new MediaRecorder(media, {
      mimeType: this.mimeType,
      videoBitsPerSecond: opts.videoBitsPerSecond[stream],
      ...(withAudio ? { audioBitsPerSecond: opts.audioBitsPerSecond } : {}),
    });
    this.recorder.ondataavailable = (e) => this.chunk(e.data);
    this.recorder.onerror = () => {
      this.ending = 'error';
      if (this.recorder.state !== 'inactive') this.recorder.stop();
    };
    this.stopped = new Promise((resolve) => {
      this.recorder.onstop = () => {
        this.running = false;
        this.firstFrame?.stop();
        for (const t of media.getVideoTracks()) t.removeEventListener('ended', this.sourceEnded);
        resolve();
        this.onRunEnd(this.ending);
      };
    });
  }

  /** Epoch ms of this run's first real video frame (the recorded file's first frame); null when unknown. */
  get firstFrameAt(): Promise<number | null> {
    return this.firstFrame?.at ?? Promise.resolve(null);
  }

  get isRecording(): boolean {
    return this.running;
  }

  /** Stops the run; resolves after the last chunk has been handed to onChunk. */
  stop(): Promise<void> {
    if (this.recorder.state !== 'inactive') this.recorder.stop();
    return this.stopped;
  }

  private begin(timesliceMs: number) {
    // A video track that ends (screen share stopped from the browser bar, camera unplugged) ends the run; a new
    // run starts only when the app hands over a new MediaStream.
    for (const t of this.media.getVideoTracks()) t.addEventListener('ended', this.sourceEnded);
    // Durations count from the start() call, not from the 'start' event: Chromium fires that event up to a
    // second or more late (screen capture under load), while media and timeslices are already counting.
    this.lastBoundary = performance.now();
    // Watched from just before start(): the watcher and the recorder are sinks of the same source.
    this.firstFrame = watchFirstFrame(this.media.getVideoTracks()[0]);
    this.recorder.start(timesliceMs);
    this.running = true;
  }

  private readonly sourceEnded = () => {
    this.ending = 'ended';
    if (this.recorder.state !== 'inactive') this.recorder.stop();
  };

  private chunk(blob: Blob) {
    const now = performance.now();
    const durationMs = Math.round(now - this.lastBoundary + this.carriedMs);
    this.lastBoundary = now;
    const data = this.held ? new Blob([this.held, blob], { type: blob.type || this.held.type }) : blob;
    // A timeslice can end anywhere in the muxer's output, even inside the file header: under load Chromium handed
    // on a run's first chunk as the single byte 0x1A, and the rest of the header came with the next chunk. A run's
    // first segment must start with the whole EBML ID (the server checks it), so a start shorter than that is held
    // and sent with the next chunk, like an empty chunk. The run's last chunk is never held: nothing is dropped.
    const runOver = this.recorder.state === 'inactive';
    if (data.size === 0 || (!this.handedOn && data.size < EBML_ID_BYTES && !runOver)) {
      this.held = data.size > 0 ? data : null;
      this.carriedMs = durationMs;
      return;
    }
    this.held = null;
    this.carriedMs = 0;
    this.handedOn = true;
    this.onChunk({ blob: data, recordedAt: Date.now(), durationMs });
  }
}
