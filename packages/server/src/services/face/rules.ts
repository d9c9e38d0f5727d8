// Pure face rules: what counts as a usable registration photo and when a login passes. No I/O here, so
// the thresholds can be tested table-style and the services only orchestrate.
import type { FaceFailReason, FaceRefusal } from '@invigil/contracts';
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
}

const mean = (xs: number[]): number | null => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100 : null);

/**
 * A login passes when every frame shows exactly one face, the best frame matches the registered descriptor,
 * and the frames' mean anti-spoof and liveness scores clear their minimums. Best frame, not every frame: the
 * challenge asks the candidate to turn or nod, and a turned head scores lower against a frontal ID photo.
 * Mean, not best, for spoof and liveness: one lucky frame must not outvote the rest.
 */
export function judgeLogin(frames: FaceAnalysis[], registered: readonly number[], s: FaceSettings, similarity: (a: readonly number[], b: readonly number[]) => number): LoginJudgement {
  const perFrame = frames.map((a) => countedFaces(a, s));
  const faces = Math.max(0, ...perFrame.map((f) => f.length));
  const base = { similarity: null, antispoof: null, liveness: null, faces, bestFrame: 0 };
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
  const scores = { similarity: bestSim, antispoof, liveness, faces, bestFrame: best.i };
  if (bestSim < s.threshold) return { ...scores, passed: false, reason: 'not-matching' };
  if (antispoof !== null && antispoof < s.minAntispoof) return { ...scores, passed: false, reason: 'spoof-suspected' };
  if (liveness !== null && liveness < s.minLiveness) return { ...scores, passed: false, reason: 'not-live' };
  return { ...scores, passed: true, reason: null };
}

/** In-exam check: is the registered person (one of the faces) still in front of the camera? */
export function judgeCheck(a: FaceAnalysis, registered: readonly number[], s: FaceSettings, similarity: (a: readonly number[], b: readonly number[]) => number): { outcome: 'match' | 'mismatch' | 'no-face'; similarity: number | null; faces: number } {
  const faces = countedFaces(a, s).filter((f) => f.descriptor.length);
  if (faces.length === 0) return { outcome: 'no-face', similarity: null, faces: 0 };
  const sim = Math.max(...faces.map((f) => similarity(f.descriptor, registered)));
  return { outcome: sim >= s.threshold ? 'match' : 'mismatch', similarity: sim, faces: faces.length };
}
