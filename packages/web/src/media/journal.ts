// The durable local journal (DESIGN.md "Recording pipeline"): every chunk lands here before any upload, in
// IndexedDB, so it survives a reload, a crash and a browser restart. Entries leave only after the server has
// confirmed the whole recording verified (finalize → status complete).
// If the disk refuses a chunk (quota), the chunk is kept in memory instead and storage is flagged low: the
// recording goes on as long as physically possible, and the uploader sends RAM-held chunks like any other.
import type { CompletenessReport, Stream } from '@invigil/contracts';

export interface JournalEntry {
  attemptId: string;
  stream: Stream;
  recordingId: string | null; // null when the chunk was recorded before the server could be reached
  seq: number; // per recording, continuing across runs
  run: number;
  sha256: string;
  recordedAt: number; // epoch ms of the chunk's dataavailable (end of its media)
  durationMs: number;
  /** On a run's first chunk: epoch ms of the run's first real video frame, its true start (absent when unknown). */
  runStartedAt?: number;
  bytes: number;
  blob: Blob;
}

/** What is known about one stream of one attempt, kept next to its chunks and written in the same transaction. */
export interface StreamMeta {
  attemptId: string;
  stream: Stream;
  mimeType: string;
  recordingId: string | null;
  nextSeq: number;
  nextRun: number;
  bytesRecorded: number;
  msRecorded: number; // sum of chunk durations: the time this browser actually recorded
  /** Set by stop(): the recording is over; finalize with this last seq once everything is uploaded. */
  lastSeq: number | null;
  verified: boolean;
  report: CompletenessReport | null; // the server's completeness report, once verified
}

export type StoredIn = 'disk' | 'memory';

const DB_NAME = 'invigil-media';
const CHUNKS = 'chunks';
const STREAMS = 'streams';
const MAX_SEQ = Number.MAX_SAFE_INTEGER;

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function finished(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new DOMException('transaction aborted', 'AbortError'));
  });
}

const isQuotaError = (e: unknown) => e instanceof DOMException && (e.name === 'QuotaExceededError' || e.name === 'UnknownError');
const memKey = (attemptId: string, stream: Stream, seq: number) => `${attemptId}|${stream}|${seq}`;

export class Journal {
  /** Chunks the disk refused, by memKey. Lost on reload — which is why storage is flagged low at once. */
  private readonly overflow = new Map<string, JournalEntry>();

  private constructor(private readonly db: IDBDatabase) {}

  static async open(name = DB_NAME): Promise<Journal> {
    const r = indexedDB.open(name, 1);
    r.onupgradeneeded = () => {
      r.result.createObjectStore(CHUNKS, { keyPath: ['attemptId', 'stream', 'seq'] });
      r.result.createObjectStore(STREAMS, { keyPath: ['attemptId', 'stream'] });
    };
    const db = await request(r);
    // A newer version of the app in another tab must be able to upgrade; this tab reopens on its next load.
    db.onversionchange = () => db.close();
    return new Journal(db);
  }

  get memoryBytes(): number {
    let n = 0;
    for (const e of this.overflow.values()) n += e.bytes;
    return n;
  }

  async meta(attemptId: string, stream: Stream): Promise<StreamMeta | undefined> {
    return request(this.db.transaction(STREAMS).objectStore(STREAMS).get([attemptId, stream]));
  }

  async metas(attemptId: string): Promise<StreamMeta[]> {
    const range = IDBKeyRange.bound([attemptId], [attemptId, '\uffff']);
    return request(this.db.transaction(STREAMS).objectStore(STREAMS).getAll(range));
  }

  async saveMeta(meta: StreamMeta): Promise<void> {
    const tx = this.db.transaction(STREAMS, 'readwrite', { durability: 'strict' });
    tx.objectStore(STREAMS).put(meta);
    await finished(tx);
  }

  /**
   * Stores a chunk and the stream's updated counters atomically, flushed to disk ('strict'): a crash right after
   * can neither lose the chunk nor hand its seq to another chunk.
   */
  async append(meta: StreamMeta, entry: JournalEntry): Promise<StoredIn> {
    try {
      const tx = this.db.transaction([CHUNKS, STREAMS], 'readwrite', { durability: 'strict' });
      tx.objectStore(CHUNKS).put(entry);
      tx.objectStore(STREAMS).put(meta);
      await finished(tx);
      return 'disk';
    } catch (e) {
      // Quota is the expected cause; any other refusal (disk error, database deleted under us) gets the same
      // answer, because dropping a chunk is never an option.
      if (!isQuotaError(e)) console.error('journal: a chunk could not be written to disk; keeping it in memory', e);
      this.overflow.set(memKey(entry.attemptId, entry.stream, entry.seq), entry);
      await this.saveMeta(meta).catch(() => undefined); // tiny; if even this fails, the counters live in RAM
      return 'memory';
    }
  }

  /** All chunks of a stream not yet released, in seq order (Blobs are handles to disk, not loaded bytes). */
  async entries(attemptId: string, stream: Stream): Promise<JournalEntry[]> {
    const range = IDBKeyRange.bound([attemptId, stream, 0], [attemptId, stream, MAX_SEQ]);
    const stored: JournalEntry[] = await request(this.db.transaction(CHUNKS).objectStore(CHUNKS).getAll(range));
    const held = [...this.overflow.values()].filter((e) => e.attemptId === attemptId && e.stream === stream);
    return [...stored, ...held].sort((a, b) => a.seq - b.seq);
  }

  async get(attemptId: string, stream: Stream, seq: number): Promise<JournalEntry | undefined> {
    const held = this.overflow.get(memKey(attemptId, stream, seq));
    if (held) return held;
    return request(this.db.transaction(CHUNKS).objectStore(CHUNKS).get([attemptId, stream, seq]));
  }

  /** Rewrites one entry's metadata (e.g. a hash recomputed after the server refused it). */
  async replace(entry: JournalEntry): Promise<void> {
    const key = memKey(entry.attemptId, entry.stream, entry.seq);
    if (this.overflow.has(key)) {
      this.overflow.set(key, entry);
      return;
    }
    const tx = this.db.transaction(CHUNKS, 'readwrite', { durability: 'strict' });
    tx.objectStore(CHUNKS).put(entry);
    await finished(tx);
  }

  /** Releases every chunk of a stream: call only when the server has verified the assembled recording. */
  async release(attemptId: string, stream: Stream): Promise<void> {
    const tx = this.db.transaction(CHUNKS, 'readwrite', { durability: 'strict' });
    tx.objectStore(CHUNKS).delete(IDBKeyRange.bound([attemptId, stream, 0], [attemptId, stream, MAX_SEQ]));
    await finished(tx);
    for (const [k, e] of this.overflow) if (e.attemptId === attemptId && e.stream === stream) this.overflow.delete(k);
  }

  close(): void {
    this.db.close();
  }
}

export interface StorageCheck {
  low: boolean;
  usage: number;
  quota: number;
}

/** Storage is low when less than `minFreeBytes` is left for the journal, or when the disk already refused a chunk. */
export async function checkStorage(journal: Journal, minFreeBytes: number): Promise<StorageCheck> {
  const { usage = 0, quota = 0 } = navigator.storage?.estimate ? await navigator.storage.estimate() : {};
  return { low: journal.memoryBytes > 0 || (quota > 0 && quota - usage < minFreeBytes), usage, quota };
}
