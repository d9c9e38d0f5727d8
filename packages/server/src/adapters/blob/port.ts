// The blob storage port: local disk by default, S3-compatible when configured (chosen once in main.ts).
// Keys stored in the database are tagged with the backend ("local:…" / "s3:…"), never absolute paths,
// so a deployment can move to S3 without rewriting rows that point at files.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

export type BlobBackend = 'local' | 's3';

/** Inclusive byte range; `end` defaults to the last byte. */
export interface ByteRange {
  start: number;
  end?: number;
}

export interface BlobInfo {
  bytes: number;
}

export interface BlobStore {
  readonly backend: BlobBackend;
  /** Stores the body under `key` (a relative key such as "recordings/<id>/000001.webm") durably; returns the tagged key. */
  put(key: string, body: Buffer | Readable, opts?: PutOptions): Promise<{ ref: string; bytes: number }>;
  /** Reads a blob by its tagged ref (or relative key), optionally a byte range (inclusive, as in HTTP Range, so a
   *  player can seek). Rejects with BlobNotFoundError. */
  get(ref: string, range?: ByteRange): Promise<Readable>;
  head(ref: string): Promise<BlobInfo | null>;
  delete(ref: string): Promise<void>;
  /** Relative keys under a prefix, in lexical order. */
  list(prefix: string): AsyncIterable<string>;
  /**
   * Resolves once every blob put under `prefix` before this call is as durable as 'full' would have made it:
   * 'soon' writes still waiting for their fsync are waited for, and the names are on disk. Finalize calls it before
   * it marks a recording verified (上传成功: the browser then drops its journal). A store whose put is durable when
   * it resolves (S3: an object exists once PUT answered) has nothing to wait for.
   */
  flush(prefix: string): Promise<void>;
}

export interface PutOptions {
  contentType?: string;
  /**
   * 'full' (default): the blob and its directory entry are on disk before put resolves, and a crash never leaves
   * a partial blob under the key.
   * 'contents': only the bytes are synced before put resolves. The name may be lost in a power cut, and a crash
   * mid-write may leave a partial blob under the key (the local store writes in place, without temp file and
   * rename).
   * 'soon': as 'contents', but put resolves once the bytes are written, and they are synced moments later, off the
   * caller's path: a power cut in between may lose them. A slow disk then delays durability, not the answer by
   * fsync's stalls. (The local store writes these with O_DIRECT where it can: the bytes are then on the device
   * before the answer, and a busy disk delays the answer by that one write; what is left for later is the file's
   * metadata and the disk's own write cache.)
   * 'contents' and 'soon' are for data that is verified again later and still held elsewhere until then —
   * recording segments: the key holds the SHA-256, the browser keeps its journal until finalize confirmed a row for
   * every segment (written only after its bytes matched), and the assembly job re-hashes every segment afterwards.
   * Finalize calls `flush` before it answers 上传成功, so the 'soon' window closes before the browser drops its
   * journal — finalize no longer re-reads every byte (issue #18: 上传成功 within seconds).
   * Measured at full ingest: the rename and directory sync cost a third of the throughput; fsync before answering
   * made every acknowledgement wait out the disk's stalls of several seconds.
   */
  durability?: 'full' | 'contents' | 'soon';
  /**
   * The body's SHA-256 (hex) as its sender declared it. A body that does not match is refused with
   * BlobHashMismatchError and nothing is stored. The local store checks it on its writer threads, beside the write,
   * so the hash of every segment costs the server's event loop nothing.
   */
  sha256?: string;
}

/** The body is not what its sender declared; nothing was stored. */
export class BlobHashMismatchError extends Error {
  constructor(
    readonly declared: string,
    readonly actual: string,
  ) {
    super(`body SHA-256 ${actual} is not the declared ${declared}`);
  }
}

/** For stores that check a declared SHA-256 on the calling thread. Only a Buffer body can be declared. */
export function verifySha256(body: Buffer | Readable, declared: string | undefined): void {
  if (declared === undefined) return;
  if (!Buffer.isBuffer(body)) throw new Error('a declared SHA-256 needs a Buffer body');
  const actual = createHash('sha256').update(body).digest('hex');
  if (actual !== declared) throw new BlobHashMismatchError(declared, actual);
}

export class BlobNotFoundError extends Error {
  constructor(readonly ref: string) {
    super(`blob not found: ${ref}`);
  }
}

/** Raised when the backend has no space left; mapped to 507 STORAGE_FULL at the edge. */
export class BlobStorageFullError extends Error {}
