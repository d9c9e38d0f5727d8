// Retention of the monitor's raw data (issue #19): after the session's retention the per-second scores and the
// evidence frames no event took are deleted (files, then rows, audited); the events and the frame that is a
// flag's evidence stay; before the retention nothing is touched; a second run finds nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonitorSample } from '@invigil/contracts';
import type { BlobStore } from '../src/adapters/blob/port.ts';
import { purgeMonitorData } from '../src/services/monitor/purge.ts';
import { cookieOf, makeApp, seed, type TestApp } from './helpers/app.ts';
import { dialects } from './helpers/db.ts';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]);
const DAY = 86_400_000;

describe.each(dialects)('on %s', (kind) => {
  let t: TestApp;
  let attemptId = '';
  let from = 0;
  const deleted: string[] = [];
  const blobs = { delete: async (ref: string) => void deleted.push(ref) } as unknown as BlobStore;
  const present = (at: number): MonitorSample => ({ t: at, faces: 1, match: 0.8, yaw: 3, pitch: -2, occlusion: 0.05, luma: 110, contrast: 40, motion: 3, phone: null });
  const absent = (at: number): MonitorSample => ({ ...present(at), faces: 0, match: null, yaw: null, pitch: null, occlusion: null });

  beforeAll(async () => {
    t = await makeApp(kind);
    const demo = await seed(t, 600, 1500, 1);
    const c = demo.candidates[0]!;
    const cookie = cookieOf(await t.candidateLogin(c.idNumber, c.ticket, 'client-purge-000'));
    attemptId = (await t.req('GET', '/api/attempt', cookie)).json().attemptId;
    const state = (await t.req('GET', '/api/attempt', cookie)).json() as { documents: Array<{ id: string }> };
    for (const d of state.documents) expect((await t.req('POST', `/api/attempt/documents/${d.id}/read`, cookie)).statusCode).toBe(200);
    expect((await t.req('POST', '/api/attempt/enter', cookie, { singleMonitor: true, displaySurface: 'monitor' })).statusCode).toBe(200);
    t.clock.advance(60_000);
    from = t.clock.now() - 20_000;
    const samples = [...'PPPAAAAAAA'].map((ch, i) => (ch === 'A' ? absent : present)(from + i * 1000));
    // Two frames: the one at the absence's start becomes the event's evidence, the other is taken by no event.
    const evidence = [from + 1000, from + 3000].map((at) => ({ t: at, jpeg: JPEG.toString('base64') }));
    const res = await t.req('POST', '/api/attempt/monitor', cookie, { samples, evidence });
    expect(res.statusCode, res.body).toBe(200);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  const count = async (table: 'monitor_batches' | 'monitor_frames' | 'monitor_episodes' | 'flag_evidence') =>
    Number(
      (
        await t.app.ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .where('attempt_id', '=', attemptId)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('within the retention nothing is deleted', async () => {
    expect(await purgeMonitorData(t.app.ctx, { blobs, retentionDays: 30 })).toEqual({ sessions: 0, batches: 0, frames: 0 });
    expect([await count('monitor_batches'), await count('monitor_frames'), await count('flag_evidence')]).toEqual([1, 2, 1]);
  });

  it('after it: the scores and the unused frame go, the event, its episode and its evidence frame stay, audited', async () => {
    const kept = await t.app.ctx.db.selectFrom('flag_evidence').select('blob_ref').where('attempt_id', '=', attemptId).executeTakeFirstOrThrow();
    const unused = await t.app.ctx.db.selectFrom('monitor_frames').select('blob_ref').where('attempt_id', '=', attemptId).where('blob_ref', '!=', kept.blob_ref).executeTakeFirstOrThrow();
    t.clock.advance(1500_000 + 31 * DAY);
    expect(await purgeMonitorData(t.app.ctx, { blobs, retentionDays: 30 })).toEqual({ sessions: 1, batches: 1, frames: 1 });
    expect(deleted).toEqual([unused.blob_ref]);
    expect([await count('monitor_batches'), await count('monitor_frames'), await count('monitor_episodes'), await count('flag_evidence')]).toEqual([0, 1, 1, 1]);
    const frame = await t.app.ctx.db.selectFrom('monitor_frames').select('blob_ref').where('attempt_id', '=', attemptId).executeTakeFirstOrThrow();
    expect(frame.blob_ref).toBe(kept.blob_ref);
    const events = await t.app.ctx.db.selectFrom('attempt_events').select('type').where('attempt_id', '=', attemptId).where('type', '=', 'face-absent').execute();
    expect(events).toHaveLength(1);
    const audit = await t.app.ctx.db.selectFrom('audit_log').select(['action', 'data']).where('action', '=', 'monitor.purge').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(String(audit[0]!.data))).toEqual({ batches: 1, frames: 1, retentionDays: 30 });
  });

  it('a second run finds nothing', async () => {
    expect(await purgeMonitorData(t.app.ctx, { blobs, retentionDays: 30 })).toEqual({ sessions: 0, batches: 0, frames: 0 });
  });
});
