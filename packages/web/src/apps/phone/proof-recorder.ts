// The phone's continuous recording: one recording pipeline (the same journal + upload as the desktop), the
// camera stream handed to it, and the honest account of every stretch without frames. A reload, a call or
// sending the page to the background stops frames; when the page is back we record again at once (a new run)
// and report the interruption with its length. No UI here.
import type { PipelineProgress, RecordingPipeline } from '../../media/types.ts';
import { createRecordingPipeline } from '../../media/pipeline.ts';
import { reportGap } from './api.ts';
import { openFrontCamera } from './device.ts';

type GapReason = 'hidden' | 'reload' | 'camera-lost';
interface Gap {
  fromAt: number;
  toAt: number;
  reason: GapReason;
}

const ALIVE_EVERY_MS = 1000;
/** Shorter than this is a blink (the page re-rendered, a notification slid down), not an interruption. */
const MIN_GAP_MS = 1500;
const aliveKey = (attemptId: string) => `invigil.proof.alive.${attemptId}`;
const OUTBOX_KEY = 'invigil.proof.gaps';

export interface RecorderEvents {
  /** An interruption is over and recording goes on; `seconds` long. */
  onGap(seconds: number, reason: GapReason): void;
  onProgress(p: PipelineProgress): void;
}

let pipeline: RecordingPipeline | null = null;
/** One pipeline per page: two would number the same recording's chunks twice. */
export function phonePipeline(): RecordingPipeline {
  pipeline ??= createRecordingPipeline();
  return pipeline;
}

export class ProofRecorder {
  private stream: MediaStream | null = null;
  private aliveTimer: ReturnType<typeof setInterval> | null = null;
  private hiddenAt: number | null = null;
  private unsubscribe: (() => void) | null = null;
  private restarting = false;

  constructor(
    readonly attemptId: string,
    private readonly events: RecorderEvents,
  ) {}

  get recording(): boolean {
    return !!this.stream && this.stream.getVideoTracks().some((t) => t.readyState === 'live');
  }

  get mediaStream(): MediaStream | null {
    return this.stream;
  }

  /**
   * Starts (or, after a reload, resumes) recording with this camera stream. A page that was recording before
   * it reloaded reports the time in between as an interruption.
   */
  async start(stream: MediaStream): Promise<void> {
    const lastAlive = Number(localStorage.getItem(aliveKey(this.attemptId)) ?? 0);
    this.stream = stream;
    this.watchTracks(stream);
    await phonePipeline().start(this.attemptId, { phone: stream });
    this.unsubscribe ??= phonePipeline().subscribe((p) => this.events.onProgress(p));
    const now = Date.now();
    // A reload always starts a new run: however short, the time without frames is reported.
    if (lastAlive && now > lastAlive) this.gap({ fromAt: lastAlive, toAt: now, reason: 'reload' });
    this.markAlive();
    this.aliveTimer ??= setInterval(() => this.markAlive(), ALIVE_EVERY_MS);
    document.addEventListener('visibilitychange', this.onVisibility);
    window.addEventListener('pagehide', this.markAlive);
    window.addEventListener('online', this.flushGaps);
  }

  /** 停止录制: the last chunks go to the journal, then everything uploads and the server verifies it. */
  async stop(): Promise<void> {
    this.detach();
    localStorage.removeItem(aliveKey(this.attemptId));
    await phonePipeline().stop();
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = null;
  }

  /** This phone was replaced by another: stop recording here, keep nothing running. */
  abandon() {
    this.detach();
    localStorage.removeItem(aliveKey(this.attemptId));
    void phonePipeline()
      .stop()
      .catch(() => undefined);
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = null;
  }

  /** Re-sends interruptions the server has not acknowledged yet (offline when they ended). */
  readonly flushGaps = async () => {
    for (const g of readOutbox()) {
      try {
        await reportGap(g);
        writeOutbox(readOutbox().filter((x) => x.fromAt !== g.fromAt));
      } catch (e) {
        // 4xx: the server will never accept this one (implausible times); anything else: try again later.
        const status = (e as { status?: number }).status ?? 0;
        if (status >= 400 && status < 500) writeOutbox(readOutbox().filter((x) => x.fromAt !== g.fromAt));
        else return;
      }
    }
  };

  private detach() {
    if (this.aliveTimer) clearInterval(this.aliveTimer);
    this.aliveTimer = null;
    document.removeEventListener('visibilitychange', this.onVisibility);
    window.removeEventListener('pagehide', this.markAlive);
    window.removeEventListener('online', this.flushGaps);
  }

  // While hidden no frames are recorded on a phone, so "alive" is not advanced: a page killed in the background
  // and reopened later reports the whole stretch.
  private readonly markAlive = () => {
    if (document.visibilityState === 'hidden' || !this.recording) return;
    localStorage.setItem(aliveKey(this.attemptId), String(Date.now()));
  };

  private readonly onVisibility = () => {
    if (document.visibilityState === 'hidden') {
      this.markAlive();
      this.hiddenAt = Date.now();
      return;
    }
    const from = this.hiddenAt;
    this.hiddenAt = null;
    if (from !== null && Date.now() - from >= MIN_GAP_MS) this.gap({ fromAt: from, toAt: Date.now(), reason: 'hidden' });
    // The phone may have taken the camera away for the call: record again with a fresh one.
    if (!this.recording) void this.restartCamera();
    this.markAlive();
  };

  private watchTracks(stream: MediaStream) {
    for (const t of stream.getVideoTracks()) {
      t.addEventListener('ended', () => {
        if (this.stream !== stream) return; // an old stream we replaced on purpose
        if (document.visibilityState === 'visible') void this.restartCamera();
      });
    }
  }

  private async restartCamera() {
    if (this.restarting || !this.stream) return;
    this.restarting = true;
    const from = Date.now();
    try {
      const fresh = await openFrontCamera();
      this.stream = fresh;
      this.watchTracks(fresh);
      await phonePipeline().start(this.attemptId, { phone: fresh });
      if (Date.now() - from >= MIN_GAP_MS) this.gap({ fromAt: from, toAt: Date.now(), reason: 'camera-lost' });
    } catch {
      // The page shows "resume recording" (recording is false); a tap retries with a user gesture.
    } finally {
      this.restarting = false;
    }
  }

  private gap(g: Gap) {
    writeOutbox([...readOutbox().filter((x) => x.fromAt !== g.fromAt), g]);
    this.events.onGap(Math.round((g.toAt - g.fromAt) / 100) / 10, g.reason);
    void this.flushGaps();
  }
}

function readOutbox(): Gap[] {
  try {
    return JSON.parse(localStorage.getItem(OUTBOX_KEY) ?? '[]') as Gap[];
  } catch {
    return [];
  }
}
function writeOutbox(gaps: Gap[]) {
  localStorage.setItem(OUTBOX_KEY, JSON.stringify(gaps));
}
