// Face login settings and the dependencies every face service takes. Defaults were chosen from the scores
// measured on the face images in our npm packages (bench/face/README.md, "Accuracy").
import { z } from 'zod';
import type { BlobStore } from '../../adapters/blob/port.ts';
import type { FaceEngine } from '../../adapters/face/port.ts';
import type { FaceVerifyResult } from '@invigil/contracts';
import type { VerifyQueue } from './verify-queue.ts';

export const FaceSettings = z.object({
  /**
   * Similarity (cosine of the faceres descriptors) at or above which a live face is the registered person.
   * 0.63: the highest different-people score measured on every labelled face in our npm packages is 0.621
   * (bench/face/README.md "Accuracy"); the registered man's other photos score 0.57–0.92.
   */
  threshold: z.number().min(0).max(1).default(0.63),
  /** Login tries per attempt before only manual verification remains. */
  triesLimit: z.number().int().min(1).max(50).default(5),
  /** Human's anti-spoof score (1 = real) below which a login is refused as a photo/screen. */
  minAntispoof: z.number().min(0).max(1).default(0.3),
  /** Human's liveness score below which a login is refused. */
  minLiveness: z.number().min(0).max(1).default(0.5),
  /** Detector score below which a detection is ignored (not counted as a face). */
  minFaceScore: z.number().min(0).max(1).default(0.6),
  /** A registration photo's face must be at least this wide, in the photo's pixels. */
  minFacePx: z.number().int().min(16).default(64),
  /**
   * Head turn (degrees of Human's yaw) the liveness challenge needs between the most frontal captured frame and
   * the most turned one. Measured: a still picture varies < 1°; the turning fixture (a ±40° cylinder turn of a
   * photo) reads 13°, a real head turned ~30° reads ≥ 15°. 8° sits between them.
   */
  minTurnDeg: z.number().min(1).max(60).default(8),
  /**
   * Similarity every captured frame of one login must have to the best-matching frame (the same person throughout
   * the turn). Measured: the same face turned 25–40° scores 0.74–0.90 against its frontal frame; different people
   * at most 0.62.
   */
  minSameFace: z.number().min(0).max(1).default(0.68),
  /** How long an issued liveness challenge may be answered. */
  challengeTtlSec: z.number().int().min(10).default(300),
  /** Consecutive failed in-exam checks (mismatch or no face) that raise one flag. */
  checkMissesToFlag: z.number().int().min(1).default(3),
  /** Live captures and descriptors are purged this many days after their session ended. */
  retentionDays: z.number().int().min(0).default(30),
});
export type FaceSettings = z.infer<typeof FaceSettings>;

export const defaultFaceSettings = (): FaceSettings => FaceSettings.parse({});

// FACE_* variables are read by config.ts with every other variable.
export { faceSettingsFromEnv } from '../../config.ts';

export interface FaceDeps {
  blobs: BlobStore;
  engine: FaceEngine;
  settings: FaceSettings;
  /** The bounded login verification queue (verify-queue.ts); without it a verification runs in its request. */
  verifyQueue?: VerifyQueue<FaceVerifyResult>;
}
