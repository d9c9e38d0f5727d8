// The blob storage port: local disk by default, S3-compatible when configured (chosen once in main.ts).
// Keys stored in the database are tagged with the backend ("local:…" / "s3:…"), never absolute paths,
// so a deployment can move to S3 without rewriting rows that point at files.
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
}

export interface PutOptions {
  contentType?: string;
  /**
   * 'full' (default): the blob and its directory entry are on disk before put resolves, and a crash never leaves
   * a partial blob under the key.
   * 'contents': only the bytes are synced before put resolves. The name may be lost in a power cut, and a crash
   * mid-write may leave a partial blob under the key (the local store writes in place, without temp file and
   * rename). For data that is verified again later and still held elsewhere — recording segments: the key holds
   * the SHA-256, finalize re-hashes every segment, and the browser keeps its journal until then — where the extra
   * rename and directory sync cost a third of ingest throughput.
   */
  durability?: 'full' | 'contents';
}

export class BlobNotFoundError extends Error {
  constructor(readonly ref: string) {
    super(`blob not found: ${ref}`);
  }
}

/** Raised when the backend has no space left; mapped to 507 STORAGE_FULL at the edge. */
export class BlobStorageFullError extends Error {}
