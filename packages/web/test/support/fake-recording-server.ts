// An in-memory recording server behind the RecordingApi port (media/protocol.ts), with the same answers as the
// real one (packages/contracts/src/recordings.ts) and hooks to make it fail the way networks and servers do.
// Like LiveKit's simulated failures: the uploader under test cannot tell it from fetch + the real server.
import type { Recording, SegmentAck, Stream } from '@invigil/contracts';
import { sha256Hex } from '../../src/media/hash.ts';
import { UploadError, type RecordingApi, type SegmentUpload } from '../../src/media/protocol.ts';

interface StoredSegment {
  seq: number;
  run: number;
  sha256: string;
  bytes: number;
  body: string;
}

interface ServerRecording {
  id: string;
  attemptId: string;
  stream: Stream;
  mimeType: string;
  status: Recording['status'];
  lastSeq: number | null;
  segments: Map<number, StoredSegment>;
}

type Op = 'open' | 'state' | 'putSegment' | 'finalize';
/** A planned failure: thrown instead of answering the next matching call (seq: only a PUT of that seq). */
interface Fault {
  op: Op | '*';
  seq?: number;
  error: () => UploadError;
}

export const networkDown = () => new UploadError(0, 'NETWORK', 'Failed to fetch');
export const storageFull = () => new UploadError(507, 'STORAGE_FULL', 'Server storage is full.');
export const loggedOut = () => new UploadError(401, 'UNAUTHENTICATED', 'Please log in again.');

export class FakeRecordingServer implements RecordingApi {
  readonly recordings = new Map<string, ServerRecording>();
  /** Every call as it reached the server, e.g. 'put camera#3', for asserting what was (re)sent. */
  readonly calls: string[] = [];
  /** While set, every call fails as a dropped connection does. */
  offline = false;
  /** While set, every call is answered with this error (a server that is up but refuses everything). */
  refuseAll: (() => UploadError) | null = null;
  /** While set, every segment PUT is refused with 507 (the other calls still work, as on the real server). */
  full = false;
  private faults: Fault[] = [];
  /** Seqs whose next PUT arrives with damaged bytes (a proxy or a bad NIC): the server's hash check fails. */
  private readonly damageOnTheWay = new Set<number>();
  private nextId = 1;

  fail(op: Fault['op'], error: () => UploadError, times = 1, seq?: number): void {
    for (let i = 0; i < times; i++) this.faults.push({ op, error, seq });
  }

  damageNextPut(seq: number): void {
    this.damageOnTheWay.add(seq);
  }

  /** The server forgets a recording (database restored from a backup, a test reset): its id now answers 404. */
  forget(recordingId: string): void {
    this.recordings.delete(recordingId);
  }

  /** Another client stored different bytes under a seq (two computers recording the same attempt). */
  plant(recordingId: string, seq: number, body: string, sha256: string): void {
    this.rec(recordingId).segments.set(seq, { seq, run: 0, sha256, bytes: body.length, body });
  }

  recordingOf(attemptId: string, stream: Stream): ServerRecording | undefined {
    return [...this.recordings.values()].find((r) => r.attemptId === attemptId && r.stream === stream);
  }

  /** Segment bodies the server holds for one stream, in seq order. */
  bodies(attemptId: string, stream: Stream): string[] {
    const r = this.recordingOf(attemptId, stream);
    return r ? [...r.segments.values()].sort((a, b) => a.seq - b.seq).map((s) => s.body) : [];
  }

  putCount(stream: Stream, seq: number): number {
    return this.calls.filter((c) => c === `put ${stream}#${seq}`).length;
  }

  async open(attemptId: string, stream: Stream, mimeType: string): Promise<Recording> {
    await this.gate('open');
    this.calls.push(`open ${stream}`);
    let r = this.recordingOf(attemptId, stream);
    if (!r) {
      r = { id: `rec-${this.nextId++}`, attemptId, stream, mimeType, status: 'uploading', lastSeq: null, segments: new Map() };
      this.recordings.set(r.id, r);
    }
    return this.view(r);
  }

  async state(recordingId: string): Promise<Recording> {
    await this.gate('state');
    this.calls.push(`state ${recordingId}`);
    return this.view(this.rec(recordingId));
  }

  async putSegment(recordingId: string, s: SegmentUpload): Promise<SegmentAck> {
    await this.gate('putSegment', s.seq);
    const r = this.rec(recordingId);
    this.calls.push(`put ${r.stream}#${s.seq}`);
    let body = await s.blob.text();
    if (this.damageOnTheWay.delete(s.seq)) body = `${body}~`;
    if ((await sha256Hex(new Blob([body]))) !== s.sha256) throw new UploadError(422, 'SEGMENT_HASH_MISMATCH', 'The uploaded segment failed verification.');
    const stored = r.segments.get(s.seq);
    if (stored) {
      if (stored.sha256 !== s.sha256) throw new UploadError(409, 'SEGMENT_CONFLICT', 'This segment already exists with different content.');
      return { seq: s.seq, sha256: s.sha256, duplicate: true };
    }
    if (r.status !== 'uploading') throw new UploadError(409, 'RECORDING_FINALIZED', 'This recording is already verified and closed.');
    if (this.full) throw storageFull();
    r.segments.set(s.seq, { seq: s.seq, run: s.run, sha256: s.sha256, bytes: s.blob.size, body });
    return { seq: s.seq, sha256: s.sha256, duplicate: false };
  }

  async finalize(recordingId: string, lastSeq: number): Promise<Recording> {
    await this.gate('finalize');
    const r = this.rec(recordingId);
    this.calls.push(`finalize ${r.stream} ${lastSeq}`);
    if (r.status === 'uploading') {
      const missing = [];
      for (let seq = 0; seq <= lastSeq; seq++) if (!r.segments.has(seq)) missing.push(seq);
      if (missing.length) throw new UploadError(409, 'RECORDING_INCOMPLETE', `Segments are still missing: ${missing.join(', ')}`, { missing });
      r.status = 'complete';
      r.lastSeq = lastSeq;
    }
    return this.view(r);
  }

  private async gate(op: Op, seq?: number) {
    await Promise.resolve(); // an answer is never synchronous
    if (this.offline) throw networkDown();
    if (this.refuseAll) throw this.refuseAll();
    const i = this.faults.findIndex((f) => (f.op === op || f.op === '*') && (f.seq === undefined || f.seq === seq));
    if (i >= 0) throw this.faults.splice(i, 1)[0]!.error();
  }

  private rec(id: string): ServerRecording {
    const r = this.recordings.get(id);
    if (!r) throw new UploadError(404, 'NOT_FOUND', 'Not found.');
    return r;
  }

  private view(r: ServerRecording): Recording {
    const segments = [...r.segments.values()].sort((a, b) => a.seq - b.seq).map(({ seq, run, sha256, bytes }) => ({ seq, run, sha256, bytes }));
    const report =
      r.status === 'uploading'
        ? null
        : {
            runs: 1,
            segments: segments.length,
            bytes: segments.reduce((n, s) => n + s.bytes, 0),
            secondsRecorded: 0,
            secondsReceived: 0,
            gaps: [],
            gapSeconds: 0,
            sha256: 'assembled',
            assembledAt: 0,
          };
    return { id: r.id, attemptId: r.attemptId, stream: r.stream, status: r.status, mimeType: r.mimeType, segments, lastSeq: r.lastSeq, report };
  }
}
