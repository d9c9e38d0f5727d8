// The in-exam monitor's pure parts (issue #19): a sample from pixels and Human's result, batching with evidence,
// and the adaptive rate.
import { describe, expect, it } from 'vitest';
import { DEFAULT_MONITOR_RULES, holds, type MonitorRules, type MonitorSample } from '@invigil/contracts';
import {
  FACE_GRAY,
  lowerFaceRatio,
  occlusionOf,
  cosine,
  faceScores,
  grayStats,
  phoneScore,
  ReferenceBuilder,
  sampleOf,
  toGray,
  GRAY_H,
  GRAY_W,
  IdentityPlan,
  analyseFrame,
  confirmBelow,
  faceSimilarity,
  type FaceLike,
} from '../src/face-monitor/analysis.ts';
import { MonitorBatcher } from '../src/face-monitor/batcher.ts';
import { AdaptiveRate } from '../src/face-monitor/rate.ts';

const rules: MonitorRules = structuredClone(DEFAULT_MONITOR_RULES);
const ref = [1, 0, 0, 0];
const face = (o: Partial<FaceLike> = {}): FaceLike => ({
  box: [100, 60, 120, 140],
  score: 0.9,
  faceScore: 0.95,
  rotation: { angle: { yaw: 0, pitch: 0, roll: 0 } },
  embedding: [0.9, 0.1, 0, 0],
  ...o,
});

function noise(seed: number, n = GRAY_W * GRAY_H): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out[i] = 40 + (x % 160);
  }
  return out;
}
const flat = (v: number) => new Uint8Array(GRAY_W * GRAY_H).fill(v);

const sample = (t: number, o: Partial<MonitorSample> = {}): MonitorSample => ({ t, faces: 1, match: 0.9, yaw: 0, pitch: 0, occlusion: 0, luma: 120, contrast: 50, motion: 5, phone: null, ...o });

