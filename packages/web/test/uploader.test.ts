// The uploader's rules (media/uploader.ts header), one per way a recording gets lost, against a fake server and a
// real journal on fake-indexeddb. Each test says what the candidate's recording must survive.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Journal, StreamMeta } from '../src/media/journal.ts';
import { sha256Hex } from '../src/media/hash.ts';
import { UploadError } from '../src/media/protocol.ts';
import { exponentialBackoff, type RetryPolicy } from '../src/media/retry.ts';
import { StreamUploader } from '../src/media/uploader.ts';
import { FakeRecordingServer, loggedOut, networkDown } from './support/fake-recording-server.ts';
import { freshJournal, idle, newMeta, record, until } from './support/journal-fixture.ts';

const BODIES = ['chunk-0', 'chunk-1', 'chunk-2', 'chunk-3', 'chunk-4'];

interface Harness {
  server: FakeRecordingServer;
  journal: Journal;
  meta: StreamMeta;
  uploader: StreamUploader;
  online: { value: boolean };
  unauthorized: UploadError[];
}

let journal: Journal | null = null;
afterEach(() => {
  journal?.close();
  journal = null;
  vi.useRealTimers();
});

async function harness(o: { bodies?: string[]; retry?: RetryPolicy; server?: FakeRecordingServer; attemptId?: string; concurrency?: number; start?: boolean } = {}): Promise<Harness> {
  journal = await freshJournal();
  const server = o.server ?? new FakeRecordingServer();
  const meta = newMeta(o.attemptId ?? 'att-1');
  await record(journal, meta, o.bodies ?? BODIES);
  const online = { value: true };
  const unauthorized: UploadError[] = [];
  const uploader = new StreamUploader(meta, {
    journal,
    api: server,
    retry: o.retry ?? { delayMs: () => 0 },
    concurrency: o.concurrency ?? 2,
    isOnline: () => online.value,
    onChange: () => undefined,
    onUnauthorized: (e) => unauthorized.push(e),
  });
  if (o.start !== false) uploader.start();
  return { server, journal, meta, uploader, online, unauthorized };
}

/** Declares the end of the recording, as pipeline.stop() does. */
function stop(h: Harness) {
  h.meta.lastSeq = h.meta.nextSeq - 1;
  h.uploader.finish();
}

/** Verified, and the journal released (which follows the server's word). */
const verified = (h: Harness) => async () => h.uploader.status().state === 'verified' && (await h.journal.entries(h.meta.attemptId, h.meta.stream)).length === 0;
const halted = (h: Harness) => () => h.uploader.status().state === 'error';

