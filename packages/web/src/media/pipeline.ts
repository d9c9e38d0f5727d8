// The zero-loss recording pipeline as one object for the apps (interface: types.ts; DESIGN.md "Recording
// pipeline"): recorder → journal (durable, first) → uploader → finalize → verified. Create ONE per page: two
// pipelines would number the same attempt's chunks twice.
import type { Stream } from '@invigil/contracts';
import type { PipelineProgress, RecordingPipeline, StreamProgress } from './types.ts';
import { sha256Hex } from './hash.ts';
import { checkStorage, Journal, type StreamMeta } from './journal.ts';
import { httpRecordingApi, type RecordingApi, type UploadError } from './protocol.ts';
import { DEFAULT_RECORDER_OPTIONS, StreamRecorder, pickMimeType, type RecordedChunk, type RecorderOptions, type RunEnd } from './recorder.ts';
import { exponentialBackoff, type RetryPolicy } from './retry.ts';
import { StreamUploader } from './uploader.ts';

export interface PipelineOptions {
  recorder?: Partial<RecorderOptions>;
  api?: RecordingApi;
  retry?: RetryPolicy;
  concurrency?: number; // segments in flight per stream
  /** Below this much free browser storage, progress says storageLow (recording goes on regardless). */
  minFreeBytes?: number;
  storageCheckMs?: number;
  /** How long start() may wait for the server to say where the recording stands before recording anyway. */
  numberingTimeoutMs?: number;
  /** How long a run's first chunk may wait for the time of its first real frame before it is journaled without. */
  firstFrameWaitMs?: number;
  journalName?: string;
}

interface StreamState {
  meta: StreamMeta;
  uploader: StreamUploader;
  recorder: StreamRecorder | null;
  /** Chunk writes in order: a chunk's seq is taken when the previous chunk is in the journal. */
  writes: Promise<void>;
  error: string | null;
}

const STREAM_ORDER: Stream[] = ['camera', 'screen', 'phone'];

class Pipeline implements RecordingPipeline {
  private readonly opts: Required<Omit<PipelineOptions, 'recorder' | 'journalName'>> & { recorder: RecorderOptions; journalName?: string };
  private journal: Promise<Journal> | null = null;
  private attemptId: string | null = null;
  private readonly streams = new Map<Stream, StreamState>();
  private readonly listeners = new Set<(p: PipelineProgress) => void>();
  private online = typeof navigator === 'undefined' ? true : navigator.onLine;
  private storageLow = false;
  private watching = false;
  private emitQueued = false;

  constructor(o: PipelineOptions) {
    this.opts = {
      api: o.api ?? httpRecordingApi(),
      retry: o.retry ?? exponentialBackoff(),
      concurrency: o.concurrency ?? 2,
      minFreeBytes: o.minFreeBytes ?? 300 * 1024 * 1024,
      storageCheckMs: o.storageCheckMs ?? 15_000,
      numberingTimeoutMs: o.numberingTimeoutMs ?? 2_500,
      firstFrameWaitMs: o.firstFrameWaitMs ?? 2_000,
      recorder: { ...DEFAULT_RECORDER_OPTIONS, ...o.recorder },
      journalName: o.journalName,
    };
  }

  async start(attemptId: string, media: Partial<Record<Stream, MediaStream>>): Promise<void> {
    await this.resumeUploads(attemptId);
    // Ask the browser not to evict the journal under storage pressure (best effort; Chromium may say no).
    void navigator.storage?.persist?.().catch(() => false);
    for (const stream of STREAM_ORDER) {
      const ms = media[stream];
      if (ms) await this.startRun(stream, ms);
    }
  }

  async stop(): Promise<void> {
    const journal = await this.openJournal();
    for (const st of this.streams.values()) {
      await st.recorder?.stop();
      await st.writes; // the last chunk is in the journal before lastSeq is declared
      if (st.meta.lastSeq === null && !st.meta.verified) {
        st.meta.lastSeq = st.meta.nextSeq - 1;
        await journal.saveMeta(st.meta);
      }
      st.uploader.finish();
    }
    this.emit();
  }

  async resumeUploads(attemptId: string): Promise<void> {
    if (this.attemptId && this.attemptId !== attemptId) throw new Error('This recording pipeline belongs to another attempt; reload the page to switch.');
    this.attemptId = attemptId;
    const journal = await this.openJournal();
    this.watch(journal);
    for (const meta of await journal.metas(attemptId)) {
      if (!this.streams.has(meta.stream)) this.track(journal, meta);
    }
  }

