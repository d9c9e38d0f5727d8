// The in-exam monitor's analysis (issue #19): one camera frame → one MonitorSample. Pure over Human's result and a
// small grayscale copy of the frame, so the Web Worker (worker.ts) and the accuracy benchmark (bench/monitor, in
// Node over the same Human models) run exactly this code.
//
// How each score is derived:
// - faces: Human's face detector (blazeface) above its own minConfidence, then the mesh; boxes smaller than
//   MIN_FACE_SHARE of the frame height are dropped (a face on a poster across the room is not a second person).
// - match: cosine similarity of the largest face's descriptor (faceres, 1024 values) to the reference; null
//   without a face, without a reference, or when the reference comes from another model (length differs).
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
import type { MonitorSample } from '@invigil/contracts';

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

/** The face scores of one frame: count, and match/pose/occlusion of the largest face (`faceGray`: its box, FACE_GRAY²). */
export function faceScores(faces: readonly FaceLike[], frameHeight: number, reference: readonly number[] | null, faceGray: Uint8Array | null = null) {
  const { real, main } = mainFace(faces, frameHeight);
  if (!main) return { faces: 0, match: null, yaw: null, pitch: null, occlusion: null };
  const m = reference && main.embedding ? cosine(main.embedding, reference) : null;
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
 * The reference descriptor when the server has none (no face login): the mean of the first REF_FRAMES frames that
 * show exactly one clear, frontal face. Returns null until it has them.
 */
export class ReferenceBuilder {
  static readonly REF_FRAMES = 3;
  private acc: number[][] = [];
  constructor(private ref: number[] | null) {}
  get reference(): number[] | null {
    return this.ref;
  }
  offer(faces: readonly FaceLike[], frameHeight: number): void {
    const real = faces.filter((f) => f.box[3] >= MIN_FACE_SHARE * frameHeight);
    const f = real[0];
    // A reference of another model (the server switched embedding) is useless here: rebuild it from the camera.
    if (this.ref && f?.embedding && f.embedding.length !== this.ref.length) this.ref = null;
    if (this.ref || real.length !== 1 || !f?.embedding?.length) return;
    const yaw = deg(f.rotation?.angle.yaw);
    if (f.score < 0.7 || (yaw !== null && Math.abs(yaw) > 20)) return;
    this.acc.push(f.embedding);
    if (this.acc.length >= ReferenceBuilder.REF_FRAMES) {
      const n = this.acc[0]!.length;
      this.ref = Array.from({ length: n }, (_, i) => this.acc.reduce((s, e) => s + e[i]!, 0) / this.acc.length);
      this.acc = [];
    }
  }
}

function round(n: number, d: number): number {
  const k = 10 ** d;
  return Math.round(n * k) / k;
}