/** With fake timers: lets time pass a second at a time until `ok()` (a retry may still be due when we start). */
async function untilWithTime(ok: () => boolean | Promise<boolean>, what: string, timeoutMs = 40_000) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await ok()) return;
    await vi.advanceTimersByTimeAsync(1000);
    await idle(20);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('StreamUploader', () => {
  it('sends every journal chunk once, finalizes, and only then releases the journal', async () => {
    const h = await harness();
    await until(() => h.uploader.status().segmentsWaiting === 0 && h.uploader.status().bytesUploaded > 0, 'upload');
    expect(await h.journal.entries('att-1', 'camera')).toHaveLength(5); // uploaded is not verified: keep
    stop(h);
    await until(verified(h), 'verified');
    expect(h.server.bodies('att-1', 'camera')).toEqual(BODIES);
    for (let seq = 0; seq < 5; seq++) expect(h.server.putCount('camera', seq)).toBe(1);
    expect(await h.journal.entries('att-1', 'camera')).toEqual([]);
    expect(h.meta.verified).toBe(true);
    expect(h.uploader.status()).toMatchObject({ state: 'verified', bytesUploaded: h.meta.bytesRecorded, report: expect.objectContaining({ segments: 5 }) });
  });

  it('404: the server forgot the recording → opens it again and sends everything to the new one', async () => {
    const h = await harness({ bodies: BODIES.slice(0, 2) });
    await until(() => h.server.bodies('att-1', 'camera').length === 2, 'first upload');
    const first = h.meta.recordingId!;
    h.server.forget(first);
    await record(h.journal, h.meta, BODIES.slice(2));
    for (const seq of [2, 3, 4]) h.uploader.added(seq, 7, (await h.journal.get('att-1', 'camera', seq))!.sha256);
    stop(h);
    await until(verified(h), 'verified on the new recording');
    expect(h.meta.recordingId).not.toBe(first);
    expect(h.server.recordingOf('att-1', 'camera')!.id).toBe(h.meta.recordingId);
    // The new recording holds the whole recording, including the chunks the old one had acknowledged.
    expect(h.server.bodies('att-1', 'camera')).toEqual(BODIES);
    expect((await h.journal.meta('att-1', 'camera'))!.recordingId).toBe(h.meta.recordingId);
  });

  it('404 at finalize → opens again, resends from the journal, finalizes the new recording', async () => {
    const h = await harness();
    await until(() => h.server.bodies('att-1', 'camera').length === 5, 'upload');
    h.server.forget(h.meta.recordingId!);
    stop(h);
    await until(verified(h), 'verified');
    expect(h.server.bodies('att-1', 'camera')).toEqual(BODIES);
  });

  it('507: keeps every segment in the journal, says it is still uploading, and retries after the backoff', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const server = new FakeRecordingServer();
    server.full = true;
    const h = await harness({ server, retry: exponentialBackoff({ baseMs: 1000, capMs: 30_000, random: () => 0 }) });
    await until(() => h.uploader.status().error !== undefined, 'first refusal');
    const refused = server.calls.filter((c) => c.startsWith('put')).length;
    expect(h.uploader.status()).toMatchObject({ state: 'uploading', segmentsWaiting: 5, error: expect.stringContaining('storage') });
    await vi.advanceTimersByTimeAsync(400); // first retry after 500 ms (half of base, random() = 0)
    await idle();
    expect(server.calls.filter((c) => c.startsWith('put')).length).toBe(refused);
    await vi.advanceTimersByTimeAsync(100);
    await until(() => server.calls.filter((c) => c.startsWith('put')).length > refused, 'second try');
    // Hours of a full disk: the journal keeps everything, the retries continue at the cap.
    for (let i = 0; i < 240; i++) {
      await vi.advanceTimersByTimeAsync(15_000);
      await idle(5);
    }
    expect(h.uploader.status().state).not.toBe('error');
    expect(await h.journal.entries('att-1', 'camera')).toHaveLength(5);
    server.full = false;
    stop(h);
    await untilWithTime(verified(h), 'verified once the server has room');
    expect(server.bodies('att-1', 'camera')).toEqual(BODIES);
  });

  it('507 while recording goes on: a new chunk every 3 s does not cut the backoff short (no retry storm on a full server)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const server = new FakeRecordingServer();
    const h = await harness({ server, bodies: [], retry: exponentialBackoff({ baseMs: 1000, capMs: 30_000, random: () => 0 }) });
    await until(() => h.meta.recordingId !== null, 'open');
    server.full = true;
    for (let s = 0; s < 600; s += 3) {
      const [seq] = await record(h.journal, h.meta, [`chunk-${s}`]);
      h.uploader.added(seq!, 7, (await h.journal.get('att-1', 'camera', seq!))!.sha256);
      await vi.advanceTimersByTimeAsync(3000);
    }
    // Ten minutes of refusals with delays of 0.5, 1, 2, 4, 8, 15, 15… s: about 45 tries, not one per chunk (200).
    const tries = server.calls.filter((c) => c.startsWith('state')).length;
    expect(tries).toBeGreaterThan(30);
    expect(tries).toBeLessThan(60);
    server.full = false;
    stop(h);
    await untilWithTime(verified(h), 'verified');
    expect(server.bodies('att-1', 'camera')).toHaveLength(200);
  });

  it('a retry policy of zero delay still lets the page run between refusals (no microtask-only loop)', { timeout: 10_000 }, async () => {
    const server = new FakeRecordingServer();
    const h = await harness({ server, bodies: ['a'] });
    await until(() => h.meta.recordingId !== null, 'open');
    // A server that answers 503 to everything: no IndexedDB read between the tries either.
    let refusals = 0;
    server.refuseAll = () => (refusals++, new UploadError(503, 'UNAVAILABLE', 'Service unavailable'));
    await record(h.journal, h.meta, ['b']);
    h.uploader.added(1, 1, (await h.journal.get('att-1', 'camera', 1))!.sha256);
    // Each refusal is followed by a real (macrotask) sleep, so this loop of setImmediate turns keeps running.
    await until(() => refusals >= 40, 'forty refusals');
    server.refuseAll = null;
    stop(h);
    await until(verified(h), 'verified');
  });

  it('409 conflict: the server holds other bytes under a seq → stops with a clear message and keeps the journal', async () => {
    const server = new FakeRecordingServer();
    const h = await harness({ server, start: false });
    const rec = await server.open('att-1', 'camera', 'video/webm');
    server.plant(rec.id, 2, 'someone else', await sha256Hex(new Blob(['someone else'])));
    h.uploader.start();
    await until(halted(h), 'halt');
    expect(h.uploader.status().error).toMatch(/segment 2 of the camera recording differs on the server.*local copy is kept.*contact support/);
    const calls = server.calls.length;
    await idle();
    expect(server.calls.length).toBe(calls); // no retry loop against a conflict
    expect(await h.journal.entries('att-1', 'camera')).toHaveLength(5);
    expect(h.unauthorized).toEqual([]);
  });

  it('409 conflict answered to a PUT (another computer wrote the seq meanwhile) → stops with the same message', async () => {
    const server = new FakeRecordingServer();
    const h = await harness({ server, bodies: ['a'] });
    await until(() => server.bodies('att-1', 'camera').length === 1, 'first upload');
    server.plant(h.meta.recordingId!, 1, 'other', await sha256Hex(new Blob(['other'])));
    await record(h.journal, h.meta, ['b']);
    h.uploader.added(1, 1, (await h.journal.get('att-1', 'camera', 1))!.sha256);
    await until(halted(h), 'halt');
    expect(h.uploader.status().error).toMatch(/segment 1 .* differs on the server/);
  });

  it('a closed recording on the server without some of our segments → stops and says which', async () => {
    const server = new FakeRecordingServer();
    const h = await harness({ server, bodies: ['a', 'b'], start: false });
    const rec = await server.open('att-1', 'camera', 'video/webm');
    await server.putSegment(rec.id, { seq: 0, run: 0, sha256: await sha256Hex(new Blob(['a'])), recordedAt: 0, durationMs: 1, blob: new Blob(['a']) });
    await server.finalize(rec.id, 0); // another tab finalized too early
    h.uploader.start();
    await until(halted(h), 'halt');
    expect(h.uploader.status().error).toMatch(/closed on the server without segments 1/);
    expect(await h.journal.entries('att-1', 'camera')).toHaveLength(2);
  });

  it('422 (bytes damaged on the way) → sends the same bytes again', async () => {
    const server = new FakeRecordingServer();
    server.damageNextPut(3);
    const h = await harness({ server });
    stop(h);
    await until(verified(h), 'verified');
    expect(server.putCount('camera', 3)).toBe(2);
    expect(server.bodies('att-1', 'camera')).toEqual(BODIES);
  });

  it('422 because the journal copy changed → sends the only copy with its true hash and records that hash', async () => {
    const h = await harness({ start: false });
    const e = (await h.journal.get('att-1', 'camera', 1))!;
    await h.journal.replace({ ...e, sha256: 'f'.repeat(64) }); // the hash no longer matches the stored bytes
    h.uploader.start();
    stop(h);
    await until(verified(h), 'verified');
    expect(h.server.bodies('att-1', 'camera')).toEqual(BODIES);
    expect(h.server.putCount('camera', 1)).toBe(2);
  });

  it('401 → stops at once, tells the pipeline once, keeps the journal', async () => {
    const server = new FakeRecordingServer();
    server.fail('open', loggedOut);
    const h = await harness({ server });
    await until(halted(h), 'halt');
    expect(h.unauthorized).toHaveLength(1);
    expect(h.unauthorized[0]!.status).toBe(401);
    expect(await h.journal.entries('att-1', 'camera')).toHaveLength(5);
  });

  it('finalize answers RECORDING_INCOMPLETE (the server lost a segment) → resends it from the journal', async () => {
    const h = await harness();
    await until(() => h.server.bodies('att-1', 'camera').length === 5, 'upload');
    h.server.recordings.get(h.meta.recordingId!)!.segments.delete(2);
    stop(h);
    await until(verified(h), 'verified');
    expect(h.server.putCount('camera', 2)).toBe(2);
    expect(h.server.bodies('att-1', 'camera')).toEqual(BODIES);
  });

  it('while the browser says offline: no request at all; back online → asks the server first, then sends', async () => {
    const h = await harness({ start: false });
    h.online.value = false;
    h.uploader.start();
    await idle();
    expect(h.server.calls).toEqual([]);
    expect(h.uploader.status().state).toBe('waiting-network');
    h.online.value = true;
    h.uploader.networkBack();
    stop(h);
    await until(verified(h), 'verified');
    expect(h.server.calls[0]).toBe('open camera');
  });

  it('offline for an hour (every request fails) → nothing dropped; back online everything is sent once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const server = new FakeRecordingServer();
    const h = await harness({ server, bodies: BODIES.slice(0, 2), retry: exponentialBackoff() });
    await until(() => server.bodies('att-1', 'camera').length === 2, 'first upload');
    server.offline = true;
    // An hour of recording while the network is down: a chunk every 30 s lands in the journal and is queued
    // (the pipeline test below does the same at the real 3 s timeslice for a shorter while).
    let body = 2;
    for (let s = 0; s < 3600; s += 30) {
      const [seq] = await record(h.journal, h.meta, [`chunk-${body++}`]);
      h.uploader.added(seq!, 7, (await h.journal.get('att-1', 'camera', seq!))!.sha256);
      await vi.advanceTimersByTimeAsync(30_000);
    }
    expect(h.uploader.status()).toMatchObject({ state: 'waiting-network', segmentsWaiting: 120 });
    server.offline = false;
    h.uploader.networkBack();
    stop(h);
    await until(verified(h), 'verified');
    const all = Array.from({ length: 122 }, (_, i) => `chunk-${i}`);
    expect(server.bodies('att-1', 'camera')).toEqual(all);
    for (let seq = 0; seq < 122; seq++) expect(server.putCount('camera', seq)).toBe(1);
    expect(await h.journal.entries('att-1', 'camera')).toEqual([]);
  });
});

describe('a network error while the uploader waits', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
  it('a single dropped request is retried after the backoff, not dropped', async () => {
    const server = new FakeRecordingServer();
    server.fail('putSegment', networkDown, 1, 1);
    const h = await harness({ server, retry: { delayMs: () => 5000 } });
    await until(() => h.uploader.status().state === 'waiting-network', 'network error');
    stop(h);
    await untilWithTime(verified(h), 'verified');
    expect(server.bodies('att-1', 'camera')).toEqual(BODIES);
  });
});
