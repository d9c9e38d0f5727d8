// The recording pipeline as the apps see it (implementation: recorder.ts, journal.ts, uploader.ts).
// The candidate app and the phone page only call these; they never touch MediaRecorder or IndexedDB.
import type { CompletenessReport, Stream } from '@invigil/contracts';

export interface StreamProgress {
  stream: Stream;
  recordingId: string | null;
  recording: boolean; // a MediaRecorder is running for this stream now
  bytesRecorded: number;
  bytesUploaded: number; // acknowledged by the server
  bytesWaiting: number; // in the local journal, not yet acknowledged
  segmentsWaiting: number;
  state: 'recording' | 'uploading' | 'waiting-network' | 'finalizing' | 'verified' | 'error';
  error?: string;
  /** The server's completeness report once verified: seconds recorded/received, gaps between runs. */
  report?: CompletenessReport | null;
}

export interface PipelineProgress {
  streams: StreamProgress[];
  online: boolean;
  /** True only when the server has verified and assembled every stream: the only time to say 上传成功. */
  allVerified: boolean;
  storageLow: boolean;
}

export interface RecordingPipeline {
  /**
   * Start (or resume after reload: a new run) recording these streams for the attempt. Calling it again with a
   * stream that is already recording (e.g. the screen re-shared) ends that stream's run and starts a new one.
   */
  start(attemptId: string, streams: Partial<Record<Stream, MediaStream>>): Promise<void>;
  /** Stop the recorders, flush the last chunks to the journal, then finalize each recording once uploaded. */
  stop(): Promise<void>;
  /** Upload whatever the journal holds for this attempt (e.g. on the upload page after a reload). */
  resumeUploads(attemptId: string): Promise<void>;
  progress(): PipelineProgress;
  subscribe(fn: (p: PipelineProgress) => void): () => void;
}
