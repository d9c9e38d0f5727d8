// A small pool of threads that write whole files with blocking calls (file-writer.mjs). On the segment path
// (~1000 files a second at full ingest) the callback fs API costs the event loop four thread-pool round trips per
// file (open, write, fsync, close), each a wake-up and a context switch on a machine with two cores; profiled, the
// submissions alone took ~30 % of the event loop's wall time. Here a file is one message out and one back, and
// its SHA-256 is checked on the writing thread too.
import { MessageChannel, Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { BlobHashMismatchError } from './port.ts';

/**
 * 'now': fsync'd before the write resolves. 'soon': resolves once written (the page cache has it); a syncer
 * thread fsyncs it moments later, so a slow disk delays durability, never the answer.
 */
export type FileSync = 'now' | 'soon';

interface Job {
  sha256: string | undefined;
  resolve(): void;
  reject(e: Error): void;
}

interface Thread {
  worker: Worker;
  jobs: Map<number, Job>;
}

const SCRIPT = fileURLToPath(new URL('./file-writer.mjs', import.meta.url));

export class FileWriterPool {
  private readonly writers: Thread[] = [];
  private readonly syncers: Worker[] = [];
  private readonly unsynced = new SharedArrayBuffer(4);
  private nextId = 0;
  private closing = false;
  /** Barriers on their way through a writer and its syncer: id → the writer and the waiter. */
  private readonly barriers = new Map<number, { thread: Thread; resolve(): void; reject(e: Error): void }>();
  /** Test hook: while non-zero, syncers hold every fsync (holdSyncs / releaseSyncs). */
  private readonly hold = new SharedArrayBuffer(4);

  constructor(writers: number, syncers: number) {
    for (let i = 0; i < syncers; i++) {
      const w = new Worker(SCRIPT, { execArgv: [], workerData: { role: 'syncer', unsynced: this.unsynced, hold: this.hold } });
      w.unref();
      w.on('message', (m: { barrier?: number }) => {
        if (m.barrier === undefined) return;
        const b = this.barriers.get(m.barrier);
        this.barriers.delete(m.barrier);
        b?.resolve();
      });
      this.syncers.push(w);
    }
    for (let i = 0; i < writers; i++) this.writers.push(this.spawnWriter(i));
  }

  private spawnWriter(n: number): Thread {
    // Each writer hands files to one syncer over its own channel: no round trip through the server thread.
    const { port1, port2 } = new MessageChannel();
    this.syncers[n % this.syncers.length]!.postMessage({ port: port2 }, [port2]);
    const worker = new Worker(SCRIPT, { execArgv: [], workerData: { role: 'writer', unsynced: this.unsynced, syncPort: port1 }, transferList: [port1] });
    const t: Thread = { worker, jobs: new Map() };
    worker.unref();
    worker.on('message', (m: { id: number; mismatch?: string; error?: { code?: string; message: string } }) => {
      const job = t.jobs.get(m.id);
      if (!job) return;
      t.jobs.delete(m.id);
      if (m.mismatch) job.reject(new BlobHashMismatchError(job.sha256!, m.mismatch));
      else if (m.error) job.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
      else job.resolve();
    });
    // A thread that dies takes its files with it: they fail (the uploader sends them again) and a new thread
    // takes its place.
    worker.on('error', () => undefined);
    worker.once('exit', () => {
      for (const job of t.jobs.values()) job.reject(new Error('file writer thread exited'));
      t.jobs.clear();
      for (const [id, b] of this.barriers) {
        if (b.thread !== t) continue;
        this.barriers.delete(id);
        b.reject(new Error('file writer thread exited'));
      }
      const i = this.writers.indexOf(t);
      if (i >= 0 && !this.closing) this.writers[i] = this.spawnWriter(i);
    });
    return t;
  }

  /**
   * Writes `bytes` to `file` (creating its directory when missing); with `sha256`, refuses (BlobHashMismatchError)
   * a body that does not match, writing nothing. A buffer that owns its whole memory is moved to the writing
   * thread, not copied: the caller must not read it afterwards.
   */
  write(file: string, bytes: Buffer, o: { sync: FileSync; sha256?: string | undefined }): Promise<void> {
    if (this.closing) return Promise.reject(new Error('file writer pool closed'));
    const id = this.nextId++;
    // The least busy writer: one held up by the disk does not hold up the files queued behind it.
    const t = this.writers.reduce((a, b) => (b.jobs.size < a.jobs.size ? b : a));
    const owned = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
    return new Promise<void>((resolve, reject) => {
      t.jobs.set(id, { sha256: o.sha256, resolve, reject });
      t.worker.postMessage({ id, file, bytes, sync: o.sync, sha256: o.sha256 }, owned ? [bytes.buffer as ArrayBuffer] : []);
    });
  }

  /**
   * Resolves once every 'soon' file written before this call is fsync'd: a barrier goes through each writer (after
   * the files it was given) to its syncer (after the files it was handed), and the syncer answers it.
   */
  barrier(): Promise<void> {
    if (this.closing) return Promise.reject(new Error('file writer pool closed'));
    return Promise.all(
      this.writers.map(
        (t) =>
          new Promise<void>((resolve, reject) => {
            const id = this.nextId++;
            this.barriers.set(id, { thread: t, resolve, reject });
            t.worker.postMessage({ id, barrier: true });
          }),
      ),
    ).then(() => undefined);
  }

  /** For tests: syncers hold their fsyncs until releaseSyncs (what a disk stalled for seconds looks like). */
  holdSyncs(): void {
    Atomics.store(new Int32Array(this.hold), 0, 1);
  }
  releaseSyncs(): void {
    const h = new Int32Array(this.hold);
    Atomics.store(h, 0, 0);
    Atomics.notify(h, 0);
  }

  /** Files written with 'soon' whose fsync has not finished yet. */
  unsyncedFiles(): number {
    return Atomics.load(new Int32Array(this.unsynced), 0);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.writers.map((t) => t.worker.terminate()), ...this.syncers.map((w) => w.terminate())]);
  }
}
