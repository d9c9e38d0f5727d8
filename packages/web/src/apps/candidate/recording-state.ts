// What the candidate is told about the recording while the exam runs, as pure functions of the pipeline's
// progress: is the network gone, how much is waiting on this computer (MB and minutes of recording), and has
// the backlog drained after a cut. Kept pure so the edge cases are table-tested (test/recording-state.test.ts).
import type { PipelineProgress } from '../../media/types.ts';

const MB = 1024 * 1024;

export interface LocalBacklog {
  bytes: number;
  /** "12.3" */
  mb: string;
  /** Minutes of recording not yet on the server: the longest stream's waiting segments × the timeslice. */
  minutes: number;
}

export function localBacklog(p: PipelineProgress, timesliceMs: number): LocalBacklog {
  const bytes = p.streams.reduce((a, s) => a + s.bytesWaiting, 0);
  const segments = p.streams.reduce((a, s) => Math.max(a, s.segmentsWaiting), 0);
  return { bytes, mb: (bytes / MB).toFixed(1), minutes: Math.round((segments * timesliceMs) / 6000) / 10 };
}

/** Cut off from the server: the browser says offline, or an upload is waiting for the network. */
export function isOffline(p: PipelineProgress): boolean {
  return !p.online || p.streams.some((s) => s.state === 'waiting-network');
}

/**
 * Drained: every stream is back to its live rhythm — at most the chunk being sent right now is waiting. (During
 * recording the newest chunk is always briefly in the journal, so "zero waiting" would never hold.)
 */
export function isDrained(p: PipelineProgress): boolean {
  return !isOffline(p) && p.streams.every((s) => s.segmentsWaiting <= 1);
}

export type ConnectionBanner = 'offline' | 'draining' | null;

/** `cutSeen`: the network dropped since the last time the backlog drained. */
export function connectionBanner(p: PipelineProgress, cutSeen: boolean): ConnectionBanner {
  if (isOffline(p)) return 'offline';
  if (cutSeen && !isDrained(p)) return 'draining';
  return null;
}

export type UploadRowState = 'uploading' | 'verifying' | 'waiting' | 'success' | 'error';

/**
 * One stream's row on the upload page. Everything sent but not yet verified is the server's check (正在校验…),
 * not "上传中" at 100 % with "0.0 MB waiting", which looks stuck.
 */
export function uploadRowState(s: { state: string; bytesWaiting: number; segmentsWaiting: number; recording: boolean; bytesUploaded: number }): UploadRowState {
  if (s.state === 'verified') return 'success';
  if (s.state === 'error') return 'error';
  if (s.state === 'waiting-network') return 'waiting';
  if (s.state === 'finalizing') return 'verifying';
  if (!s.recording && s.segmentsWaiting === 0 && s.bytesWaiting === 0 && s.bytesUploaded > 0) return 'verifying';
  return 'uploading';
}
