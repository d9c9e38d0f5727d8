// Blob store on the local disk (the default). Writes are durable before `put` resolves: the body goes to a
// temp file, is fsync'd, renamed into place and the directory is fsync'd — so a stored blob survives a power cut,
// and a crash mid-write never leaves a half file under the real key. Recording segments ask for less
// ('contents' or 'soon' durability, see PutOptions): written in place by the file writer threads, with O_DIRECT
// where the filesystem allows (file-writer.mjs), because they are verified again later and the browser keeps
// them until then.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { BlobHashMismatchError, BlobNotFoundError, BlobStorageFullError, verifySha256, type BlobInfo, type BlobStore, type ByteRange, type PutOptions } from './port.ts';
import { keyOfRef, tagRef, checkKey } from './keys.ts';
import { FileWriterPool, type FileSync } from './file-writer.ts';

// Writers hash and write (CPU and page cache: a few suffice); syncers wait on the disk, so that a few slow fsyncs
// (seconds, on a busy virtual disk) do not hold up the others.
const FILE_WRITERS = 4;
const FILE_SYNCERS = 4;
let writerPool: FileWriterPool | null = null;
/** One pool per process, started on the first in-place write (tools and most tests never need it). */
const fileWriter = () => (writerPool ??= new FileWriterPool(FILE_WRITERS, FILE_SYNCERS));
/** This process's file writer pool (tests hold its syncers to show what flush waits for). */
export const localWriterPool = fileWriter;

const TMP_DIR = '.tmp'; // inside the root, so rename never crosses filesystems; never listed

const isFull = (e: unknown) => ['ENOSPC', 'EDQUOT'].includes((e as NodeJS.ErrnoException)?.code ?? '');
const isMissing = (e: unknown) => ['ENOENT', 'ENOTDIR'].includes((e as NodeJS.ErrnoException)?.code ?? '');

export class LocalBlobStore implements BlobStore {
  readonly backend = 'local' as const;
  private constructor(private readonly root: string) {}

  static async create(root: string): Promise<LocalBlobStore> {
    const abs = path.resolve(root);
    await fsp.mkdir(path.join(abs, TMP_DIR), { recursive: true });
    return new LocalBlobStore(abs);
  }

  private file(key: string): string {
    return path.join(this.root, ...key.split('/'));
  }

  async put(key: string, body: Buffer | Readable, opts: PutOptions = {}): Promise<{ ref: string; bytes: number }> {
    checkKey(key);
    if (key.split('/')[0] === TMP_DIR) throw new Error(`blob key may not start with ${TMP_DIR}`);
    const dest = this.file(key);
    if ((opts.durability === 'contents' || opts.durability === 'soon') && Buffer.isBuffer(body))
      return this.putInPlace(key, dest, body, { sync: opts.durability === 'soon' ? 'soon' : 'now', sha256: opts.sha256 });
    verifySha256(body, opts.sha256);
    const tmp = path.join(this.root, TMP_DIR, `${randomUUID()}.part`);
    let bytes = 0;
    try {
      const fh = await fsp.open(tmp, 'w');
      try {
        if (Buffer.isBuffer(body)) {
          await fh.writeFile(body);
          bytes = body.length;
        } else {
          for await (const chunk of body) {
            const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
            await fh.write(buf);
            bytes += buf.length;
          }
        }
        await fh.sync();
      } finally {
        await fh.close();
      }
      await this.moveIntoPlace(tmp, dest, opts.durability !== 'contents');
    } catch (e) {
      await fsp.rm(tmp, { force: true }).catch(() => undefined);
      if (isFull(e)) throw new BlobStorageFullError(`no space left for ${key}`, { cause: e });
      throw e;
    }
    return { ref: tagRef('local', key), bytes };
  }

  /**
   * 'contents' and 'soon' durability: SHA-256 check, then open → write → close under the real name, with the fsync
   * before or after answering (see PutOptions), on the file writer threads. The body is moved there: the caller
   * must not read it afterwards.
   */
  private async putInPlace(key: string, dest: string, body: Buffer, o: { sync: FileSync; sha256: string | undefined }): Promise<{ ref: string; bytes: number }> {
    const bytes = body.length;
    try {
      await fileWriter().write(dest, body, o);
    } catch (e) {
      if (e instanceof BlobHashMismatchError) throw e; // refused before anything was written
      await fsp.rm(dest, { force: true }).catch(() => undefined);
      if (isFull(e)) throw new BlobStorageFullError(`no space left for ${key}`, { cause: e });
      throw e;
    }
    return { ref: tagRef('local', key), bytes };
  }

  // Directories known to exist (so the temp-file path runs mkdir once per folder), and those whose own entry is
  // durable too, up to the root.
  private readonly dirs = new Set<string>();
  private readonly durableDirs = new Set<string>();

  private async moveIntoPlace(tmp: string, dest: string, syncName: boolean): Promise<void> {
    const dir = path.dirname(dest);
    if (this.dirs.has(dir) && (!syncName || this.durableDirs.has(dir))) {
      try {
        await fsp.rename(tmp, dest);
        return syncName ? syncDir(dir) : undefined;
      } catch (e) {
        if (!isMissing(e)) throw e;
        this.dirs.delete(dir); // removed behind our back: create it again below
        this.durableDirs.delete(dir);
      }
    }
    await this.ensureDir(dir, syncName);
    await fsp.rename(tmp, dest);
    await syncDir(dir);
  }

