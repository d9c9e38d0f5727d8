// The in-exam monitor's analysis (issue #19): one camera frame → one MonitorSample. Pure over Human's result and a
// small grayscale copy of the frame, so the Web Worker (worker.ts) and the accuracy benchmark (bench/monitor, in
// Node over the same Human models) run exactly this code.
//
// How each score is derived:
// - faces: Human's face detector (blazeface) above its own minConfidence, then the mesh; boxes smaller than
//   MIN_FACE_SHARE of the frame height are dropped (a face on a poster across the room is not a second person).
// - match: the best cosine similarity of the faces' descriptors (faceres, 1024 values) to the reference — is the
//   candidate one of the faces in view? (the server's in-exam check asks the same, rules.ts judgeCheck); null
//   without a face, without a reference, or when the reference comes from another model (length differs). With
//   two faces and neither the candidate (a stand-in with a helper) it is low; the candidate with a helper keeps it
//   high, so several-faces alone is raised.
// - yaw/pitch: Human's head pose of the largest face from the mesh (radians → degrees).
// - occlusion: from the pixels of the largest face's box (a 32×32 grayscale copy): a hand or a mask over nose,
//   mouth and chin is smooth where a face has edges (nostrils, lips, chin line), so the lower half's mean
//   gradient falls against the upper half's (eyes, brows). ratio = lower / upper gradient energy; occlusion =
//   (OPEN − ratio) / (OPEN − SHUT) clamped to 0–1. The detector and the mesh do not help: both still find the face
//   with full confidence under a hand (measured: blazeface 0.77–0.95, mesh 0.93–1.0). Limits: a textured mask
//   (print, pattern) looks open; a beard-less face in flat light has a weaker lower half. bench/monitor measures it.
// - luma/contrast: mean and standard deviation of a 64×48 grayscale copy; a lens covered by a finger or tape is
//   dark or flat (low standard deviation) whatever the room.
// - motion: mean absolute difference to the previous analysed grayscale copy (0 = a frozen picture).
// - phone: the best 'cell phone' score of Human's object detector (centernet, COCO classes) when it ran, else null.
import type { MonitorRules, MonitorSample } from '@invigil/contracts';

export const GRAY_W = 64;
export const GRAY_H = 48;

/** A face as Human returns it (only the fields used here). */
export interface FaceLike {
  box: [number, number, number, number];
  score: number;
  boxScore?: number;
  faceScore?: number;
  rotation?: { angle: { yaw: number; pitch: number; roll: number } } | null;
  embedding?: number[];
}
export interface ObjectLike {
  label: string;
  score: number;
}

/** A face narrower than this share of the frame height is background, not a person at the desk. */
export const MIN_FACE_SHARE = 0.06;
/** Side of the grayscale face copy for the occlusion measure. */
export const FACE_GRAY = 32;
/**
 * Lower/upper gradient ratio of an open face, and of one covered from the nose down. Measured on the bench's faces
 * (bench/monitor/probe.ts): open 1.0–1.5, a hand from the nose down 0.08–0.43.
 */
export const OPEN_RATIO = 0.9;
export const SHUT_RATIO = 0.3;

/** RGBA pixels (ImageData) → 8-bit luma, same size. */
export function toGray(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let i = 0, j = 0; j < out.length; i += 4, j++) out[j] = (77 * rgba[i]! + 150 * rgba[i + 1]! + 29 * rgba[i + 2]!) >> 8;
  return out;
}

/** Mean, standard deviation and mean absolute difference to the previous copy (255 without one: unknown is never "frozen"). */
export function grayStats(gray: Uint8Array, prev: Uint8Array | null): { luma: number; contrast: number; motion: number } {
  const n = gray.length || 1;
  let sum = 0;
  let sq = 0;
  for (const v of gray) {
    sum += v;
    sq += v * v;
  }
  const luma = sum / n;
  const contrast = Math.sqrt(Math.max(0, sq / n - luma * luma));
  let motion = 255;
  if (prev && prev.length === gray.length) {
    let d = 0;
    for (let i = 0; i < gray.length; i++) d += Math.abs(gray[i]! - prev[i]!);
    motion = d / n;
  }
  return { luma: round(luma, 1), contrast: round(contrast, 1), motion: round(motion, 2) };
}

export function cosine(a: readonly number[], b: readonly number[]): number | null {
  if (a.length === 0 || a.length !== b.length) return null;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na && nb ? Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb))) : null;
}

const deg = (rad: number | undefined) => (typeof rad === 'number' && Number.isFinite(rad) ? Math.max(-180, Math.min(180, round((rad * 180) / Math.PI, 1))) : null);