describe('sample from pixels and Human', () => {
  it('grayscale: BT.601 luma of RGBA', () => {
    const g = toGray(new Uint8ClampedArray([255, 255, 255, 255, 0, 0, 0, 255, 255, 0, 0, 255]), 3, 1);
    expect([...g]).toEqual([255, 0, 76]);
  });
  it('a covered lens is flat, a room is not; motion is the mean difference to the previous copy', () => {
    const dark = grayStats(flat(8), flat(8));
    expect(dark).toEqual({ luma: 8, contrast: 0, motion: 0 });
    const room = grayStats(noise(1), noise(2));
    expect(room.contrast).toBeGreaterThan(30);
    expect(room.motion).toBeGreaterThan(20);
    expect(grayStats(noise(1), null).motion).toBe(255); // first frame: unknown, never "frozen"
    expect(holdsCovered(dark.contrast)).toBe(true);
    expect(holdsCovered(room.contrast)).toBe(false);
  });
  it('cosine similarity; a reference of another length is no match', () => {
    expect(cosine([1, 0], [1, 0])).toBe(1);
    expect(cosine([1, 0], [0, 1])).toBe(0);
    expect(cosine([1, 0], [1, 0, 0])).toBeNull();
  });
  it('faces: tiny background faces are not counted; scores are of the largest face', () => {
    const big = face({ box: [10, 10, 150, 170], rotation: { angle: { yaw: Math.PI / 4, pitch: -Math.PI / 18, roll: 0 } } });
    const small = face({ box: [300, 10, 12, 13], embedding: [0, 1, 0, 0] });
    const s = faceScores([small, big], 240, ref);
    expect(s.faces).toBe(1); // 13 px < 6 % of 240
    expect(s.yaw).toBe(45);
    expect(s.pitch).toBe(-10);
    expect(s.match).toBeCloseTo(0.994, 3);
    expect(faceScores([face(), face({ box: [200, 60, 100, 120], embedding: [0, 1, 0, 0] })], 240, ref).faces).toBe(2);
    expect(faceScores([], 240, ref)).toEqual({ faces: 0, match: null, yaw: null, pitch: null, occlusion: null });
    expect(faceScores([face()], 240, null).match).toBeNull();
  });
  it('match with several faces: the best of them — low only when the candidate is none of them', () => {
    const helper = face({ box: [200, 60, 100, 120], embedding: [0, 1, 0, 0] });
    const standIn = face({ box: [10, 10, 150, 170], embedding: [0, 0, 1, 0] });
    const withHelper = faceScores([face(), helper], 240, ref); // the candidate (smaller box) and a helper
    expect(withHelper).toMatchObject({ faces: 2 });
    expect(withHelper.match).toBeCloseTo(0.994, 3);
    const strangers = faceScores([standIn, helper], 240, ref);
    expect(strangers).toMatchObject({ faces: 2, match: 0 });
    const s = (o: Partial<MonitorSample>) => sample(0, o);
    expect(holds('identity-mismatch', s({ faces: 2, match: strangers.match }), rules)).toBe(true);
    expect(holds('identity-mismatch', s({ faces: 2, match: withHelper.match }), rules)).toBe(false);
    expect(holds('identity-mismatch', s({ faces: 2, match: null }), rules)).toBe(false); // an older exam's sample
  });
  it('occlusion: a smooth lower half of the face box (hand, mask) against an edged upper half', () => {
    const side = FACE_GRAY;
    const faceLike = (lowerFlat: boolean) => {
      const g = new Uint8Array(side * side);
      for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) g[y * side + x] = lowerFlat && y >= side / 2 ? 190 : ((x * 7 + y * 13) % 5) * 30 + 60;
      return g;
    };
    expect(lowerFaceRatio(faceLike(false))).toBeCloseTo(1, 1);
    expect(occlusionOf(faceLike(false))).toBe(0);
    expect(lowerFaceRatio(faceLike(true))).toBeLessThan(0.1);
    expect(occlusionOf(faceLike(true))).toBe(1);
    expect(occlusionOf(null)).toBeNull();
    const s = faceScores([face()], 240, ref, faceLike(true));
    expect(s.occlusion).toBe(1);
  });
  it('phone: best cell-phone score, null when the object detector did not run', () => {
    expect(phoneScore(null)).toBeNull();
    expect(phoneScore([{ label: 'cup', score: 0.9 }])).toBe(0);
    expect(
      phoneScore([
        { label: 'cell phone', score: 0.4 },
        { label: 'cell phone', score: 0.7 },
      ]),
    ).toBe(0.7);
  });
  it('a whole sample passes the contract', async () => {
    const { MonitorSample } = await import('@invigil/contracts');
    const s = sampleOf({ t: 1000.4, faces: [face()], frameHeight: 240, objects: null, gray: noise(3), prevGray: noise(4), reference: ref, faceGray: null });
    expect(MonitorSample.parse(s)).toEqual(s);
    expect(s.t).toBe(1000);
  });
  it('reference from the first clear frontal frames when the server has none, or one of another model', () => {
    const r = new ReferenceBuilder(null);
    r.offer([face({ embedding: [1, 0, 0, 0] })], 240);
    r.offer([face(), face({ box: [200, 60, 100, 120] })], 240); // two faces: not used
    r.offer([face({ embedding: [0, 1, 0, 0], rotation: { angle: { yaw: 0.6, pitch: 0, roll: 0 } } })], 240); // turned: not used
    expect(r.reference).toBeNull();
    r.offer([face({ embedding: [1, 0, 0, 0] })], 240);
    r.offer([face({ embedding: [0.7, 0.3, 0, 0] })], 240);
    expect(r.reference!.map((v) => Math.round(v * 1000) / 1000)).toEqual([0.9, 0.1, 0, 0]);
    const other = new ReferenceBuilder([1, 2]);
    other.offer([face()], 240);
    expect(other.reference).toBeNull();
  });
  it('the exam’s own first frames are the reference when they resemble the registration, the registration when not (a stand-in)', () => {
    const own = new ReferenceBuilder([1, 0, 0, 0]);
    for (let i = 0; i < 3; i++) own.offer([face({ embedding: [0.75, 0.25, 0, 0] })], 240);
    expect([own.source, own.reference]).toEqual(['session', [0.75, 0.25, 0, 0]]);
    const standIn = new ReferenceBuilder([1, 0, 0, 0]);
    for (let i = 0; i < 3; i++) standIn.offer([face({ embedding: [0.3, 0.9, 0.3, 0] })], 240);
    expect([standIn.source, standIn.reference]).toEqual(['registered', [1, 0, 0, 0]]);
    const turned = new ReferenceBuilder(null);
    const side = face({ embedding: [0, 0, 1, 0], rotation: { angle: { yaw: 0.6, pitch: 0, roll: 0 } } });
    for (let i = 0; i < ReferenceBuilder.PATIENCE - 1; i++) turned.offer([side], 240);
    expect(turned.reference).toBeNull();
    turned.offer([side], 240); // never quite frontal: after PATIENCE frames, what there is
    expect([turned.source, turned.reference]).toEqual(['session', [0, 0, 1, 0]]);
    const registered = new ReferenceBuilder([1, 0, 0, 0], 'registered');
    expect([registered.source, registered.reference]).toEqual(['registered', [1, 0, 0, 0]]);
  });
});

