// The file writer threads behind the local blob store's segment writes: whole files in one message, the SHA-256
// checked beside the write, and with 'soon' the fsync done afterwards by a syncer thread — which must really
// happen, or segments would stay in the page cache until the kernel's own writeback.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
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

  it('writes every size exactly, through O_DIRECT (block-padded, cut back) or the page cache above 8 MiB', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'invigil-writer-'));
    const sizes = [1, 4095, 4096, 4097, 65_537, 300_001, 8 * 1024 * 1024 + 1];
    const bodies = sizes.map((n, i) => Buffer.from(new Uint8Array(n).map((_, j) => (j * 31 + i) & 255)));
    const hashes = bodies.map(sha);
    // One after another through one writer, so its aligned buffer is reused for a smaller file after a larger one.
    for (const [i, b] of bodies.entries()) await pool.write(path.join(dir, `${i}.webm`), b, { sync: i % 2 ? 'now' : 'soon', sha256: hashes[i] });
    for (const [i, n] of sizes.entries()) {
      const back = await fs.readFile(path.join(dir, `${i}.webm`));
      expect(back.length, `size ${n}`).toBe(n);
      expect(sha(back), `content of size ${n}`).toBe(hashes[i]);
    }
    await expect.poll(() => pool.unsyncedFiles(), { timeout: 10_000 }).toBe(0);
    await fs.rm(dir, { recursive: true });
  });

  // On a disk filesystem the segment bytes must not sit in the page cache: that copy was the largest CPU cost of
  // ingest (file-writer.mjs). fincore (util-linux) tells how much of a file is cached.
  const DISK_FS = new Set([0xef53 /* ext2/3/4 */, 0x58465342 /* xfs */, 0x9123683e /* btrfs */]);
  const hasFincore = (() => {
    try {
      execFileSync('fincore', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  it.runIf(hasFincore)('leaves segments out of the page cache on a disk filesystem', async (ctx) => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'invigil-writer-'));
    if (!DISK_FS.has((await fs.statfs(dir)).type)) {
      await fs.rm(dir, { recursive: true });
      ctx.skip(`${os.tmpdir()} is not on a disk filesystem (tmpfs keeps files in the page cache by design)`);
    }
    const cached = (file: string) => Number(execFileSync('fincore', ['--bytes', '--noheadings', '--raw', '--output', 'RES', file], { encoding: 'utf8' }).trim());
    const body = Buffer.from(new Uint8Array(300_000).fill(9));
    const control = path.join(dir, 'control.bin');
    await fs.writeFile(control, body);
    expect(cached(control), 'fincore sees a file written through the page cache').toBeGreaterThan(0);
    const seg = path.join(dir, 'seg.webm');
    await pool.write(seg, Buffer.from(body), { sync: 'soon', sha256: sha(body) });
    expect(cached(seg)).toBe(0);
    await expect.poll(() => pool.unsyncedFiles(), { timeout: 10_000 }).toBe(0);
    await fs.rm(dir, { recursive: true });
  });
});
