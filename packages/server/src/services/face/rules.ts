// Pure face rules: what counts as a usable registration photo and when a login passes. No I/O here, so
// the thresholds can be tested table-style and the services only orchestrate.
import type { FaceChallenge, FaceFailReason, FaceRefusal } from '@invigil/contracts';
import type { FaceAnalysis, FaceObservation } from '../../adapters/face/port.ts';
import type { FaceSettings } from './settings.ts';

export const countedFaces = (a: FaceAnalysis, s: FaceSettings): FaceObservation[] => a.faces.filter((f) => f.score >= s.minFaceScore);

export type RegistrationJudgement = { ok: true; face: FaceObservation } | { ok: false; reason: FaceRefusal };

export function judgeRegistration(a: FaceAnalysis, s: FaceSettings): RegistrationJudgement {
  const faces = countedFaces(a, s);
  if (faces.length === 0) return { ok: false, reason: 'no-face' };
  if (faces.length > 1) return { ok: false, reason: 'several-faces' };
  const face = faces[0]!;
  if (face.box[2] < s.minFacePx || face.box[3] < s.minFacePx) return { ok: false, reason: 'too-small' };
  if (face.descriptor.length === 0) return { ok: false, reason: 'no-face' };
  return { ok: true, face };
}

/** The challenges the server can verify from the frames (head yaw); nod and blink are never issued. */
export const VERIFIABLE_CHALLENGES = ['turn-left', 'turn-right'] as const satisfies readonly FaceChallenge[];

/**
 * Which way Human's yaw moves for each action, in the unmirrored camera picture the browser sends. Measured on
 * the turning fixture (e2e/fixtures/faces.ts `turnFrames`): the nose moving to the picture's right — the
 * candidate turning to their own left — makes Human's yaw smaller.
 */
const YAW_SIGN: Partial<Record<FaceChallenge, 1 | -1>> = { 'turn-left': -1, 'turn-right': 1 };

export type ChallengeOutcome = 'done' | 'not-done' | 'wrong-way';

export interface ChallengeJudgement {
  outcome: ChallengeOutcome;
  /** Largest head turn the asked way, in degrees, from the most frontal frame (null: fewer than two poses). */
  turnDeg: number | null;
  /** Largest head turn the other way, in degrees. */
  otherDeg: number | null;
}

const DEG = 180 / Math.PI;

/**
 * Did the head turn the asked way between the captured frames? Yaw (radians, in frame order; null where no
 * single face or no mesh) is measured from the first frame: the browser takes it at rest, facing the camera,
 * before the turn (FaceCapture waits for the candidate's resting pose), and sends the most turned frame after
 * it. A still picture has (almost) the same yaw in every frame, so it never clears `minTurnDeg`. A turn the
 * other way is told apart, so a shake both ways passes only when the asked way is the larger turn.
 */
export function judgeChallenge(yaws: readonly (number | null)[], action: FaceChallenge | null, minTurnDeg: number): ChallengeJudgement {
  const sign = action ? YAW_SIGN[action] : undefined;
  const known = yaws.filter((y): y is number => y !== null && Number.isFinite(y));
  if (!sign || known.length < 2) return { outcome: 'not-done', turnDeg: null, otherDeg: null };
  const rest = known[0]!;
  const round1 = (x: number) => Math.round(x * 10) / 10 + 0; // + 0: no -0 in stored scores
  const turnDeg = round1(Math.max(0, ...known.map((y) => sign * (y - rest) * DEG)));
  const otherDeg = round1(Math.max(0, ...known.map((y) => -sign * (y - rest) * DEG)));
  const outcome: ChallengeOutcome = turnDeg >= minTurnDeg && turnDeg >= otherDeg ? 'done' : otherDeg >= minTurnDeg ? 'wrong-way' : 'not-done';
  return { outcome, turnDeg, otherDeg };
}

export interface LoginJudgement {
  passed: boolean;
  reason: FaceFailReason | null;
  similarity: number | null;
  antispoof: number | null;
  liveness: number | null;
  /** Most faces seen in one frame. */
  faces: number;
  /** Frame to keep as the capture for manual review (the best-matching one, else the first). */
  bestFrame: number;
  /** Head turn the asked way / the other way, degrees (null when not measured). */
  turnDeg: number | null;
  otherDeg: number | null;
}

