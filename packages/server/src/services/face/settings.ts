// Face login settings and the dependencies every face service takes. Defaults were chosen from the scores
// measured on the test fixtures (see bench/face/README.md): same person 0.66–0.92, different people ≤ 0.51.
import { z } from 'zod';
import type { BlobStore } from '../../adapters/blob/port.ts';
import type { FaceEngine } from '../../adapters/face/port.ts';

export const FaceSettings = z.object({
  /** Similarity (Human's 0..1 scale) at or above which a live face is the registered person. */
  threshold: z.number().min(0).max(1).default(0.6),
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
}