function holdsCovered(contrast: number) {
  return contrast < rules['camera-covered'].threshold;
}

describe('identity plan: the face description only when the face may have changed', () => {
  const faceCopy = (seed: number) => noise(seed, FACE_GRAY * FACE_GRAY);
  /**
   * A fake Human: `who()` says which face (a seed for its pixels and descriptor; 1 is the candidate) is in front of
   * the camera, or several (the first is the largest).
   */
  function passes(who: () => number | number[] | null, log: string[]) {
    const people = () => [who() ?? []].flat();
    return {
      async detect(full: boolean) {
        log.push(full ? 'full' : 'light');
        const faces = people().map((w, i) => face({ box: [20 + i * 160, 60, 120 - i * 20, 140 - i * 20], embedding: full ? (w === 1 ? [0.9, 0.1, 0, 0] : [0, 1, 0, 0]) : undefined }));
        return { faces, objects: null };
      },
      faceGray: () => faceCopy(people()[0] ?? 0),
    };
  }
  const run = async (timeline: Array<number | number[] | null>, plan = new IdentityPlan({ confirmBelow: confirmBelow(rules) })) => {
    const reference = new ReferenceBuilder(ref, 'registered');
    const log: string[] = [];
    const out: Array<{ match: number | null; full: boolean }> = [];
    for (let i = 0; i < timeline.length; i++) {
      const before = log.length;
      const r = await analyseFrame(
        passes(() => timeline[i]!, log),
        { t: i * 1000, frameHeight: 240, gray: flat(100), prevGray: null, reference, plan, now: () => 0 },
      );
      out.push({ match: r.sample.match, full: log.slice(before).includes('full') });
    }
    return out;
  };

  it('similarity: the same face copy is 1, another face is low', () => {
    expect(faceSimilarity(faceCopy(1), faceCopy(1))).toBeCloseTo(1, 5);
    expect(faceSimilarity(faceCopy(1), faceCopy(2))).toBeLessThan(0.5);
    expect(faceSimilarity(new Uint8Array(4), new Uint8Array(3))).toBe(0);
  });

  it('the candidate sitting still: described on the first frame and every period, the match carried in between', async () => {
    const r = await run(Array(70).fill(1));
    expect(r.filter((x) => x.full).length).toBe(3); // t = 0, 30, 60 s
    expect(r.every((x) => x.match !== null && x.match > 0.9)).toBe(true);
  });

  it('another person in the same place is described on the frame they appear and every frame while the match is low', async () => {
    const r = await run([...Array(10).fill(1), ...Array(5).fill(2), ...Array(5).fill(1)]);
    expect(r.slice(10, 15).every((x) => x.full && x.match === 0)).toBe(true);
    expect(r[15]!.full).toBe(true);
    expect(r[15]!.match).toBeGreaterThan(0.9);
    expect(r.slice(16).some((x) => x.full)).toBe(false);
  });

  it('several faces are described: a stand-in with a helper gives a low match every frame, the candidate with a helper a high one once', async () => {
    const r = await run([...Array(5).fill(1), ...Array(4).fill([2, 3]), ...Array(3).fill(1), ...Array(4).fill([1, 3])]);
    expect(r.slice(5, 9).every((x) => x.full && x.match === 0)).toBe(true); // low: confirmed on every frame
    expect(r[9]).toEqual({ full: true, match: expect.closeTo(0.994, 3) });
    expect(r[12]).toEqual({ full: true, match: expect.closeTo(0.994, 3) }); // the count changed: described again
    expect(r.slice(13).every((x) => !x.full && x.match !== null && x.match > 0.9)).toBe(true); // then carried
  });

  it('no face, then a face: described again on return; no match while nobody is there', async () => {
    const r = await run([1, 1, null, null, 1, 1]);
    expect(r.map((x) => x.full)).toEqual([true, false, false, false, true, false]);
    expect(r[2]!.match).toBeNull();
  });
});

