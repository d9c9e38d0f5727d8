// Blob keys and refs. A key is relative ("recordings/<id>/segments/000001.webm"); a ref is the key tagged with
// its backend ("local:…", "s3:…"). Only refs go into the database, so nothing there is a filesystem path.
import type { BlobBackend } from './port.ts';

export class BlobKeyError extends Error {}

/** Refuses anything that could escape the store's root: empty parts, "..", absolute paths, backslashes, NUL. */
export function checkKey(key: string): string {
  const bad =
    key.length === 0 ||
    key.length > 1024 ||
    key.startsWith('/') ||
    /^[a-zA-Z]:/.test(key) ||
    key.includes('\\') ||
    key.includes('\0') ||
    key.split('/').some((part) => part === '' || part === '.' || part === '..');
  if (bad) throw new BlobKeyError(`invalid blob key: ${JSON.stringify(key)}`);
  return key;
}

export function tagRef(backend: BlobBackend, key: string): string {
  return `${backend}:${checkKey(key)}`;
}

/** Accepts a ref of this backend or a bare relative key; a ref of another backend is an error, not a miss. */
export function keyOfRef(backend: BlobBackend, ref: string): string {
  const m = /^(local|s3):(.*)$/s.exec(ref);
  if (!m) return checkKey(ref);
  if (m[1] !== backend) throw new BlobKeyError(`blob ref ${ref} belongs to the ${m[1]} store, not ${backend}`);
  return checkKey(m[2]!);
}