const mean = (xs: number[]): number | null => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100 : null);

/**
 * A login passes when every frame shows exactly one face, the best frame matches the registered descriptor,
 * the head turned the way the challenge asked (judgeChallenge), and the frames' mean anti-spoof and liveness
 * scores clear their minimums. Best frame, not every frame: a turned head scores lower against a frontal ID
 * photo. Mean, not best, for spoof and liveness: one lucky frame must not outvote the rest. Identity is judged
 * before the challenge so that a stranger is told the more useful reason.
 */
export function judgeLogin(
  frames: FaceAnalysis[],
  registered: readonly number[],
  s: FaceSettings,
  similarity: (a: readonly number[], b: readonly number[]) => number,
  challenge: FaceChallenge | null,
): LoginJudgement {
  const perFrame = frames.map((a) => countedFaces(a, s));
  const faces = Math.max(0, ...perFrame.map((f) => f.length));
  const base = { similarity: null, antispoof: null, liveness: null, faces, bestFrame: 0, turnDeg: null, otherDeg: null };
  if (perFrame.some((f) => f.length > 1)) return { ...base, passed: false, reason: 'several-faces' };
  const single = perFrame.flatMap((f, i) => (f.length === 1 && f[0]!.descriptor.length ? [{ face: f[0]!, i }] : []));
  if (single.length === 0) return { ...base, passed: false, reason: 'no-face' };
  let best = single[0]!;
  let bestSim = -1;
  for (const x of single) {
    const sim = similarity(x.face.descriptor, registered);
    if (sim > bestSim) [best, bestSim] = [x, sim];
  }
  const antispoof = mean(single.flatMap((x) => (x.face.antispoof === null ? [] : [x.face.antispoof])));
  const liveness = mean(single.flatMap((x) => (x.face.live === null ? [] : [x.face.live])));
  const turn = judgeChallenge(
    single.map((x) => x.face.yaw),
    challenge,
    s.minTurnDeg,
  );
  const scores = { similarity: bestSim, antispoof, liveness, faces, bestFrame: best.i, turnDeg: turn.turnDeg, otherDeg: turn.otherDeg };
  if (bestSim < s.threshold) return { ...scores, passed: false, reason: 'not-matching' };
  // Every frame must be the person of the best frame: otherwise a photo of the candidate held up for one frame
  // and someone else turning in another would pass. Same person across a turn measured ≥ 0.74 (40° synthetic
  // turn), different people ≤ 0.62 (bench/face), so the bar sits between.
  if (single.some((x) => x !== best && similarity(x.face.descriptor, best.face.descriptor) < s.minSameFace)) return { ...scores, passed: false, reason: 'face-changed' };
  if (turn.outcome === 'not-done') return { ...scores, passed: false, reason: 'challenge-not-done' };
  if (turn.outcome === 'wrong-way') return { ...scores, passed: false, reason: 'challenge-wrong-way' };
  if (antispoof !== null && antispoof < s.minAntispoof) return { ...scores, passed: false, reason: 'spoof-suspected' };
  if (liveness !== null && liveness < s.minLiveness) return { ...scores, passed: false, reason: 'not-live' };
  return { ...scores, passed: true, reason: null };
}

/** In-exam check: is the registered person (one of the faces) still in front of the camera? */
export function judgeCheck(
  a: FaceAnalysis,
  registered: readonly number[],
  s: FaceSettings,
  similarity: (a: readonly number[], b: readonly number[]) => number,
): { outcome: 'match' | 'mismatch' | 'no-face'; similarity: number | null; faces: number } {
  const faces = countedFaces(a, s).filter((f) => f.descriptor.length);
  if (faces.length === 0) return { outcome: 'no-face', similarity: null, faces: 0 };
  const sim = Math.max(...faces.map((f) => similarity(f.descriptor, registered)));
  return { outcome: sim >= s.threshold ? 'match' : 'mismatch', similarity: sim, faces: faces.length };
}
