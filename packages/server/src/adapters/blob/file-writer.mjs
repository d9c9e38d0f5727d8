// The threads of the file writer pool (file-writer.ts). Plain JS: the parent's TypeScript loader is not needed.
// A writer takes a whole file per message: check its SHA-256 if one was declared, create its directory if missing,
// open, write, close — blocking calls on this thread, so the server's event loop hands over one message per file
// instead of hashing it and making four thread-pool round trips. The fsync is either done before answering
// ('now') or handed to a syncer thread ('soon'), so that seconds-long fsync stalls of a busy disk hold up no write.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

/** Files written and not yet fsync'd, shared with the pool: writers add, syncers subtract. */
const unsynced = new Int32Array(workerData.unsynced);

if (workerData.role === 'syncer') {
  // Files arrive from the writers over their ports; each is fsync'd through a new descriptor (fsync acts on the
  // file, whichever descriptor asks). A file already replaced or removed has nothing left to make durable.
  parentPort.on('message', ({ port }) =>
    port.on('message', (file) => {
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

  function writeFile(file, bytes, sync) {
    let fd;
    try {
      fd = fs.openSync(file, 'w');
    } catch (e) {
      if (e.code !== 'ENOENT') throw e;
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fd = fs.openSync(file, 'w');
    }
    try {
      for (let at = 0; at < bytes.length; ) at += fs.writeSync(fd, bytes, at, bytes.length - at);
      if (sync === 'now') fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (sync === 'soon') {
      Atomics.add(unsynced, 0, 1);
      syncer.postMessage(file);
    }
  }

  parentPort.on('message', ({ id, file, bytes, sync, sha256 }) => {
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