/** The faces that count (not background specks), and the largest of them: the one scored. */
export function mainFace(faces: readonly FaceLike[], frameHeight: number): { real: FaceLike[]; main: FaceLike | null } {
  const real = faces.filter((f) => f.box[3] >= MIN_FACE_SHARE * frameHeight);
  return { real, main: real.length ? real.reduce((a, b) => (b.box[2] * b.box[3] > a.box[2] * a.box[3] ? b : a)) : null };
}

/** Mean absolute gradient (horizontal + vertical) of rows [r0, r1) of a square grayscale copy. */
function gradient(g: Uint8Array, side: number, r0: number, r1: number): number {
  let sum = 0;
  let n = 0;
  for (let y = r0; y < r1 - 1; y++)
    for (let x = 0; x < side - 1; x++) {
      const i = y * side + x;
      sum += Math.abs(g[i + 1]! - g[i]!) + Math.abs(g[i + side]! - g[i]!);
      n++;
    }
  return n ? sum / n : 0;
}

/** Lower-half / upper-half gradient energy of a FACE_GRAY² copy of the face box (see the header). */
export function lowerFaceRatio(faceGray: Uint8Array): number {
  const side = Math.round(Math.sqrt(faceGray.length));
  // The box's upper half minus its top eighth (forehead/hair), against its lower half minus the bottom eighth.
  const upper = gradient(faceGray, side, Math.round(side / 8), Math.round(side / 2));
  const lower = gradient(faceGray, side, Math.round(side / 2), Math.round((side * 7) / 8));
  return upper > 0 ? lower / upper : 1;
}

export function occlusionOf(faceGray: Uint8Array | null): number | null {
  if (!faceGray || faceGray.length === 0) return null;
  return round(Math.max(0, Math.min(1, (OPEN_RATIO - lowerFaceRatio(faceGray)) / (OPEN_RATIO - SHUT_RATIO))), 3);
}

/** The face scores of one frame: count, the best match among the faces, pose/occlusion of the largest face (`faceGray`: its box, FACE_GRAY²). */
export function faceScores(faces: readonly FaceLike[], frameHeight: number, reference: readonly number[] | null, faceGray: Uint8Array | null = null) {
  const { real, main } = mainFace(faces, frameHeight);
  if (!main) return { faces: 0, match: null, yaw: null, pitch: null, occlusion: null };
  const matches = reference ? real.flatMap((f) => (f.embedding?.length ? [cosine(f.embedding, reference)] : [])).filter((m): m is number => m !== null) : [];
  const m = matches.length ? Math.max(...matches) : null;
  const occlusion = occlusionOf(faceGray);
  return {
    faces: Math.min(20, real.length),
    match: m === null ? null : round(m, 3),
    yaw: deg(main.rotation?.angle.yaw),
    pitch: deg(main.rotation?.angle.pitch),
    occlusion,
  };
}

/** Best 'cell phone' score among detected objects; null when no object detector ran. */
export function phoneScore(objects: readonly ObjectLike[] | null): number | null {
  if (!objects) return null;
  return round(
    objects.reduce((best, o) => (o.label === 'cell phone' && o.score > best ? o.score : best), 0),
    3,
  );
}

export interface FrameInput {
  t: number;
  faces: readonly FaceLike[];
  frameHeight: number;
  objects: readonly ObjectLike[] | null;
  gray: Uint8Array;
  prevGray: Uint8Array | null;
  reference: readonly number[] | null;
  /** FACE_GRAY² grayscale copy of the largest face's box (mainFace), or null. */
  faceGray: Uint8Array | null;
}

export function sampleOf(f: FrameInput): MonitorSample {
  return { t: Math.round(f.t), ...faceScores(f.faces, f.frameHeight, f.reference, f.faceGray), ...grayStats(f.gray, f.prevGray), phone: phoneScore(f.objects) };
}

/**
 * The face identity drift is measured against: the candidate's own face, the mean of the first REF_FRAMES frames of
 * the exam that show exactly one clear, frontal face (same camera, light and day). Face login has just matched the
 * candidate to the registration photo, with liveness; comparing every frame of the exam to that photo instead raised
 * 15 false events per clean 25 minutes on faces the thresholds were not chosen on, and let through 5 of 13 strangers,
 * because another photo of the same man can score as low as a stranger (bench/monitor, 7 Dec).
 *
 * The registered descriptor (when the server has one) is a coarse check of those first frames: if they do not
 * resemble it even at REGISTERED_FLOOR, someone else sat down between the login and the exam, and the registration
 * stays the reference, so identity-mismatch is raised against it. `registered` mode (the benchmark's old way) uses the
 * registration from the first frame. A descriptor of another model (the server switched embedding) is dropped.
 */
