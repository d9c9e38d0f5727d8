// Sends one stream's journal to the server (protocol: packages/contracts/src/recordings.ts) and says honestly
// where it stands. The rules, each from a way recordings get lost:
// - the server's word is the only proof of upload: after any reconnect (and at start) it is asked which
//   segments it holds, and only those count as uploaded;
// - every failure is retried with capped backoff, forever, except a lost login (401/403: the session was taken
//   over — stop and say so; the journal keeps everything for a later resumeUploads);
// - 422 (hash mismatch): re-read the chunk from the journal, hash it again, send again;
// - 507 (server storage full): keep the journal, retry later;
// - the journal is released only after finalize answered that every segment is stored and verified ('verified';
//   assembly follows on the server as a job — 'complete' once assembled).
import type { CompletenessReport, Recording, Stream } from '@invigil/contracts';
import type { StreamProgress } from './types.ts';
import { sha256Hex } from './hash.ts';
import type { Journal, StreamMeta } from './journal.ts';
import { UploadError, type RecordingApi } from './protocol.ts';
import { Wakeup, type RetryPolicy } from './retry.ts';

export interface UploaderDeps {
  journal: Journal;
  api: RecordingApi;
  retry: RetryPolicy;
  /** Segments in flight at once for this stream: small, so a slow uplink is not split among many requests. */
  concurrency: number;
  isOnline(): boolean;
  onChange(): void;
  /** The login is gone (401/403): the pipeline stops every uploader and tells the candidate. */
  onUnauthorized(e: UploadError): void;
}

interface PendingSegment {
  bytes: number;
  sha256: string;
}

/** What the uploader knows; the pipeline adds whether a recorder runs. `state` null = nothing to do right now. */
export type UploaderStatus = Pick<StreamProgress, 'recordingId' | 'bytesUploaded' | 'bytesWaiting' | 'segmentsWaiting' | 'error'> & {
  state: Exclude<StreamProgress['state'], 'recording'> | null;
  report: CompletenessReport | null;
};

/** A condition no retry can fix (the server holds different bytes, segments lost locally): a person must look. */
class FatalUploadError extends Error {}

