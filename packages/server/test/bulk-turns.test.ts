// Requests every candidate sends at the same moment wait their turn (http/bulk-turns.ts, issue #18): at the common end
// 3,000 finalizes arriving in one second held the event loop for seconds and every proctor event waited behind them.
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BulkTurns } from '../src/http/bulk-turns.ts';
import { loadConfig } from '../src/config.ts';
import { localWriterPool } from '../src/adapters/blob/local.ts';
import { chunk, createWorld, finalize, liveWebm, openRec, putSegment, segmentsOf, type Seg, type World } from './support/recording-fixtures.ts';

describe('BulkTurns', () => {
  it('lets `concurrency` run, the rest wait first come first served, and a leaver gives its turn on once', async () => {
    const turns = new BulkTurns(2);
    const order: number[] = [];
    const t = [0, 1, 2, 3, 4].map((i) => {
      const turn = turns.take();
      void turn.ready.then((ok) => ok && order.push(i));
      return turn;
    });
    await Promise.resolve();
    expect(order).toEqual([0, 1]);
    expect(turns.load).toEqual({ running: 2, waiting: 3 });
    t[3]!.leave(); // left the line before its turn: never runs
    expect(await t[3]!.ready).toBe(false);
    expect(turns.load).toEqual({ running: 2, waiting: 2 });
    t[0]!.leave();
    t[0]!.leave(); // twice: one turn given on, not two
    await nextRound();
    expect(order).toEqual([0, 1, 2]);
    expect(turns.load).toEqual({ running: 2, waiting: 1 });
    t[1]!.leave();
    await nextRound();
    expect(order).toEqual([0, 1, 2, 4]);
    for (const x of t) x.leave();
    await nextRound();
    expect(turns.load).toEqual({ running: 0, waiting: 0 });
  });

  it('a request handed the turn that leaves before its round never runs and passes the turn on (no turn is lost)', async () => {
    const turns = new BulkTurns(1);
    const [a, b, c] = [turns.take(), turns.take(), turns.take()];
    await a.ready;
    a.leave(); // b has the turn from now on, and goes on in the next round…
    b.leave(); // …but its client hung up first
    expect(await b.ready).toBe(false);
    expect(await c.ready).toBe(true);
    expect(turns.load).toEqual({ running: 1, waiting: 0 });
    c.leave();
    expect(turns.load).toEqual({ running: 0, waiting: 0 });
  });

  it("hands a turn on in the event loop's next round, never in the same task: a line of synchronous requests does not hold the loop", async () => {
    const turns = new BulkTurns(1);
    const ran: string[] = [];
    const a = turns.take();
    const b = turns.take();
    void b.ready.then(() => ran.push('b'));
    await a.ready;
    a.leave();
    await Promise.resolve();
    await new Promise<void>((r) => process.nextTick(r)); // where an answer's 'close' comes
    expect(ran).toEqual([]);
    await nextRound();
    expect(ran).toEqual(['b']);
  });
});

const nextRound = () => new Promise<void>((r) => setImmediate(r));

describe('finalize and recording open take turns', () => {
  let media: string;
  let segs: Seg[];
  let w: World | undefined;
  beforeAll(async () => {
    media = await fs.mkdtemp(path.join(os.tmpdir(), 'invigil-turns-'));
    const run = await liveWebm(media, 'run0.webm', 3);
    segs = segmentsOf([{ chunks: chunk(run, 3), seconds: 3 }], Date.now() - 60_000);
  });
  afterAll(() => fs.rm(media, { recursive: true, force: true }));
  /** Each candidate's camera recording, opened and uploaded whole (not yet finalized). */
  async function recorded(world: World): Promise<{ id: string }[]> {
    const recs: { id: string }[] = [];
    for (const c of world.candidates) {
      const rec = await openRec(world.app, c.cookie, c.attemptId);
      for (const s of segs) expect((await putSegment(world.app, c.cookie, rec.id, s)).statusCode).toBe(200);
      recs.push(rec);
    }
    return recs;
  }
  afterEach(async () => {
    localWriterPool().releaseSyncs();
    await w?.close();
    w = undefined;
  });

  it('at most BULK_CONCURRENCY run at once; the others wait in line and are all answered once the disk lets the first ones through', async () => {
    expect(loadConfig({}).bulkConcurrency).toBe(16);
    w = await createWorld({ candidates: 7, env: { BULK_CONCURRENCY: '4' } });
    const world = w;
    expect(world.app.bulkTurns.concurrency).toBe(4);
    // The disk stalls: a finalize waits in its flush (上传成功 only once the bytes are on disk) and keeps its turn.
    localWriterPool().holdSyncs();
    const recs = await recorded(world);
    expect(world.app.bulkTurns.load).toEqual({ running: 0, waiting: 0 });
    const answers = world.candidates.slice(0, 6).map((c, i) => finalize(world.app, c.cookie, recs[i]!.id, segs.length - 1));
    const last = world.candidates[6]!;
    const opened = world.app.inject({ method: 'POST', url: `/api/attempts/${last.attemptId}/recordings`, headers: { cookie: last.cookie }, payload: { stream: 'screen', mimeType: 'video/webm' } });
    await until(() => world.app.bulkTurns.load.waiting === 3);
    expect(world.app.bulkTurns.load).toEqual({ running: 4, waiting: 3 });
    // Requests that are not bulk do not wait: the last candidate's recording state is answered meanwhile.
    const state = await world.app.inject({ method: 'GET', url: `/api/recordings/${recs[6]!.id}`, headers: { cookie: last.cookie } });
    expect(state.statusCode).toBe(200);
    localWriterPool().releaseSyncs();
    for (const a of await Promise.all(answers)) {
      expect(a.statusCode, a.body).toBe(200);
      expect(a.json()).toMatchObject({ status: 'verified' });
    }
    expect((await opened).statusCode).toBe(200);
    expect(world.app.bulkTurns.load).toEqual({ running: 0, waiting: 0 });
  });

  it('a client that hangs up while waiting leaves the line: its request never runs and holds no turn', async () => {
    w = await createWorld({ candidates: 5, env: { BULK_CONCURRENCY: '4' } });
    const world = w;
    localWriterPool().holdSyncs();
    const recs = await recorded(world);
    await world.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = world.app.server.address() as AddressInfo;
    const held = world.candidates.slice(0, 4).map((c, i) => finalize(world.app, c.cookie, recs[i]!.id, segs.length - 1));
    await until(() => world.app.bulkTurns.load.running === 4);
    // The fifth candidate's finalize, over a real connection, waits in line; then the candidate closes the page.
    const c = world.candidates[4]!;
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: `/api/recordings/${recs[4]!.id}/finalize`, headers: { cookie: c.cookie, 'content-type': 'application/json' } });
    req.on('error', () => undefined);
    req.end(JSON.stringify({ lastSeq: segs.length - 1 }));
    await until(() => world.app.bulkTurns.load.waiting === 1);
    req.destroy();
    await until(() => world.app.bulkTurns.load.waiting === 0);
    localWriterPool().releaseSyncs();
    for (const a of await Promise.all(held)) expect(a.statusCode, a.body).toBe(200);
    await until(() => world.app.bulkTurns.load.running === 0);
    // It never ran: the recording is still uploading, and the candidate's next finalize (on reconnect) verifies it.
    const row = await world.ctx.db.selectFrom('recordings').select('status').where('id', '=', recs[4]!.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('uploading');
    const again = await finalize(world.app, c.cookie, recs[4]!.id, segs.length - 1);
    expect(again.json()).toMatchObject({ status: 'verified' });
  });
});

async function until(cond: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