describe('batching', () => {
  it('sends every few seconds while nothing changes', () => {
    const b = new MonitorBatcher(rules, { everyMs: 5000 });
    const flushes: number[] = [];
    for (let t = 0; t <= 12_000; t += 1000) if (b.add(sample(t)).flush) flushes.push(t) && b.take();
    expect(flushes).toEqual([5000, 10_000]);
  });
  it('face absent: sends at once when it begins, and again when its hold time is reached, with the evidence frame', () => {
    const b = new MonitorBatcher(rules, { everyMs: 5000 });
    b.add(sample(0));
    b.add(sample(1000));
    const r = b.add(sample(2000, { faces: 0, match: null, yaw: null, pitch: null, occlusion: null }));
    expect(r).toEqual({ flush: true, began: ['face-absent'] });
    b.evidence('face-absent', 2000, 'JPEGDATA');
    expect(b.take()!.evidence).toEqual([]); // not raised yet: the frame waits for the batch that raises it
    expect(b.add(sample(3000, { faces: 0 })).flush).toBe(false);
    expect(b.tell()).toEqual([]);
    expect(b.add(sample(4000, { faces: 0 })).flush).toBe(true); // held 2 s: raised now, not at the next period
    expect(b.tell()).toEqual(['face-absent']);
    const batch = b.take()!;
    expect(batch.samples.map((s) => s.t)).toEqual([3000, 4000]);
    expect(batch.evidence).toEqual([{ t: 2000, jpeg: 'JPEGDATA' }]);
    // It stops: sent at once, the hint goes after the release time.
    expect(b.add(sample(5000)).flush).toBe(true);
    b.take();
    expect(b.add(sample(6000)).flush).toBe(true); // the episode ended (2 s release)
    expect(b.tell()).toEqual([]);
  });
  it('a condition that stops before its hold time leaves no evidence behind', () => {
    const b = new MonitorBatcher(rules);
    b.add(sample(0, { faces: 0 }));
    b.evidence('face-absent', 0, 'X');
    b.add(sample(1000));
    for (let t = 2000; t < 20_000; t += 1000) b.add(sample(t));
    expect(b.take()!.evidence).toEqual([]);
  });
  it('a batch that could not be sent goes back in front', () => {
    const b = new MonitorBatcher(rules);
    b.add(sample(0));
    const first = b.take()!;
    b.add(sample(1000));
    b.putBack(first);
    expect(b.take()!.samples.map((s) => s.t)).toEqual([0, 1000]);
    expect(b.take()).toBeNull();
  });
  it('the hint only for rules that tell', () => {
    const quiet: MonitorRules = { ...rules, 'face-absent': { ...rules['face-absent'], tell: false } };
    const b = new MonitorBatcher(quiet);
    for (let t = 0; t <= 5000; t += 1000) b.add(sample(t, { faces: 0 }));
    expect(b.tell()).toEqual([]);
  });
});

describe('adaptive rate', () => {
  it('nominal rate while analysis is quick, slower as it gets slow, half while the page is busy, never below 0.5 Hz', () => {
    const r = new AdaptiveRate({ minMs: 500 });
    expect(r.intervalMs(0)).toBe(500);
    for (let i = 0; i < 10; i++) r.analysed(60);
    expect(r.intervalMs(0)).toBe(500);
    for (let i = 0; i < 10; i++) r.analysed(200);
    expect(r.intervalMs(0)).toBeGreaterThan(750);
    expect(r.intervalMs(0)).toBeLessThan(850);
    for (let i = 0; i < 20; i++) r.analysed(900);
    expect(r.intervalMs(0)).toBe(2000);
    for (let i = 0; i < 30; i++) r.analysed(100);
    expect(r.intervalMs(0)).toBeCloseTo(500, -1);
    r.busy(10_000, 40); // a little: no change
    expect(r.intervalMs(10_000)).toBeCloseTo(500, -1);
    r.busy(10_000, 300);
    expect(r.intervalMs(10_500)).toBeCloseTo(1000, -1);
    expect(r.intervalMs(15_001)).toBeCloseTo(500, -1);
    // The server's 1 Hz: the nominal interval is 1 s; 5 Hz asked is still at most 2 Hz.
    expect(new AdaptiveRate({ minMs: 1000 }).intervalMs(0)).toBe(1000);
    expect(new AdaptiveRate({ minMs: 200 }).intervalMs(0)).toBe(500);
  });
});