export class StreamUploader {
  private readonly pending = new Map<number, PendingSegment>(); // in the journal, not held by the server
  private readonly held = new Map<number, number>(); // seq → bytes the server acknowledged
  private readonly wakeup = new Wakeup();
  private needSync = true;
  private failures = 0;
  private lastError: Error | null = null;
  private finalizing = false;
  private halted: Error | null = null;
  private urgent = false; // network back or halted: end any backoff now
  private report: CompletenessReport | null;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly meta: StreamMeta, // shared with the pipeline, which advances its counters
    private readonly deps: UploaderDeps,
  ) {
    this.report = meta.report;
  }

  get stream(): Stream {
    return this.meta.stream;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** A chunk is safely in the journal: queue it. */
  added(seq: number, bytes: number, sha256: string): void {
    this.pending.set(seq, { bytes, sha256 });
    this.wakeup.notify();
  }

  /** meta.lastSeq was set: finalize as soon as everything is uploaded. */
  finish(): void {
    this.wakeup.notify();
  }

  /** The browser is back online: ask the server what it holds, then continue at once rather than after the backoff. */
  networkBack(): void {
    this.needSync = true;
    this.failures = 0;
    this.urgent = true;
    this.wakeup.notify();
  }

  halt(reason: Error): void {
    this.halted = reason;
    this.urgent = true;
    this.wakeup.notify();
  }

  status(): UploaderStatus {
    let bytesWaiting = 0;
    for (const p of this.pending.values()) bytesWaiting += p.bytes;
    let bytesUploaded = 0;
    for (const b of this.held.values()) bytesUploaded += b;
    const base = { recordingId: this.meta.recordingId, bytesUploaded, bytesWaiting, segmentsWaiting: this.pending.size, report: this.report };
    if (this.meta.verified) return { ...base, bytesUploaded: this.meta.bytesRecorded, state: 'verified' };
    if (this.halted) return { ...base, state: 'error', error: this.halted.message };
    const error = this.lastError?.message;
    if (!this.deps.isOnline() || (this.lastError instanceof UploadError && this.lastError.isNetwork)) return { ...base, state: 'waiting-network', error };
    if (this.finalizing) return { ...base, state: 'finalizing', error };
    return { ...base, state: this.pending.size > 0 ? 'uploading' : null, error };
  }

  private async run(): Promise<void> {
    while (!this.halted && !this.meta.verified) {
      try {
        if (!this.deps.isOnline()) {
          this.needSync = true;
          this.deps.onChange();
          await this.wakeup.sleep(); // 'online' wakes us (networkBack)
          continue;
        }
        const worked = await this.step();
        this.failures = 0;
        this.lastError = null;
        this.urgent = false;
        this.deps.onChange();
        if (!worked) await this.wakeup.sleep();
      } catch (e) {
        this.failed(e);
        this.deps.onChange();
        if (!this.halted) await this.backoff(this.deps.retry.delayMs(this.failures));
      }
    }
    this.deps.onChange();
  }

  /**
   * Waits out a retry delay. After a network error a new chunk may end the wait early (nothing reached the server,
   * so trying costs it nothing). After the server's own refusal (507 storage full, 5xx) only the network coming
   * back or a halt may: otherwise every candidate's next chunk, every 3 s, would hit a server that said it cannot
   * cope, and the backoff would never grow.
   */
  private async backoff(ms: number) {
    if (!(this.lastError instanceof UploadError) || this.lastError.isNetwork) return this.wakeup.sleep(ms);
    const end = Date.now() + ms;
    // At least one real sleep, even for a zero delay: a loop of refusals must still yield to the event loop.
    do await this.wakeup.sleep(Math.max(0, end - Date.now()));
    while (!this.urgent && !this.halted && Date.now() < end);
    this.urgent = false;
  }

  private failed(e: unknown) {
    this.finalizing = false;
    const err = e instanceof Error ? e : new Error(String(e));
    if (err instanceof FatalUploadError) return this.halt(err);
    if (err instanceof UploadError && (err.status === 401 || err.status === 403)) {
      this.halt(err);
      return this.deps.onUnauthorized(err);
    }
    this.failures++;
    this.lastError = err;
    // Whatever went wrong, the server's list is the truth to continue from (a reconnect, a refusal, a conflict).
    this.needSync = true;
    if (err instanceof UploadError && err.status === 404) this.meta.recordingId = null; // unknown to the server: open again
    if (!(err instanceof UploadError)) console.error(`uploader(${this.stream}):`, err);
  }

  /** One unit of work; false when there was nothing to do. */
  private async step(): Promise<boolean> {
    if (!this.meta.recordingId) await this.open();
    else if (this.needSync) await this.apply(await this.deps.api.state(this.meta.recordingId));
    if (this.meta.verified) return true;
    const batch = [...this.pending.keys()].sort((a, b) => a - b).slice(0, this.deps.concurrency);
    if (batch.length) {
      const results = await Promise.allSettled(batch.map((seq) => this.send(seq)));
      const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failure) throw failure.reason;
      return true;
    }
    if (this.meta.lastSeq === null) return false;
    await this.finalize(this.meta.lastSeq);
    return true;
  }

  private async open() {
    const rec = await this.deps.api.open(this.meta.attemptId, this.meta.stream, this.meta.mimeType);
    this.meta.recordingId = rec.id;
    await this.deps.journal.saveMeta(this.meta);
    await this.apply(rec);
  }

  /** Takes the server's list of held segments as the truth: held ones leave the queue, all others (re)join it. */
  private async apply(rec: Recording) {
    const entries = await this.deps.journal.entries(this.meta.attemptId, this.meta.stream);
    this.held.clear();
    for (const s of rec.segments) this.held.set(s.seq, s.bytes);
    const serverHash = new Map(rec.segments.map((s) => [s.seq, s.sha256]));
    for (const e of entries) {
      const theirs = serverHash.get(e.seq);
      if (theirs === undefined) this.pending.set(e.seq, { bytes: e.bytes, sha256: e.sha256 });
      else if (theirs === e.sha256) this.pending.delete(e.seq);
      else throw new FatalUploadError(`segment ${e.seq} of the ${this.stream} recording differs on the server; the local copy is kept — please contact support`);
    }
    for (const seq of this.pending.keys()) if (serverHash.get(seq) === this.pending.get(seq)!.sha256) this.pending.delete(seq);
    this.needSync = false;
    if (rec.status !== 'uploading') await this.closedOnServer(rec);
  }

  private async send(seq: number) {
    const { journal, api } = this.deps;
    const recordingId = this.meta.recordingId!;
    const entry = await journal.get(this.meta.attemptId, this.meta.stream, seq);
    if (!entry) throw new FatalUploadError(`segment ${seq} of the ${this.stream} recording is missing from this computer's journal`);
    try {
      await api.putSegment(recordingId, entry);
    } catch (e) {
      if (!(e instanceof UploadError && e.code === 'SEGMENT_HASH_MISMATCH')) throw e;
      // The bytes changed between our journal and the server. Read the chunk again and hash it again: if the
      // journal's own copy changed, it is still the only copy, so it goes with its true hash (and a warning);
      // otherwise the damage was on the way, and the same bytes go again.
      const fresh = await journal.get(this.meta.attemptId, this.meta.stream, seq);
      if (!fresh) throw e;
      const sha256 = await sha256Hex(fresh.blob);
      if (sha256 !== fresh.sha256) {
        console.warn(`uploader(${this.stream}): segment ${seq} changed in the local journal; sending it with its new hash`);
        fresh.sha256 = sha256;
        await journal.replace(fresh);
        this.pending.set(seq, { bytes: fresh.bytes, sha256 });
      }
      await api.putSegment(recordingId, fresh);
    }
    this.pending.delete(seq);
    this.held.set(seq, entry.bytes);
    this.deps.onChange();
  }

  private async finalize(lastSeq: number) {
    this.finalizing = true;
    this.deps.onChange();
    try {
      const rec = await this.deps.api.finalize(this.meta.recordingId!, lastSeq);
      if (rec.status === 'uploading') throw new UploadError(409, 'RECORDING_INCOMPLETE', 'the server has not verified the recording yet');
      await this.closedOnServer(rec);
    } catch (e) {
      if (!(e instanceof UploadError && e.code === 'RECORDING_INCOMPLETE')) throw e;
      // The server misses segments (never arrived, or lost in its storage): ask which, and resend from the journal.
      await this.apply(await this.deps.api.state(this.meta.recordingId!));
      if (this.pending.size === 0) throw new FatalUploadError(`the server misses segments of the ${this.stream} recording that are no longer on this computer: ${e.message}`);
    } finally {
      this.finalizing = false;
    }
  }

  /** The recording is closed on the server: verified if it holds exactly what we recorded, else a person must look. */
  private async closedOnServer(rec: Recording) {
    const ours = await this.deps.journal.entries(this.meta.attemptId, this.meta.stream);
    const theirs = new Map(rec.segments.map((s) => [s.seq, s.sha256]));
    const notThere = ours.filter((e) => theirs.get(e.seq) !== e.sha256).map((e) => e.seq);
    if (notThere.length)
      throw new FatalUploadError(`the ${this.stream} recording was closed on the server without segments ${notThere.slice(0, 10).join(', ')}; they are kept on this computer — please contact support`);
    this.report = rec.report;
    this.meta.verified = true;
    this.meta.report = rec.report;
    this.pending.clear();
    await this.deps.journal.saveMeta(this.meta);
    await this.deps.journal.release(this.meta.attemptId, this.meta.stream);
  }
}