export class ReferenceBuilder {
  static readonly REF_FRAMES = 3;
  /**
   * Single-face frames to wait for REF_FRAMES clear, frontal ones (score ≥ 0.7, yaw ≤ 20°); after that the last
   * REF_FRAMES single-face frames are taken as they are. Without it a candidate whose camera never sees him quite
   * frontally had no reference all exam, and a stranger in his place went unflagged (bench/monitor holdout, 7 Dec).
   */
  static readonly PATIENCE = 10;
  /** The registration photo's floor for the exam's first frames: below most of the candidate's own photos against it (bench/monitor calibrate), above most strangers. */
  static readonly REGISTERED_FLOOR = 0.5;
  private clear: number[][] = [];
  private recent: number[][] = [];
  private seen = 0;
  private ref: number[] | null = null;
  /** Where the reference came from, once there is one: the exam's first frames, or the registration photo. */
  source: 'session' | 'registered' | null = null;
  constructor(
    private registered: number[] | null,
    mode: 'session' | 'registered' = 'session',
  ) {
    if (mode === 'registered' && registered) [this.ref, this.source] = [registered, 'registered'];
  }
  get reference(): number[] | null {
    return this.ref;
  }
  offer(faces: readonly FaceLike[], frameHeight: number): void {
    const real = faces.filter((f) => f.box[3] >= MIN_FACE_SHARE * frameHeight);
    const f = real[0];
    const n = f?.embedding?.length;
    if (n && this.registered && this.registered.length !== n) this.registered = null;
    if (n && this.ref && this.ref.length !== n) [this.ref, this.source] = [null, null];
    if (this.ref || real.length !== 1 || !f?.embedding?.length) return;
    this.seen++;
    this.recent = [...this.recent, f.embedding].slice(-ReferenceBuilder.REF_FRAMES);
    const yaw = deg(f.rotation?.angle.yaw);
    if (f.score >= 0.7 && (yaw === null || Math.abs(yaw) <= 20)) this.clear.push(f.embedding);
    const from = this.clear.length >= ReferenceBuilder.REF_FRAMES ? this.clear : this.seen >= ReferenceBuilder.PATIENCE ? this.recent : null;
    if (!from) return;
    const own = Array.from({ length: n! }, (_, i) => from.reduce((s, e) => s + e[i]!, 0) / from.length);
    const resembles = this.registered ? (cosine(own, this.registered) ?? 0) >= ReferenceBuilder.REGISTERED_FLOOR : true;
    [this.ref, this.source] = resembles ? [own, 'session'] : [this.registered, 'registered'];
    [this.clear, this.recent] = [[], []];
  }
}

function round(n: number, d: number): number {
  const k = 10 ** d;
  return Math.round(n * k) / k;
}

/**
 * Zero-mean normalised correlation of two FACE_GRAY² face copies (−1…1): the same face a second later, a little
 * moved, stays high; another person's face in the same place does not. A trigger for re-describing, not a verdict.
 */
export function faceSimilarity(a: Uint8Array, b: Uint8Array): number {
  if (a.length === 0 || a.length !== b.length) return 0;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < a.length; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= a.length;
  mb /= b.length;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]! - ma;
    const y = b[i]! - mb;
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return aa && bb ? ab / Math.sqrt(aa * bb) : 0;
}

export interface IdentityPlanOptions {
  /** Describe the face at least this often while the same single face stays (ms). */
  periodMs?: number;
  /** A face copy less similar than this (faceSimilarity) to the last described one is described at once. */
  changeBelow?: number;
  /** While the last measured match is below this, every frame is described (confirms or clears a suspected stranger). */
  confirmBelow?: number;
}

/**
 * When the costly face description (faceres, ≈ 100 ms of the worker per face at 320×240; the detector and mesh
 * together ≈ 30 ms) runs — bench/monitor/parts.ts. Identity drift needs a descriptor only when the faces may
 * have changed: the first frame after the number of faces changed, a copy of the largest face that no longer
 * looks like the last described one, every `periodMs` anyway, and every frame while the last match is low.
 * Between descriptors the sample carries the last measured match. Several faces are described too (each one):
 * a stand-in with a helper beside him showed only several-faces, never identity-mismatch (bench/monitor holdout).
 */
export class IdentityPlan {
  static readonly PERIOD_MS = 30_000;
  /**
   * bench/monitor/calibrate.ts (tune faces): the same face 1 s apart 0.82–1.0 (median 0.98), the candidate's face
   * against another person's in the same place −0.34–0.51; 0.7 is between the two.
   */
  static readonly CHANGE_BELOW = 0.7;
  readonly periodMs: number;
  readonly changeBelow: number;
  confirmBelow: number;
  private last: { t: number; count: number; gray: Uint8Array | null; match: number | null } | null = null;
  private lastCount = -1;

