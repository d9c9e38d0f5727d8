// The HTTP calls of the segment upload protocol (packages/contracts/src/recordings.ts), with failures turned into
// UploadError so the uploader can apply its rules (retry, re-hash, wait, stop). Plain fetch and no UI imports:
// the phone page uses the same module.
import { pathOf, routes, type Recording, type SegmentAck, type Stream } from '@invigil/contracts';
import { readErrorBody } from '../api/errors.ts';

export class UploadError extends Error {
  constructor(
    readonly status: number, // 0 = no HTTP answer (offline, server down, timeout)
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  get isNetwork(): boolean {
    return this.status === 0;
  }
}

export interface SegmentUpload {
  seq: number;
  run: number;
  sha256: string;
  recordedAt: number;
  durationMs: number;
  runStartedAt?: number;
  blob: Blob;
}

export interface RecordingApi {
  open(attemptId: string, stream: Stream, mimeType: string): Promise<Recording>;
  state(recordingId: string): Promise<Recording>;
  putSegment(recordingId: string, segment: SegmentUpload): Promise<SegmentAck>;
  finalize(recordingId: string, lastSeq: number): Promise<Recording>;
}

export interface HttpApiOptions {
  baseUrl?: string;
  /** A request that hangs (half-open connection) must fail so it can be retried. */
  requestTimeoutMs?: number;
  /** Finalize waits for the server to assemble with ffmpeg: minutes for a long recording. */
  finalizeTimeoutMs?: number;
}

export function httpRecordingApi(o: HttpApiOptions = {}): RecordingApi {
  const base = o.baseUrl ?? '';
  const timeout = o.requestTimeoutMs ?? 60_000;
  const finalizeTimeout = o.finalizeTimeoutMs ?? 15 * 60_000;
  const json = { 'content-type': 'application/json' };
  return {
    open: (attemptId, stream, mimeType) =>
      call(base + pathOf(routes.openRecording, { attemptId }), { method: routes.openRecording.method, headers: json, body: JSON.stringify({ stream, mimeType }) }, timeout),
    state: (recordingId) => call(base + pathOf(routes.recording, { recordingId }), { method: routes.recording.method }, timeout),
    putSegment: (recordingId, s) =>
      call(
        base + pathOf(routes.putSegment, { recordingId, seq: String(s.seq) }),
        {
          method: routes.putSegment.method,
          headers: {
            'content-type': 'application/octet-stream',
            'x-segment-sha256': s.sha256,
            'x-segment-run': String(s.run),
            'x-segment-recorded-at': String(Math.round(s.recordedAt)),
            'x-segment-duration-ms': String(Math.round(s.durationMs)),
            ...(s.runStartedAt !== undefined ? { 'x-segment-run-started-at': String(Math.round(s.runStartedAt)) } : {}),
          },
          body: s.blob,
        },
        timeout,
      ),
    finalize: (recordingId, lastSeq) =>
      call(base + pathOf(routes.finalizeRecording, { recordingId }), { method: routes.finalizeRecording.method, headers: json, body: JSON.stringify({ lastSeq }) }, finalizeTimeout),
  };
}

async function call<T>(url: string, init: RequestInit, timeoutMs: number): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, credentials: 'same-origin', cache: 'no-store', signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    throw new UploadError(0, 'NETWORK', e instanceof Error ? e.message : String(e));
  }
  let text = '';
  let cutOff: unknown = null;
  try {
    text = await res.text();
  } catch (e) {
    cutOff = e;
  }
  if (!res.ok) {
    // Not our envelope (a proxy's error page, a cut-off body): the status alone decides what the uploader does.
    const err = readErrorBody(text);
    throw new UploadError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? res.statusText, err?.details);
  }
  try {
    if (cutOff) throw cutOff;
    return (text ? JSON.parse(text) : undefined) as T;
  } catch (e) {
    // The body was cut off (connection dropped mid-response) or is not ours: as if no answer came.
    throw new UploadError(0, 'NETWORK', `unreadable response: ${e instanceof Error ? e.message : String(e)}`);
  }
}
