// Face decision rules without a model: scripted analyses, so each threshold edge is checked exactly.
import { describe, expect, it } from 'vitest';
import { cosineSimilarity, humanSimilarity, type FaceAnalysis, type FaceObservation } from '../src/adapters/face/port.ts';
import { judgeCheck, judgeLogin, judgeRegistration } from '../src/services/face/rules.ts';
import { defaultFaceSettings, faceSettingsFromEnv } from '../src/services/face/settings.ts';

const s = defaultFaceSettings();
const DEG = 180 / Math.PI;
const face = (over: Partial<FaceObservation> = {}): FaceObservation => ({ score: 0.95, box: [10, 10, 120, 120], descriptor: [1], antispoof: 0.8, live: 0.9, yaw: 0, pitch: 0, ...over });
const frame = (...faces: FaceObservation[]): FaceAnalysis => ({ width: 640, height: 480, faces, inferenceMs: 1 });
// The "similarity" of a scripted face to the registered descriptor (written []) is its descriptor's first number,
// so tests state scores directly; between two frames it is 0.9 when their second numbers (who it is) agree.
const sim = (a: readonly number[], b: readonly number[]) => (b.length === 0 ? a[0]! : (a[1] ?? 0) === (b[1] ?? 0) ? 0.9 : 0.2);

describe('registration photo rules', () => {
  it.each([
    ['no face', frame(), 'no-face'],
    ['a detection below the score minimum does not count', frame(face({ score: 0.3 })), 'no-face'],
    ['two faces', frame(face(), face()), 'several-faces'],
    ['face narrower than minFacePx', frame(face({ box: [0, 0, 40, 120] })), 'too-small'],
    ['no embedding', frame(face({ descriptor: [] })), 'no-face'],
  ])('%s → refused (%s)', (_name, a, reason) => {
    expect(judgeRegistration(a, s)).toEqual({ ok: false, reason });
  });
  it('exactly one large face is accepted', () => {
    expect(judgeRegistration(frame(face(), face({ score: 0.2 })), s).ok).toBe(true);
  });
});

describe('login decision', () => {
  // A frontal frame and one turned 20° to the candidate's left (yaw down): what the turn-left challenge asks.
  const turnedLeft = (over: Partial<FaceObservation> = {}) => face({ yaw: -20 / DEG, ...over });
  it.each([
    ['at the threshold passes', [frame(face({ descriptor: [s.threshold] })), frame(turnedLeft({ descriptor: [0.1] }))], true, null],
    ['just below the threshold fails', [frame(face({ descriptor: [s.threshold - 0.01] })), frame(turnedLeft({ descriptor: [0.1] }))], false, 'not-matching'],
    ['the best frame counts (a turned head scores lower)', [frame(face({ descriptor: [0.8] })), frame(turnedLeft({ descriptor: [0.3] }))], true, null],
    ['a second face in any frame fails', [frame(face({ descriptor: [0.9] })), frame(face(), face())], false, 'several-faces'],
    ['no face in any frame fails', [frame(), frame()], false, 'no-face'],
    ['a still picture (same yaw in every frame) fails the challenge', [frame(face({ descriptor: [0.9] })), frame(face({ descriptor: [0.9] }))], false, 'challenge-not-done'],
    ['one frame cannot show a turn', [frame(face({ descriptor: [0.9] }))], false, 'challenge-not-done'],
    ['turning the other way fails', [frame(face({ descriptor: [0.9] })), frame(face({ descriptor: [0.7], yaw: 20 / DEG }))], false, 'challenge-wrong-way'],
    ['no mesh (no yaw) cannot show a turn', [frame(face({ descriptor: [0.9], yaw: null })), frame(face({ descriptor: [0.9], yaw: null }))], false, 'challenge-not-done'],
    ['someone else turning after a photo of the candidate fails', [frame(face({ descriptor: [0.9] })), frame(turnedLeft({ descriptor: [0.5, 7] }))], false, 'face-changed'],
    ['a stranger is told the mismatch, not the missing turn', [frame(face({ descriptor: [0.2] })), frame(face({ descriptor: [0.2] }))], false, 'not-matching'],
    ['low mean anti-spoof fails', [frame(face({ descriptor: [0.9], antispoof: 0.1 })), frame(turnedLeft({ descriptor: [0.9], antispoof: 0.4 }))], false, 'spoof-suspected'],
    ['low liveness fails', [frame(face({ descriptor: [0.9], live: 0.2 })), frame(turnedLeft({ descriptor: [0.9], live: 0.2 }))], false, 'not-live'],
  ])('%s', (_name, frames, passed, reason) => {
    const j = judgeLogin(frames, [], s, sim, 'turn-left');
    expect({ passed: j.passed, reason: j.reason }).toEqual({ passed, reason });
  });
  it('reports the scores it decided on and which frame to keep', () => {
    const j = judgeLogin([frame(face({ descriptor: [0.3], antispoof: 0.5 })), frame(turnedLeft({ descriptor: [0.8], antispoof: 0.7 }))], [], s, sim, 'turn-left');
    expect(j).toMatchObject({ similarity: 0.8, antispoof: 0.6, liveness: 0.9, faces: 1, bestFrame: 1, turnDeg: 20, otherDeg: 0 });
  });
  it('checks the issued direction: the same frames pass turn-left and fail turn-right', () => {
    const frames = [frame(face({ descriptor: [0.9] })), frame(turnedLeft({ descriptor: [0.8] }))];
    expect(judgeLogin(frames, [], s, sim, 'turn-left').passed).toBe(true);
    expect(judgeLogin(frames, [], s, sim, 'turn-right').reason).toBe('challenge-wrong-way');
    // nod and blink cannot be checked from a yaw, so they never pass (and are no longer issued).
    expect(judgeLogin(frames, [], s, sim, 'nod').reason).toBe('challenge-not-done');
  });
});

