// The threads of the file writer pool (file-writer.ts). Plain JS: the parent's TypeScript loader is not needed.
// A writer takes a whole file per message: check its SHA-256 if one was declared, create its directory if missing,
// open, write (O_DIRECT where possible, see below), close — blocking calls on this thread, so the server's event
// loop hands over one message per file instead of hashing it and making four thread-pool round trips. The fsync
// is either done before answering ('now') or handed to a syncer thread ('soon'), so that seconds-long fsync stalls
// of a busy disk hold up no write.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

/** Files written and not yet fsync'd, shared with the pool: writers add, syncers subtract. */
const unsynced = new Int32Array(workerData.unsynced);

// Named, so that top, perf and the ingest bench (bench/ingest/proc.ts) tell these threads from Node's own: every
// thread of a Node process is called "node" otherwise. Linux only; elsewhere the name stays.
try {
  fs.writeFileSync('/proc/thread-self/comm', workerData.role === 'syncer' ? 'blob-syncer' : 'blob-writer');
} catch {
  /* not Linux: unnamed */
}

if (workerData.role === 'syncer') {
  // Files arrive from the writers over their ports; each is fsync'd through a new descriptor (fsync acts on the
  // file, whichever descriptor asks). A file already replaced or removed has nothing left to make durable.
  const hold = new Int32Array(workerData.hold);
  parentPort.on('message', ({ port }) =>
    port.on('message', (file) => {
      // A barrier (file-writer.ts `barrier`): every file this writer handed over before it is synced by now.
      if (typeof file !== 'string') return parentPort.postMessage({ barrier: file.barrier });
      while (Atomics.load(hold, 0) !== 0) Atomics.wait(hold, 0, 1); // test hook: a stalled disk
      try {
        const fd = fs.openSync(file, 'r');
        try {
          fs.fsyncSync(fd);
        } finally {
          fs.closeSync(fd);
        }
      } catch {
        /* gone: nothing to sync */
      }
      Atomics.sub(unsynced, 0, 1);
    }),
  );
} else {
  const syncer = workerData.syncPort;

  // Segments are written with O_DIRECT: from this thread's buffer straight to the disk, not copied into the page
  // cache. Profiled at full ingest (perf, 2026-12-06), that copy was the largest single cost of the whole server
  // (~28 % of its CPU on this virtual machine, 3–7 ms per MB written) and the kernel's writeback of the dirty
  // pages came on top; a direct write costs ~0.8 ms per MB, and segments are read back once, at assembly.
  // O_DIRECT wants the memory, the length and the offset aligned to the disk's block: the file is copied into a
  // WebAssembly memory (page-aligned by construction, unlike Node's buffers), padded to the block and cut back to
  // its length. Where the filesystem refuses (EINVAL: tmpfs, a device) the file goes through the page cache.
  const O_DIRECT = fs.constants.O_DIRECT;
  const BLOCK = 4096;
  /** Larger files are rare (very long timeslices) and would keep a large buffer alive here: page cache for them. */
  const DIRECT_MAX = 8 * 1024 * 1024;
  let scratch = null;

  function open(file, flags) {
    try {
      return fs.openSync(file, flags, 0o666);
    } catch (e) {
      if (e.code !== 'ENOENT') throw e;
      fs.mkdirSync(path.dirname(file), { recursive: true });
      return fs.openSync(file, flags, 0o666);
    }
  }

  function openOrNull(file, flags) {
    try {
      return open(file, flags);
    } catch (e) {
      if (e.code === 'EINVAL') return null;
      throw e;
    }
  }

  /** true when the whole file is on the disk; false when the filesystem refused a direct write (nothing lost). */
  function writeDirect(fd, bytes) {
    const size = Math.ceil(bytes.length / BLOCK) * BLOCK;
    if (!scratch || scratch.length < size) scratch = Buffer.from(new WebAssembly.Memory({ initial: Math.ceil(size / 65536) }).buffer);
    scratch.set(bytes, 0); // a Uint8Array here: a Buffer arrives from postMessage without its class
    scratch.fill(0, bytes.length, size);
    try {
      // A short write happens only at the edge of a full disk: start again through the page cache, which then
      // reports ENOSPC itself.
      if (fs.writeSync(fd, scratch, 0, size, 0) !== size) return false;
    } catch (e) {
      if (e.code === 'EINVAL') return false;
      throw e;
    }
    if (size !== bytes.length) fs.ftruncateSync(fd, bytes.length);
    return true;
  }

  function writeFile(file, bytes, sync) {
    let fd = null;
    try {
      if (O_DIRECT !== undefined && bytes.length > 0 && bytes.length <= DIRECT_MAX) {
        fd = openOrNull(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_TRUNC | O_DIRECT);
        if (fd !== null && !writeDirect(fd, bytes)) {
          fs.closeSync(fd);
          fd = null;
        }
      }
      if (fd === null) {
        fd = open(file, 'w'); // truncates whatever a refused direct write left
        for (let at = 0; at < bytes.length;) at += fs.writeSync(fd, bytes, at, bytes.length - at);
      }
      if (sync === 'now') fs.fsyncSync(fd);
    } finally {
      if (fd !== null) fs.closeSync(fd);
    }
    if (sync === 'soon') {
      Atomics.add(unsynced, 0, 1);
      syncer.postMessage(file);
    }
  }

  parentPort.on('message', ({ id, file, bytes, sync, sha256, barrier }) => {
    // After every file given to this writer before it: passed on to the syncer, which answers the pool.
    if (barrier) return syncer.postMessage({ barrier: id });
    try {
      if (sha256 !== undefined) {
        const actual = createHash('sha256').update(bytes).digest('hex');
        // Refused before anything is written: a corrupted body never lands under the key of the good one.
        if (actual !== sha256) return parentPort.postMessage({ id, bytes, mismatch: actual }, [bytes.buffer]);
      }
      writeFile(file, bytes, sync);
      // The bytes go back (moved, not copied) to be freed by the server thread's frequent collections: this
      // thread allocates almost nothing, so its own collector would let hundreds of MB of segments pile up.
      parentPort.postMessage({ id, bytes }, [bytes.buffer]);
    } catch (e) {
      // A failed write must not leave a partial file behind under the real name.
      try {
        fs.rmSync(file, { force: true });
      } catch {
        /* reported below */
      }
      parentPort.postMessage({ id, bytes, error: { code: e.code, message: String(e.message ?? e) } }, [bytes.buffer]);
    }
  });
}
