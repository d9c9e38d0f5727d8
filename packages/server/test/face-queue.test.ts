// Face verification under a burst (issue #18 item 3): at most `verifyConcurrency` login verifications run at once;
// the others get 202 with their place (第 N 位) and a ticket, and the browser asks again until the decision comes.
// The place logic is driven by a scripted engine that answers only when told (so places are exact); the decisions
// through the queue come from the real Human model.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFaceFixtures, type FaceFixtures } from '../../../e2e/fixtures/faces.ts';
import { HumanFaceEngine, locateHumanAssets } from '../src/adapters/face/human.ts';
import { cosineSimilarity, type FaceAnalysis, type FaceEngine } from '../src/adapters/face/port.ts';
import { LocalBlobStore } from '../src/adapters/blob/local.ts';
import { faceRoutes } from '../src/http/routes/face.ts';
import { FaceSettings } from '../src/services/face/settings.ts';
import { seedDemo } from '../src/services/demo.ts';
import { cookieOf, makeApp } from './helpers/app.ts';

const settings = FaceSettings.parse({ triesLimit: 3 });
// A 1×1 JPEG is enough for the scripted engine (it never decodes); the real engine gets the fixtures' faces.
const TINY_JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);

/** Answers each analysis only when `release()` is called (registrations pass straight through). */
class ScriptedEngine implements FaceEngine {
  held: (() => void)[] = [];
  hold = false;
  private arrived: (() => void)[] = [];
  analyze(): Promise<FaceAnalysis> {
    const face: FaceAnalysis = { width: 640, height: 480, inferenceMs: 1, faces: [{ score: 0.9, box: [200, 100, 240, 300], descriptor: [1, 0, 0, 0], antispoof: 0.9, live: 0.9, yaw: 0, pitch: 0 }] };
    if (!this.hold) return Promise.resolve(face);
    return new Promise((resolve) => {
      this.held.push(() => resolve(face));
      for (const a of this.arrived.splice(0)) a();
    });
  }
  /** Resolves once `n` analyses are held. */
  async heldCount(n: number): Promise<void> {
    while (this.held.length < n) await new Promise<void>((r) => this.arrived.push(r));
  }
  release(): void {
    this.held.shift()!();
  }
  similarity = cosineSimilarity;
  info() {
    return { backend: 'scripted', workers: 1 };
  }
  async close() {}
}

async function world(engine: FaceEngine, candidates: number, photo: Buffer) {
  const blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'invigil-face-queue-'));
  const blobs = await LocalBlobStore.create(blobDir);
  // One verification at a time, and a short hold so a waiting browser hears of its new place quickly.
  const t = await makeApp('sqlite', { deps: { plugins: [(app, ctx) => faceRoutes(app, ctx, { blobs, engine, settings, verifyConcurrency: 1, verifyHoldMs: 400 })] } });
  const demo = await seedDemo(t.app.ctx, { startsInSec: 600, durationSec: 1500, candidates, kind: 'real', face: true, proof: false, baseUrl: 'http://test' });
  const admin = await t.login(demo.admin.username, demo.admin.password);
  const cands: { cookie: string; challengeId: string; attemptId: string }[] = [];
  for (const [i, c] of demo.candidates.entries()) {
    const id = (await t.app.ctx.db.selectFrom('candidates').select('id').where('id_number', '=', c.idNumber).executeTakeFirstOrThrow()).id;
    expect((await t.req('POST', `/api/face/candidates/${id}/photo`, admin, { imageBase64: photo.toString('base64') })).json()).toMatchObject({ accepted: true });
    const cookie = cookieOf(await t.candidateLogin(c.idNumber, c.ticket, `client-queue-${i}-0000`));
    const state = (await t.req('POST', '/api/face/me/consent', cookie, { accepted: true, policyVersion: '2026-1' })).json();
    const attemptId = (await t.app.ctx.db.selectFrom('attempts').select('id').where('candidate_id', '=', id).executeTakeFirstOrThrow()).id;
    cands.push({ cookie, challengeId: state.challenge.id, attemptId });
  }
  const cleanup = async () => {
    await t.cleanup();
    fs.rmSync(blobDir, { recursive: true, force: true });
  };
  return { t, cands, cleanup };
}