  constructor(o: IdentityPlanOptions = {}) {
    this.periodMs = o.periodMs ?? IdentityPlan.PERIOD_MS;
    this.changeBelow = o.changeBelow ?? IdentityPlan.CHANGE_BELOW;
    this.confirmBelow = o.confirmBelow ?? 1;
  }

  /** Before detecting the frame at `t`: describe in the first pass already? */
  fullFirst(t: number, referenceReady: boolean): boolean {
    if (this.lastCount < 1) return false; // the light pass first: nobody there needs no descriptor
    if (!referenceReady || !this.last) return true;
    if (t - this.last.t >= this.periodMs) return true;
    return this.last.match !== null && this.last.match < this.confirmBelow;
  }

  /** After a light pass that found `count` faces (the largest one's copy `gray`): describe now? */
  needsDescriptor(count: number, gray: Uint8Array | null): boolean {
    if (count < 1) return false;
    if (!this.last || this.last.count !== count || !this.last.gray || !gray) return true;
    return faceSimilarity(gray, this.last.gray) < this.changeBelow;
  }

  /** The match a light frame carries: the last measured one while the same faces stay. */
  carried(): number | null {
    return this.last?.match ?? null;
  }

  /** The frame is done: `described` when a descriptor was compared in it (its match, possibly null). */
  after(t: number, count: number, gray: Uint8Array | null, described: { match: number | null } | null) {
    if (described && count >= 1) this.last = { t, count, gray, match: described.match };
    else if (count !== this.last?.count) this.last = null;
    this.lastCount = count;
  }
}

/** Every frame is described while the last match is within this of the rule's threshold (or below it). */
export const CONFIRM_MARGIN = 0.1;
export function confirmBelow(rules: MonitorRules): number {
  const rule = rules['identity-mismatch'];
  return rule.on ? rule.threshold + CONFIRM_MARGIN : -1;
}

/** The two ways of running Human on one frame: a pass is "full" when it also describes the faces (faceres). */
export interface FramePasses {
  detect(full: boolean): Promise<{ faces: FaceLike[]; objects: ObjectLike[] | null }>;
  /** FACE_GRAY² grayscale copy of a box of this frame. */
  faceGray(box: [number, number, number, number]): Uint8Array | Promise<Uint8Array>;
}

export interface FrameAnalysis {
  sample: MonitorSample;
  faces: FaceLike[];
  faceGray: Uint8Array | null;
  /** ms of Human's light pass (detector + mesh), full pass (+ description), and the pixel work; 0 where not run. */
  parts: { light: number; full: number; pixels: number };
}

/**
 * One camera frame → one sample, with the costly description only when IdentityPlan asks for it. Shared by the
 * worker and bench/monitor so both decide the same way.
 */
export async function analyseFrame(
  p: FramePasses,
  f: { t: number; frameHeight: number; gray: Uint8Array; prevGray: Uint8Array | null; reference: ReferenceBuilder; plan: IdentityPlan; now: () => number },
): Promise<FrameAnalysis> {
  const parts = { light: 0, full: 0, pixels: 0 };
  let full = f.plan.fullFirst(f.t, f.reference.reference !== null);
  let t0 = f.now();
  let res = await p.detect(full);
  parts[full ? 'full' : 'light'] += f.now() - t0;
  const copy = async (faces: readonly FaceLike[]) => {
    const t1 = f.now();
    const { real, main } = mainFace(faces, f.frameHeight);
    const g = main ? await p.faceGray(main.box) : null;
    parts.pixels += f.now() - t1;
    return { count: real.length, gray: g };
  };
  let seen = await copy(res.faces);
  if (!full && f.plan.needsDescriptor(seen.count, seen.gray)) {
    full = true;
    t0 = f.now();
    const again = await p.detect(true);
    parts.full += f.now() - t0;
    res = { faces: again.faces, objects: res.objects };
    seen = await copy(res.faces);
  }
  if (full) f.reference.offer(res.faces, f.frameHeight);
  const sample = sampleOf({ t: f.t, faces: res.faces, frameHeight: f.frameHeight, objects: res.objects, gray: f.gray, prevGray: f.prevGray, reference: f.reference.reference, faceGray: seen.gray });
  if (!full) sample.match = seen.count >= 1 ? f.plan.carried() : null;
  f.plan.after(f.t, seen.count, seen.gray, full ? { match: sample.match } : null);
  return { sample, faces: res.faces, faceGray: seen.gray, parts };
}
