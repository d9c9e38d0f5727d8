// The durable journal: chunks survive until released, in seq order, and a refusing disk never drops one.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkStorage, Journal } from '../src/media/journal.ts';
import { freshJournal, newMeta, record } from './support/journal-fixture.ts';

let journal: Journal | null = null;
afterEach(() => {
  journal?.close();
  journal = null;
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('Journal', () => {
  it('keeps chunks and counters across a reopen (a reload), per attempt and stream, in seq order', async () => {
    const name = `journal-reopen-${Date.now()}`;
    journal = await Journal.open(name);
    const cam = newMeta('att-1', 'camera');
    const scr = newMeta('att-1', 'screen');
    await record(journal, cam, ['c0', 'c1', 'c2']);
    await record(journal, scr, ['s0']);
    await record(journal, newMeta('att-2', 'camera'), ['other']);
    journal.close();

    journal = await Journal.open(name);
    expect((await journal.entries('att-1', 'camera')).map((e) => e.seq)).toEqual([0, 1, 2]);
    expect(await (await journal.get('att-1', 'camera', 1))!.blob.text()).toBe('c1');
    expect((await journal.metas('att-1')).map((m) => [m.stream, m.nextSeq])).toEqual([
      ['camera', 3],
      ['screen', 1],
    ]);
  });

  it('release removes one stream of one attempt only', async () => {
    journal = await freshJournal();
    await record(journal, newMeta('att-1', 'camera'), ['c0', 'c1']);
    await record(journal, newMeta('att-1', 'screen'), ['s0']);
    await journal.release('att-1', 'camera');
    expect(await journal.entries('att-1', 'camera')).toEqual([]);
    expect(await journal.entries('att-1', 'screen')).toHaveLength(1);
  });

  it('a disk that refuses a chunk (quota): the chunk is kept in memory, listed and sent like the others, and storage is low', async () => {
    journal = await freshJournal();
    const meta = newMeta('att-1');
    await record(journal, meta, ['c0']);
    const put = vi.spyOn(IDBObjectStore.prototype, 'put');
    put.mockImplementationOnce(() => {
      throw new DOMException('quota', 'QuotaExceededError');
    });
    await record(journal, meta, ['c1']);
    put.mockRestore();
    await record(journal, meta, ['c2']);
    expect(journal.memoryBytes).toBe(2);
    expect((await journal.entries('att-1', 'camera')).map((e) => e.seq)).toEqual([0, 1, 2]);
    expect(await (await journal.get('att-1', 'camera', 1))!.blob.text()).toBe('c1');
    vi.stubGlobal('navigator', { storage: { estimate: async () => ({ usage: 0, quota: 10 ** 12 }) } });
    expect((await checkStorage(journal, 1000)).low).toBe(true);
    await journal.release('att-1', 'camera');
    expect(journal.memoryBytes).toBe(0);
    expect((await checkStorage(journal, 1000)).low).toBe(false);
  });

  it('storage is low when the browser leaves less than the minimum free', async () => {
    journal = await freshJournal();
    vi.stubGlobal('navigator', { storage: { estimate: async () => ({ usage: 900, quota: 1000 }) } });
    expect(await checkStorage(journal, 200)).toEqual({ low: true, usage: 900, quota: 1000 });
    expect((await checkStorage(journal, 50)).low).toBe(false);
  });
});