  progress(): PipelineProgress {
    const streams = STREAM_ORDER.filter((s) => this.streams.has(s)).map((s) => this.streamProgress(this.streams.get(s)!));
    return { streams, online: this.online, allVerified: streams.length > 0 && streams.every((s) => s.state === 'verified'), storageLow: this.storageLow };
  }

  subscribe(fn: (p: PipelineProgress) => void): () => void {
    this.listeners.add(fn);
    fn(this.progress());
    return () => this.listeners.delete(fn);
  }

  private streamProgress(st: StreamState): StreamProgress {
    const u = st.uploader.status();
    const recording = st.recorder?.isRecording ?? false;
    const state = u.state === 'error' || u.state === 'verified' || u.state === 'waiting-network' || u.state === 'finalizing' ? u.state : recording ? 'recording' : 'uploading';
    const error = u.error ?? st.error ?? undefined;
    return {
      stream: st.meta.stream,
      recordingId: u.recordingId,
      recording,
      bytesRecorded: st.meta.bytesRecorded,
      bytesUploaded: u.bytesUploaded,
      bytesWaiting: u.bytesWaiting,
      segmentsWaiting: u.segmentsWaiting,
      state,
      ...(error ? { error } : {}),
      report: u.report,
    };
  }

  private openJournal(): Promise<Journal> {
    this.journal ??= Journal.open(this.opts.journalName);
    return this.journal;
  }

  private track(journal: Journal, meta: StreamMeta): StreamState {
    const uploader = new StreamUploader(meta, {
      journal,
      api: this.opts.api,
      retry: this.opts.retry,
      concurrency: this.opts.concurrency,
      isOnline: () => this.online,
      onChange: () => this.emit(),
      onUnauthorized: (e) => this.unauthorized(e),
    });
    const st: StreamState = { meta, uploader, recorder: null, writes: Promise.resolve(), error: null };
    this.streams.set(meta.stream, st);
    uploader.start();
    return st;
  }

  /** A new run of one stream: ends the previous run (screen re-shared), numbers the run, starts the recorder. */
  private async startRun(stream: Stream, media: MediaStream) {
    const journal = await this.openJournal();
    const attemptId = this.attemptId!;
    let st = this.streams.get(stream);
    if (st?.recorder) {
      await st.recorder.stop();
      await st.writes;
    }
    if (!st) st = this.track(journal, newMeta(attemptId, stream, pickMimeType(media.getAudioTracks().length > 0)));
    const state = st;
    if (state.meta.verified || state.meta.lastSeq !== null) throw new Error(`The ${stream} recording of this attempt is already closed.`);
    state.error = null;
    // The run number and the first seq must continue what the server already holds (another computer, cleared
    // browser data), but the recorder may not wait for the network: chunk writes wait for the numbering instead.
    const runReady = this.numbering(state.meta).then(async () => {
      const run = state.meta.nextRun++;
      await journal.saveMeta(state.meta).catch(() => undefined);
      return run;
    });
    let firstOfRun = true;
    const recorder = StreamRecorder.start(
      stream,
      media,
      this.opts.recorder,
      (chunk) => {
        const first = firstOfRun;
        firstOfRun = false;
        state.writes = state.writes.then(async () => this.persist(journal, state, await runReady, chunk, first ? await this.trueStart(recorder, chunk) : undefined));
      },
      (why) => this.runEnded(state, media, why),
    );
    state.recorder = recorder;
    this.emit();
  }

  /** The run's first real frame, carried on its first chunk. Waited for briefly: the chunk is not journaled yet. */
  private async trueStart(recorder: StreamRecorder, chunk: RecordedChunk): Promise<number | undefined> {
    const cap = new Promise<null>((resolve) => setTimeout(() => resolve(null), this.opts.firstFrameWaitMs));
    const at = await Promise.race([recorder.firstFrameAt, cap]);
    // The file starts at that frame: not before this chunk's media began, not after it ended.
    return at !== null && at <= chunk.recordedAt ? at : undefined;
  }

