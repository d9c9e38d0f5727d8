// Assembly as a job: retried after a transient failure with its state visible, and committed exactly once even
// when two attempts run at the same time (an attempt that outlived its expiry on pg-boss).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BlobStore } from '../src/adapters/blob/port.ts';
import { assembleRecording, sweepQueued } from '../src/services/recordings/assembly-job.ts';
import { assembled, chunk, createWorld, dbChoices, finalize, liveWebm, openRec, putSegment, segmentsOf, type Seg, type World } from './support/recording-fixtures.ts';

let media: string;
let segs: Seg[];
beforeAll(async () => {
  media = await fs.mkdtemp(path.join(os.tmpdir(), 'invigil-media-'));
  segs = segmentsOf([{ chunks: chunk(await liveWebm(media, 'run.webm', 3), 3), seconds: 3 }], Date.now() - 60_000);
});
afterAll(() => fs.rm(media, { recursive: true, force: true }));

describe.each(dbChoices)('assembly job (%s)', (db) => {
  let w: World;
  afterEach(() => w?.close());

  it('retries an attempt that failed (storage unreachable), showing the reason meanwhile, and then assembles', async () => {
    let failures = 1;
    const flaky = (b: BlobStore): BlobStore => ({
      backend: b.backend,
      put: (k, body, o) => b.put(k, body, o),
      get: (r, range) => (r.includes('/assembled-') || failures-- <= 0 ? b.get(r, range) : Promise.reject(new Error('connect ECONNREFUSED (store down)'))),
      head: (r) => b.head(r),
      delete: (r) => b.delete(r),
      flush: (p) => b.flush(p),
      list: (p) => b.list(p),
    });
    w = await createWorld({ db, wrapBlobs: flaky });
    const { cookie, attemptId } = w.candidates[0]!;
    const rec = await openRec(w.app, cookie, attemptId);
    for (const s of segs) await putSegment(w.app, cookie, rec.id, s);
    expect((await finalize(w.app, cookie, rec.id, segs.length - 1)).json().status).toBe('verified');
    const done = await assembled(w.app, cookie, rec.id);
    expect(done.json()).toMatchObject({ status: 'complete', assembly: { state: 'assembled', attempts: 2, error: null } });
    // The queue marks its job done right after the handler returned.
    const jobRows = () => w.ctx.db.selectFrom('jobs').select(['state', 'attempts', 'error']).where('name', '=', 'recording-assemble').execute();
    while ((await jobRows())[0]?.state === 'active') await new Promise((r) => setTimeout(r, 20));
    expect(await jobRows()).toEqual([{ state: 'completed', attempts: 2, error: null }]);
  });

  it('queues, from the sweep, a verified recording whose job was never sent (process died after the commit)', async () => {
    w = await createWorld({ db });
    const { cookie, attemptId } = w.candidates[0]!;
    const rec = await openRec(w.app, cookie, attemptId);
    for (const s of segs) await putSegment(w.app, cookie, rec.id, s);
    // What finalize commits, without the send that follows it.
    await w.ctx.db
      .updateTable('recordings')
      .set({ status: 'verified', last_seq: segs.length - 1, finalized_at: Date.now(), assembly_state: 'queued', assembly_at: Date.now() - 60_000 })
      .where('id', '=', rec.id)
      .execute();
    expect(await sweepQueued(w.ctx)).toBe(1);
    expect(await sweepQueued(w.ctx)).toBe(0); // queued or running already: the singleton key refuses a second job
    expect((await assembled(w.app, cookie, rec.id)).json()).toMatchObject({ status: 'complete', assembly: { state: 'assembled' } });
  });

  it('commits one assembly when two attempts race, and keeps only its file', async () => {
    w = await createWorld({ db });
    await w.jobs.stop(); // the test runs the attempts itself
    const { cookie, attemptId } = w.candidates[0]!;
    const rec = await openRec(w.app, cookie, attemptId);
    for (const s of segs) await putSegment(w.app, cookie, rec.id, s);
    expect((await finalize(w.app, cookie, rec.id, segs.length - 1)).json().status).toBe('verified');
    await Promise.all([1, 2].map((attempt) => assembleRecording(w.ctx, w.blobs, rec.id, { id: `j${attempt}`, attempt, lastAttempt: false })));
    const audits = await w.ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'recording.assembled').execute();
    expect(audits).toHaveLength(1);
    const row = await w.ctx.db.selectFrom('recordings').selectAll().where('id', '=', rec.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'complete', assembly_state: 'assembled' });
    const files: string[] = [];
    for await (const k of w.blobs.list(`recordings/${rec.id}/`)) if (k.includes('assembled-')) files.push(k);
    expect(files).toHaveLength(1);
    expect(row.assembled_ref).toContain(files[0]);
  });
});
