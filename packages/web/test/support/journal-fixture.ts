// A real Journal on fake-indexeddb (same IndexedDB API as a browser, in memory), filled with small text chunks.
import 'fake-indexeddb/auto';
import type { Stream } from '@invigil/contracts';
import { sha256Hex } from '../../src/media/hash.ts';
import { Journal, type StreamMeta } from '../../src/media/journal.ts';

let dbs = 0;
/** A journal of its own for each test: fake-indexeddb is shared by the whole file. */
export const freshJournal = () => Journal.open(`test-journal-${++dbs}`);

export function newMeta(attemptId: string, stream: Stream = 'camera'): StreamMeta {
  return { attemptId, stream, mimeType: 'video/webm', recordingId: null, nextSeq: 0, nextRun: 0, bytesRecorded: 0, msRecorded: 0, lastSeq: null, verified: false, report: null };
}

/** Appends chunks the way the pipeline does (hash, number, journal); returns their seqs. */
export async function record(journal: Journal, meta: StreamMeta, bodies: string[], run = 0): Promise<number[]> {
  const seqs = [];
  for (const body of bodies) {
    const blob = new Blob([body]);
    const seq = meta.nextSeq++;
    meta.bytesRecorded += blob.size;
    meta.msRecorded += 1000;
    await journal.append(meta, {
      attemptId: meta.attemptId,
      stream: meta.stream,
      recordingId: meta.recordingId,
      seq,
      run,
      sha256: await sha256Hex(blob),
      recordedAt: Date.now(),
      durationMs: 1000,
      bytes: blob.size,
      blob,
    });
    seqs.push(seq);
  }
  return seqs;
}

/**
 * Lets queued work run (IndexedDB callbacks use setImmediate, which fake timers leave alone) until `ok()`, for at
 * most `timeoutMs` of real time: hashing and Blob reads run on libuv's pool, so on a busy machine they take more
 * turns, not more fake time.
 */
export async function until(ok: () => boolean | Promise<boolean>, what = 'condition', timeoutMs = 30_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await ok()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Lets queued work run for a while without a condition (to show that nothing more happens). */
export async function idle(turns = 200): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
}