describe('face verification queue: places (scripted engine)', () => {
  const engine = new ScriptedEngine();
  let w: Awaited<ReturnType<typeof world>>;
  beforeAll(async () => {
    w = await world(engine, 4, TINY_JPEG);
  });
  afterAll(() => w?.cleanup());

  it('the first runs in its request; the others get 202 with 第 1, 2, 3 位, move up as each ends, and all get their decision', async () => {
    const { t, cands } = w;
    engine.hold = true;
    const verify = (i: number) => t.req('POST', '/api/face/me/verify', cands[i]!.cookie, { frames: [TINY_JPEG.toString('base64')], challengeId: cands[i]!.challengeId });
    const first = verify(0);
    await engine.heldCount(1);
    const queued = [];
    for (const i of [1, 2, 3]) {
      const res = await verify(i);
      expect(res.statusCode).toBe(202);
      queued.push(res.json() as { queued: true; ticket: string; position: number });
    }
    expect(queued.map((q) => q.position)).toEqual([1, 2, 3]);

    // Sending again while waiting keeps the place (one verification per attempt; the used challenge is not judged twice).
    const again = await verify(2);
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual(queued[1]);
    // A ticket is its attempt's own.
    const foreign = await t.req('GET', `/api/face/me/verify/${queued[0]!.ticket}`, cands[2]!.cookie);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('FACE_QUEUE_TICKET_UNKNOWN');
    expect(foreign.json().error.message).toContain('排队核验');

    // While nothing moves, a poll is held and then answers the same place.
    const still = await t.req('GET', `/api/face/me/verify/${queued[2]!.ticket}`, cands[3]!.cookie);
    expect([still.statusCode, still.json().position]).toEqual([202, 3]);

    // The first ends: its own request gets the decision; the last moves up to 第 2 位 (the poll answers at the move).
    const poll3 = t.req('GET', `/api/face/me/verify/${queued[2]!.ticket}`, cands[3]!.cookie);
    engine.release();
    const firstRes = await first;
    expect(firstRes.statusCode).toBe(200);
    expect(firstRes.json()).toHaveProperty('passed');
    expect((await poll3).json()).toMatchObject({ queued: true, position: 2 });
    await engine.heldCount(1); // candidate 1 is being verified now
    expect((await t.req('GET', `/api/face/me/verify/${queued[0]!.ticket}`, cands[1]!.cookie)).json()).toMatchObject({ position: 0 });

    // Let the rest through; each poll ends with the decision (200), recorded once per candidate.
    engine.hold = false;
    while (engine.held.length) engine.release();
    for (const [k, q] of queued.entries()) {
      let res;
      do res = await t.req('GET', `/api/face/me/verify/${q.ticket}`, cands[k + 1]!.cookie);
      while (res.statusCode === 202);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toHaveProperty('passed');
    }
    const rows = await t.app.ctx.db.selectFrom('face_verifications').select('attempt_id').where('kind', '=', 'login').execute();
    expect(rows.map((r) => r.attempt_id).sort()).toEqual(cands.map((c) => c.attemptId).sort());
  });
});

const wasmDir = (() => {
  try {
    return locateHumanAssets({ wasmDir: process.env.FACE_WASM_DIR || null }).wasmDir;
  } catch {
    return null;
  }
})();

describe.skipIf(!wasmDir)('face verification queue with the Human model', () => {
  let engine: HumanFaceEngine;
  let fx: FaceFixtures;
  let w: Awaited<ReturnType<typeof world>>;
  beforeAll(async () => {
    [engine, fx] = await Promise.all([HumanFaceEngine.create({ workers: 1, wasmDir }), buildFaceFixtures({ videos: false })]);
    w = await world(engine, 3, fs.readFileSync(fx.photo.man0));
  });
  afterAll(async () => {
    await w?.cleanup();
    await engine?.close();
  });

  it('a burst of three: one verified in its request, two queued with their places, all three decided by the model', async () => {
    const { t, cands } = w;
    const b64 = (f: string) => fs.readFileSync(f).toString('base64');
    const states = await Promise.all(cands.map(async (c) => (await t.req('GET', '/api/face/me', c.cookie)).json()));
    const framesOf = (i: number) => fx.turn[states[i].challenge.action === 'turn-left' ? 'left' : 'right'].map(b64);
    const verify = (i: number) => t.req('POST', '/api/face/me/verify', cands[i]!.cookie, { frames: framesOf(i), challengeId: states[i].challenge.id });
    const first = verify(0);
    // Wait until the first has claimed its challenge (it is then in the queue, running), then the other two arrive.
    while ((await t.app.ctx.db.selectFrom('face_attempts').select('challenge_id').where('attempt_id', '=', cands[0]!.attemptId).executeTakeFirstOrThrow()).challenge_id)
      await new Promise((r) => setTimeout(r, 5));
    const [r1, r2] = await Promise.all([verify(1), verify(2)]);
    expect([r1.statusCode, r2.statusCode]).toEqual([202, 202]);
    expect([r1.json().position, r2.json().position].sort()).toEqual([1, 2]);
    expect((await first).json()).toMatchObject({ passed: true, reason: null });
    const started = Date.now();
    const seen: number[][] = [[r1.json().position], [r2.json().position]];
    await Promise.all(
      [r1, r2].map(async (r, k) => {
        let res;
        do {
          res = await t.req('GET', `/api/face/me/verify/${r.json().ticket}`, cands[k + 1]!.cookie);
          if (res.statusCode === 202) seen[k]!.push(res.json().position);
        } while (res.statusCode === 202);
        expect(res.json()).toMatchObject({ passed: true, reason: null });
      }),
    );
    console.log(`places seen while waiting: ${JSON.stringify(seen)}; both decided ${Date.now() - started} ms after the first`);
    // Places only go down.
    for (const s of seen) expect([...s].sort((a, b) => b - a)).toEqual(s);
  });
});