describe('in-exam check', () => {
  it('matches when any face is the registered person; no face is its own outcome', () => {
    expect(judgeCheck(frame(face({ descriptor: [0.2] }), face({ descriptor: [0.7] })), [], s, sim).outcome).toBe('match');
    expect(judgeCheck(frame(face({ descriptor: [0.2] })), [], s, sim)).toMatchObject({ outcome: 'mismatch', similarity: 0.2 });
    expect(judgeCheck(frame(), [], s, sim)).toEqual({ outcome: 'no-face', similarity: null, faces: 0 });
  });
});

describe('similarity and settings', () => {
  it('follows Human: identical → 1, far apart → 0, symmetric', () => {
    const a = Array.from({ length: 1024 }, (_, i) => Math.sin(i) / 32);
    const b = a.map((v, i) => v + (i % 2 ? 0.004 : -0.004));
    expect(humanSimilarity(a, a)).toBe(1);
    expect(humanSimilarity(a, b)).toBe(humanSimilarity(b, a));
    expect(humanSimilarity(a, b)).toBeGreaterThan(0.5);
    expect(
      humanSimilarity(
        a,
        a.map((v) => v + 1),
      ),
    ).toBe(0);
    expect(humanSimilarity(a, [1, 2])).toBe(0);
  });
  it('decisions use the cosine: identical → 1, orthogonal → 0, scale-free, symmetric, 3 decimals', () => {
    const a = Array.from({ length: 1024 }, (_, i) => Math.abs(Math.sin(i)) / 32);
    expect(cosineSimilarity(a, a)).toBe(1);
    expect(
      cosineSimilarity(
        a,
        a.map((v) => v * 7),
      ),
    ).toBe(1);
    expect(cosineSimilarity([1, 0], [0, 1])).toBe(0);
    expect(cosineSimilarity([1, 2, 3], [3, 1, 2])).toBe(cosineSimilarity([3, 1, 2], [1, 2, 3]));
    expect(cosineSimilarity([1, 2, 3], [3, 1, 2])).toBe(0.786);
    expect(cosineSimilarity(a, [1, 2])).toBe(0);
    expect(cosineSimilarity([0, 0], [1, 1])).toBe(0);
  });
  it('the default threshold is the measured zero-false-accept point (highest different-people score 0.621)', () => {
    expect(defaultFaceSettings().threshold).toBe(0.63);
  });
  it('reads FACE_* variables and names the bad one', () => {
    expect(faceSettingsFromEnv({ FACE_THRESHOLD: '0.7', FACE_TRIES: '3' })).toMatchObject({ threshold: 0.7, triesLimit: 3, retentionDays: 30, minTurnDeg: 8 });
    expect(faceSettingsFromEnv({ FACE_MIN_TURN_DEG: '12' }).minTurnDeg).toBe(12);
    expect(() => faceSettingsFromEnv({ FACE_MIN_TURN_DEG: '0' })).toThrow(/FACE_MIN_TURN_DEG/);
    expect(() => faceSettingsFromEnv({ FACE_THRESHOLD: '2' })).toThrow(/FACE_THRESHOLD/);
  });
});
