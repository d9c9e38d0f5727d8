// The HTTP calls of the segment upload protocol (packages/contracts/src/recordings.ts), with failures turned into
// UploadError so the uploader can apply its rules (retry, re-hash, wait, stop). Plain fetch and no UI imports:
// the phone page uses the same module.
import type { Recording, SegmentAck, Stream } from '@invigil/contracts';

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
      call(`${base}/api/attempts/${encodeURIComponent(attemptId)}/recordings`, { method: 'POST', headers: json, body: JSON.stringify({ stream, mimeType }) }, timeout),
    state: (id) => call(`${base}/api/recordings/${encodeURIComponent(id)}`, { method: 'GET' }, timeout),
    putSegment: (id, s) =>
      call(
        `${base}/api/recordings/${encodeURIComponent(id)}/segments/${s.seq}`,
        {
          method: 'PUT',
          headers: {
            'content-type': 'application/octet-stream',
            'x-segment-sha256': s.sha256,
            'x-segment-run': String(s.run),
            'x-segment-recorded-at': String(Math.round(s.recordedAt)),
            'x-segment-duration-ms': String(Math.round(s.durationMs)),
          },
          body: s.blob,
        },
        timeout,
      ),
    finalize: (id, lastSeq) =>
      call(`${base}/api/recordings/${encodeURIComponent(id)}/finalize`, { method: 'POST', headers: json, body: JSON.stringify({ lastSeq }) }, finalizeTimeout),
  };
}

async function call<T>(url: string, init: RequestInit, timeoutMs: number): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, credentials: 'same-origin', cache: 'no-store', signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    throw new UploadError(0, 'NETWORK', e instanceof Error ? e.message : String(e));
  }
  let data: unknown;
  try {
    const text = await res.text();
    data = text ? JSON.parse(text) : undefined;
  } catch (e) {
    // The body was cut off (connection dropped mid-response) or is not ours (a proxy's error page).
    if (res.ok) throw new UploadError(0, 'NETWORK', `unreadable response: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!res.ok) {
    const err = (data as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    throw new UploadError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? res.statusText, err?.details);
  }
  return data as T;
}