  /**
   * mkdir -p. With `durable`, the directory's entry in each parent up to the root is synced as well, so a blob
   * put under it survives a power cut. Without (a stream put with 'contents' or 'soon' durability), only mkdir: a
   * lost directory is a lost name, which that durability accepts. (Segment buffers never come here: the file
   * writer threads create their folders.)
   */
  private async ensureDir(dir: string, durable: boolean): Promise<void> {
    await fsp.mkdir(dir, { recursive: true });
    if (durable && !this.durableDirs.has(dir)) {
      for (let d = dir; d !== this.root && d.startsWith(this.root); d = path.dirname(d)) await syncDir(path.dirname(d));
      if (this.durableDirs.size > 100_000) this.durableDirs.clear();
      this.durableDirs.add(dir);
    }
    if (this.dirs.size > 100_000) this.dirs.clear();
    this.dirs.add(dir);
  }

  async get(ref: string, range?: ByteRange): Promise<Readable> {
    const file = this.file(keyOfRef('local', ref));
    // Open first, so a missing blob rejects here instead of erroring later inside the stream.
    const fh = await fsp.open(file, 'r').catch((e) => {
      throw isMissing(e) ? new BlobNotFoundError(ref) : e;
    });
    return fh.createReadStream(range ? { start: range.start, end: range.end } : {});
  }

  async head(ref: string): Promise<BlobInfo | null> {
    try {
      const st = await fsp.stat(this.file(keyOfRef('local', ref)));
      return st.isFile() ? { bytes: st.size } : null;
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  }

  async delete(ref: string): Promise<void> {
    await fsp.rm(this.file(keyOfRef('local', ref)), { force: true });
  }

  /**
   * Waits until the syncer threads have fsync'd every 'soon' file handed to them before this call (a barrier through
   * each writer and its syncer, which work in order), then syncs the prefix's directory and its parents up to the
   * root, so the names of in-place writes ('contents', 'soon') survive a power cut too.
   */
  async flush(prefix: string): Promise<void> {
    if (writerPool) await writerPool.barrier();
    const key = prefix.replace(/\/+$/, '');
    let dir = key ? this.file(key) : this.root;
    if (
      key &&
      !(await fsp.stat(dir).then(
        (st) => st.isDirectory(),
        () => false,
      ))
    )
      dir = path.dirname(dir);
    for (let d = dir; d.startsWith(this.root); d = path.dirname(d)) {
      await syncDir(d).catch((e: unknown) => {
        if (!isMissing(e)) throw e;
      });
      if (d === this.root) break;
    }
  }

  /** 'soon' files of this process whose fsync has not finished yet (for tests, health and the benchmark). */
  unsyncedFiles(): number {
    return writerPool?.unsyncedFiles() ?? 0;
  }

  async *list(prefix: string): AsyncIterable<string> {
    // Walk only the deepest directory the prefix fully names, then filter and sort the keys found.
    const cut = prefix.lastIndexOf('/');
    const dirKey = cut < 0 ? '' : prefix.slice(0, cut);
    if (dirKey) checkKey(dirKey);
    const keys: string[] = [];
    await walk(dirKey ? this.file(dirKey) : this.root, dirKey, keys);
    keys.sort();
    for (const k of keys) if (k.startsWith(prefix) && k.split('/')[0] !== TMP_DIR) yield k;
  }
}

async function walk(dir: string, keyPrefix: string, out: string[]): Promise<void> {
  let entries: fs.Dirent[];
  try {
    entries = await fsp.readdir(dir, { withFileTypes: true });
  } catch (e) {
    if (isMissing(e)) return;
    throw e;
  }
  for (const e of entries) {
    const key = keyPrefix ? `${keyPrefix}/${e.name}` : e.name;
    if (e.isDirectory()) await walk(path.join(dir, e.name), key, out);
    else if (e.isFile()) out.push(key);
  }
}

/** Makes a rename durable: the new directory entry is only on disk once the directory itself is fsync'd. */
async function syncDirNow(dir: string): Promise<void> {
  const fh = await fsp.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

// Syncs of one directory are shared. Every finalize flushes its recording's folder and each parent up to the root,
// so at the common end 3,000 finalizes asked for 6,000 fsyncs of the same two folders (open + fsync + close on
// libuv's four threads, each): the thread pool queued them and every other file operation behind them. A caller
// needs a sync that starts after its call; one already running may have started before its change, so the callers
// arriving meanwhile share the next one.
const dirSyncs = new Map<string, { running: Promise<void>; next: Promise<void> | null }>();
const ignore = () => undefined;

function syncDir(dir: string): Promise<void> {
  const now = dirSyncs.get(dir);
  if (now) return (now.next ??= now.running.then(ignore, ignore).then(() => startDirSync(dir)));
  return startDirSync(dir);
}

function startDirSync(dir: string): Promise<void> {
  const entry = { running: syncDirNow(dir), next: null as Promise<void> | null };
  dirSyncs.set(dir, entry);
  const settled = () => {
    if (dirSyncs.get(dir) === entry && !entry.next) dirSyncs.delete(dir);
  };
  entry.running.then(settled, settled);
  return entry.running;
}
