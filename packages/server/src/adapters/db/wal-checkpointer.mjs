// SQLite WAL checkpoints on their own connection and thread (plain JS: the parent's TypeScript loader is not
// needed here). A checkpoint copies pages from the WAL back into the database file and fsyncs it; run by the
// server's connection (SQLite's default, every 1000 pages) it stalled the event loop — measured: an insert cost
// 106 µs of wall time with automatic checkpoints and 32 µs without, at full segment ingest.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
let failures = 0;

const timer = setInterval(() => {
  try {
    // PASSIVE never waits for readers or writers; the next writer restarts the WAL once it is fully copied.
    let [r] = db.pragma('wal_checkpoint(PASSIVE)');
    // Under a steady stream of writes the copy may never quite catch up, and the WAL would grow without end.
    // Past the limit, RESTART makes writers wait for one checkpoint (milliseconds, rarely) so the WAL starts over.
    if ((r?.log ?? 0) > workerData.restartAfterFrames) [r] = db.pragma('wal_checkpoint(RESTART)');
    failures = 0;
    parentPort.postMessage({ checkpointed: r?.checkpointed ?? 0, log: r?.log ?? 0 });
  } catch (e) {
    // A busy database is retried on the next tick; a broken one is reported so the server checkpoints itself.
    if (++failures >= 10) parentPort.postMessage({ error: String(e) });
  }
}, workerData.intervalMs);

parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
parentPort.postMessage({ ready: true });