  private async numbering(meta: StreamMeta) {
    const { api } = this.opts;
    const ask = meta.recordingId ? api.state(meta.recordingId) : api.open(meta.attemptId, meta.stream, meta.mimeType);
    const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), this.opts.numberingTimeoutMs));
    // A late answer is ignored: by then chunks may already carry numbers from the local journal.
    const rec = await Promise.race([ask.catch(() => null), timeout]);
    if (!rec) return;
    meta.recordingId = rec.id;
    for (const s of rec.segments) {
      meta.nextSeq = Math.max(meta.nextSeq, s.seq + 1);
      meta.nextRun = Math.max(meta.nextRun, s.run + 1);
    }
  }

  /** Hash, number and journal one chunk; only then may the uploader see it. Never throws: a chunk is never dropped. */
  private async persist(journal: Journal, st: StreamState, run: number, chunk: RecordedChunk, runStartedAt?: number) {
    try {
      const sha256 = await sha256Hex(chunk.blob);
      const meta = st.meta;
      const seq = meta.nextSeq++;
      meta.bytesRecorded += chunk.blob.size;
      meta.msRecorded += chunk.durationMs;
      const entry = {
        attemptId: meta.attemptId,
        stream: meta.stream,
        recordingId: meta.recordingId,
        seq,
        run,
        sha256,
        recordedAt: chunk.recordedAt,
        durationMs: chunk.durationMs,
        ...(runStartedAt !== undefined ? { runStartedAt } : {}),
        bytes: chunk.blob.size,
        blob: chunk.blob,
      };
      if ((await journal.append(meta, entry)) === 'memory') this.storageLow = true;
      st.uploader.added(seq, entry.bytes, sha256);
    } catch (e) {
      st.error = `recording could not be saved: ${e instanceof Error ? e.message : String(e)}`;
      console.error(`pipeline(${st.meta.stream}):`, e);
    }
    this.emit();
  }

  private runEnded(st: StreamState, media: MediaStream, why: RunEnd) {
    this.emit();
    if (why !== 'error') return; // 'ended': the source is gone; the app must hand over a new stream
    // An encoder error with the source still live: record on in a new run rather than stop recording.
    const live = media.getVideoTracks().some((t) => t.readyState === 'live');
    if (live) void st.writes.then(() => this.startRun(st.meta.stream, media)).catch((e) => (st.error = String(e)));
    else st.error = 'the recorder stopped with an error';
  }

  private unauthorized(e: UploadError) {
    for (const st of this.streams.values()) st.uploader.halt(e);
    this.emit();
  }

  private watch(journal: Journal) {
    if (this.watching) return;
    this.watching = true;
    window.addEventListener('online', () => {
      this.online = true;
      for (const st of this.streams.values()) st.uploader.networkBack();
      this.emit();
    });
    window.addEventListener('offline', () => {
      this.online = false;
      this.emit();
    });
    const check = () =>
      checkStorage(journal, this.opts.minFreeBytes)
        .then((s) => {
          if (s.low === this.storageLow) return;
          this.storageLow = s.low;
          this.emit();
        })
        .catch(() => undefined);
    void check();
    setInterval(check, this.opts.storageCheckMs);
  }

  private emit() {
    // Coalesced: a burst of acknowledgements becomes one update for the UI.
    if (this.emitQueued) return;
    this.emitQueued = true;
    queueMicrotask(() => {
      this.emitQueued = false;
      const p = this.progress();
      for (const fn of this.listeners) fn(p);
    });
  }
}

function newMeta(attemptId: string, stream: Stream, mimeType: string): StreamMeta {
  return { attemptId, stream, mimeType, recordingId: null, nextSeq: 0, nextRun: 0, bytesRecorded: 0, msRecorded: 0, lastSeq: null, verified: false, report: null };
}

export function createRecordingPipeline(options: PipelineOptions = {}): RecordingPipeline {
  return new Pipeline(options);
}

// Test hook: the end-to-end specs (e2e/helpers/recording-harness.ts) drive this real pipeline inside the real app
// before any app page does. It exists only in a browser whose localStorage a test has set; for everyone else it
// costs one localStorage read and changes nothing.
declare global {
  interface Window {
    __invigilMedia?: { createRecordingPipeline: typeof createRecordingPipeline };
  }
}
try {
  if (typeof window !== 'undefined' && window.localStorage?.getItem('invigil.testHooks') === '1') window.__invigilMedia = { createRecordingPipeline };
} catch {
  // localStorage can be unavailable (storage disabled); there is no hook then.
}
