// The file writer threads behind the local blob store's segment writes: whole files in one message, the SHA-256
// checked beside the write, and with 'soon' the fsync done afterwards by a syncer thread — which must really
// happen, or segments would stay in the page cache until the kernel's own writeback.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { FileWriterPool } from '../src/adapters/blob/file-writer.ts';
import { BlobHashMismatchError } from '../src/adapters/blob/port.ts';

const pool = new FileWriterPool(2, 1);
afterAll(() => pool.close());
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('file writer pool', () => {
  it("writes files in new folders, moves an owned buffer instead of copying it, and fsyncs 'soon' files afterwards", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'invigil-writer-'));
    const bodies = Array.from({ length: 40 }, (_, i) => Buffer.from(new Uint8Array(100_000).fill(i)));
    const hashes = bodies.map(sha);
    await Promise.all(bodies.map((b, i) => pool.write(path.join(dir, `r${i % 5}`, `${i}.webm`), b, { sync: 'soon', sha256: hashes[i] })));
    expect(bodies[0]!.length, 'the body was moved to the writer thread').toBe(0);
    for (let i = 0; i < 40; i++) expect(sha(await fs.readFile(path.join(dir, `r${i % 5}`, `${i}.webm`)))).toBe(hashes[i]);
    await expect.poll(() => pool.unsyncedFiles(), { timeout: 10_000 }).toBe(0);
    await pool.write(path.join(dir, 'now.webm'), Buffer.from('synced before the answer'), { sync: 'now' });
    expect(pool.unsyncedFiles()).toBe(0);
    await fs.rm(dir, { recursive: true });
  });

  it('refuses a body that is not what was declared and writes nothing', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'invigil-writer-'));
    const file = path.join(dir, 'seg.webm');
    const err = await pool.write(file, Buffer.from('damaged'), { sync: 'soon', sha256: sha(Buffer.from('recorded')) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlobHashMismatchError);
    expect((err as BlobHashMismatchError).actual).toBe(sha(Buffer.from('damaged')));
    await expect(fs.stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    await fs.rm(dir, { recursive: true });
  });

  it('reports a failed write with its code and leaves no partial file', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'invigil-writer-'));
    const file = path.join(dir, 'seg.webm');
    await fs.symlink('/dev/full', file); // every write fails with the kernel's ENOSPC
    await expect(pool.write(file, Buffer.from('x'.repeat(10_000)), { sync: 'now' })).rejects.toMatchObject({ code: 'ENOSPC' });
    await expect(fs.lstat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    await fs.rm(dir, { recursive: true });
  });
});
