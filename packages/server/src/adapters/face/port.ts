// The face engine port: what the face services need from a face model, nothing more.
// The Human adapter (human.ts) runs the model in worker threads; tests may use a scripted engine.

/** One face found in an image. Coordinates are in the pixels of the image as uploaded. */
export interface FaceObservation {
  /** Detector confidence 0..1. */
  score: number;
  /** [x, y, width, height] */
  box: [number, number, number, number];
  /** Identity embedding; compare two with `similarity`. Empty when the embedding model did not run. */
  descriptor: number[];
  /** Anti-spoofing model: 1 = a real face, 0 = a photo/screen. Null when the model did not run. */
  antispoof: number | null;
  /** Liveness model: 1 = live, 0 = not. Null when the model did not run. */
  live: number | null;
  /** Head pose in radians (null when the mesh did not run). */
  yaw: number | null;
  pitch: number | null;
}

export interface FaceAnalysis {
  width: number;
  height: number;
  faces: FaceObservation[];
  /** Time spent inside the engine (decode + inference), excluding the wait in its queue. */
  inferenceMs: number;
}

export interface FaceEngineInfo {
  backend: string;
  workers: number;
  /** Niceness the engine's threads run at (below the server's, priority.ts); null when unknown or unchanged. */
  nice?: number | null;
}

export interface FaceEngine {
  /** Rejects with FaceImageUnreadableError when the bytes are not a JPEG/PNG/WebP image. */
  analyze(image: Buffer): Promise<FaceAnalysis>;
  similarity(a: readonly number[], b: readonly number[]): number;
  info(): FaceEngineInfo;
  close(): Promise<void>;
}

export class FaceImageUnreadableError extends Error {}

/**
 * The similarity the face decisions use: cosine of the two faceres descriptors, 3 decimals. Chosen by
 * bench/face (run.ts --accuracy): on every labelled face in our npm packages, at zero false accepts it refuses
 * 2 of 18 other photos of the registered man, where Human's own similarity (below) refuses 8 of 18 — Human's
 * euclidean mapping squeezes the same-person and different-people scores together for this model.
 */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || a.length !== b.length) return 0;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  if (aa === 0 || bb === 0) return 0;
  return Math.round((ab / Math.sqrt(aa * bb)) * 1000) / 1000 + 0;
}

/**
 * Human's normalized similarity (src/face/match.ts: euclidean distance, multiplier 25, mapped from 0.2..0.8
 * to 0..1, rounded to 2 decimals), as Human's demos print it. Kept for comparison in the bench; decisions use
 * cosineSimilarity.
 */
export function humanSimilarity(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || a.length !== b.length) return 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    sum += d * d;
  }
  const dist = Math.round(100 * 25 * sum) / 100;
  if (dist === 0) return 1;
  const norm = (1 - Math.sqrt(dist) / 100 - 0.2) / (0.8 - 0.2);
  return Math.round(100 * Math.max(Math.min(norm, 1), 0)) / 100;
}
