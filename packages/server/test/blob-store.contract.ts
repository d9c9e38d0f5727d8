// The one contract every BlobStore backend must pass (the tus-node-server habit): run by blob-store.test.ts
// against local disk and against S3.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { BlobHashMismatchError, BlobNotFoundError, type BlobStore } from '../src/adapters/blob/port.ts';

async function readAll(r: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

async function keys(store: BlobStore, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const k of store.list(prefix)) out.push(k);
  return out;
}

/** What a store with deferred syncs lets a test see and stall (the local store's syncer threads). */
export interface SyncProbe {
  unsynced(): number;
  hold(): void;
  release(): void;
}

export function blobStoreContract(name: string, setup: () => Promise<{ store: BlobStore; close: () => Promise<void> }>, probe?: SyncProbe) {
  describe(`BlobStore contract: ${name}`, () => {
    const use = async (fn: (s: BlobStore) => Promise<void>) => {
      const { store, close } = await setup();
      try {
        await fn(store);
      } finally {
        await close();
      }
    };
    const uniq = () => `t${Math.random().toString(36).slice(2, 10)}`;

    it('stores a buffer and returns a ref tagged with the backend, readable by ref or by key', () =>
      use(async (s) => {
        const key = `${uniq()}/segments/000001.webm`;
        const body = Buffer.from('hello segment');
        const { ref, bytes } = await s.put(key, body, { contentType: 'video/webm' });
        expect(ref).toBe(`${s.backend}:${key}`);
        expect(bytes).toBe(body.length);
        expect(await readAll(await s.get(ref))).toEqual(body);
        expect(await readAll(await s.get(key))).toEqual(body);
        expect(await s.head(ref)).toEqual({ bytes: body.length });
      }));

    it('checks a declared SHA-256: a matching body is stored, another is refused and leaves what was there', () =>
      use(async (s) => {
        const good = Buffer.from('the segment as recorded');
        const sha = createHash('sha256').update(good).digest('hex');
        for (const durability of ['soon', 'contents', 'full'] as const) {
          const key = `${uniq()}/segments/0000003-${sha}.webm`;
          const bad = Buffer.from('the segment as recorded, but damaged');
          const refused = await s.put(key, bad, { durability, sha256: sha }).catch((e: unknown) => e);
          expect(refused).toBeInstanceOf(BlobHashMismatchError);
          expect((refused as BlobHashMismatchError).actual).toBe(createHash('sha256').update(Buffer.from('the segment as recorded, but damaged')).digest('hex'));
          expect(await s.head(key)).toBeNull();
          await s.put(key, Buffer.from(good), { durability, sha256: sha });
          await expect(s.put(key, Buffer.from('damaged again'), { durability, sha256: sha })).rejects.toBeInstanceOf(BlobHashMismatchError);
          expect((await readAll(await s.get(key))).equals(good)).toBe(true);
        }
      }));

    it('stores a stream of unknown length (an assembled recording) byte for byte', () =>
      use(async (s) => {
        const parts = Array.from({ length: 40 }, (_, i) => Buffer.alloc(64 * 1024, i));
        const { ref, bytes } = await s.put(`${uniq()}/assembled.webm`, Readable.from(parts));
        expect(bytes).toBe(40 * 64 * 1024);
        expect((await readAll(await s.get(ref))).equals(Buffer.concat(parts))).toBe(true);
      }));

    it("stores with 'contents' and 'soon' durability (recording segments) just as readably, in new folders and over an old body", () =>
      use(async (s) => {
        for (const durability of ['contents', 'soon'] as const) {
          const key = `${uniq()}/segments/0000007-abc.webm`;
          const { ref, bytes } = await s.put(key, Buffer.from('a longer first body'), { durability });
          expect(bytes).toBe(19);
          await s.put(key, Buffer.from('short'), { durability });
          expect((await readAll(await s.get(ref))).toString()).toBe('short');
          expect(await s.head(ref)).toEqual({ bytes: 5 });
          expect(await keys(s, key.split('/')[0]!)).toEqual([key]);
        }
      }));

    it("flush(prefix) resolves only once every put under the prefix is durable ('soon' writes waiting for a stalled disk included)", () =>
      use(async (s) => {
        const base = uniq();
        if (probe) probe.hold();
        try {
          for (let i = 0; i < 5; i++) await s.put(`${base}/segments/000000${i}.webm`, Buffer.from(`segment ${i}`), { durability: 'soon' });
          await s.put(`${base}/segments/0000009.webm`, Buffer.from('contents'), { durability: 'contents' });
          await s.put(`${base}/meta.json`, Buffer.from('{}'));
          let flushed = false;
          const flush = s.flush(`${base}/`).then(() => (flushed = true));
          if (probe) {
            // The disk is stalled: the five 'soon' files are not synced, and flush does not pretend they are.
            await new Promise((r) => setTimeout(r, 150));
            expect(flushed).toBe(false);
            expect(probe.unsynced()).toBeGreaterThanOrEqual(5);
            probe.release();
          }
          await flush;
          expect(flushed).toBe(true);
          if (probe) expect(probe.unsynced()).toBe(0);
        } finally {
          probe?.release();
        }
        expect(await keys(s, `${base}/`)).toHaveLength(7);
        // Nothing put under a prefix, or no such prefix at all: nothing to wait for.
        await s.flush(`${uniq()}/`);
        await s.flush(`${base}/segments/0000001.webm`);
      }));

    it('reads a byte range, so a player can seek', () =>
      use(async (s) => {
        const { ref } = await s.put(`${uniq()}/r.bin`, Buffer.from('0123456789'));
        expect((await readAll(await s.get(ref, { start: 2, end: 5 }))).toString()).toBe('2345');
        expect((await readAll(await s.get(ref, { start: 7 }))).toString()).toBe('789');
      }));

    it('overwrites a key with the new body', () =>
      use(async (s) => {
        const key = `${uniq()}/x.bin`;
        await s.put(key, Buffer.from('first version, longer'));
        const { ref } = await s.put(key, Buffer.from('second'));
        expect((await readAll(await s.get(ref))).toString()).toBe('second');
      }));

    it('reports a missing blob as BlobNotFoundError on get and null on head; delete is idempotent', () =>
      use(async (s) => {
        const ref = `${s.backend}:${uniq()}/nothing.bin`;
        await expect(s.get(ref)).rejects.toBeInstanceOf(BlobNotFoundError);
        expect(await s.head(ref)).toBeNull();
        const { ref: real } = await s.put(`${uniq()}/d.bin`, Buffer.from('x'));
        await s.delete(real);
        await s.delete(real);
        expect(await s.head(real)).toBeNull();
      }));

    it('lists keys under a prefix in lexical order, without neighbours that merely share a name start', () =>
      use(async (s) => {
        const base = uniq();
        for (const k of ['b/2.bin', 'a/1.bin', 'a/0.bin', 'ab/9.bin']) await s.put(`${base}/${k}`, Buffer.from(k));
        expect(await keys(s, `${base}/a/`)).toEqual([`${base}/a/0.bin`, `${base}/a/1.bin`]);
        expect(await keys(s, `${base}/a`)).toEqual([`${base}/a/0.bin`, `${base}/a/1.bin`, `${base}/ab/9.bin`]);
        expect(await keys(s, `${base}/`)).toHaveLength(4);
        expect(await keys(s, `${uniq()}/`)).toEqual([]);
      }));

    it('refuses keys that could escape the store and refs of another backend', () =>
      use(async (s) => {
        for (const bad of ['../etc/passwd', 'a/../../b', '/abs/path', 'a//b', '', 'a\\b', 'C:/x']) {
          await expect(s.put(bad, Buffer.from('x')), bad).rejects.toThrow(/invalid blob key/);
        }
        await expect(s.get('a/../../secret')).rejects.toThrow(/invalid blob key/);
        const other = s.backend === 'local' ? 's3' : 'local';
        await expect(s.get(`${other}:a/b.bin`)).rejects.toThrow(/belongs to the/);
      }));
  });
}
