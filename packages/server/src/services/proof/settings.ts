// Proof camera settings. The seed's rules are the defaults: upload within 60 minutes of the exam's end.
import { z } from 'zod';

export const ProofSettings = z.object({
  /** How long a bind code (QR + typed) stays valid. */
  bindCodeTtlSec: z.number().int().min(30).default(600),
  /** Bind tries per IP per minute: 31^8 codes make guessing hopeless at this rate. */
  bindRateLimit: z.number().int().min(1).default(10),
  /** Silence after which the phone shows as 已断开 (disconnected) on every screen. */
  staleSec: z.number().int().min(3).default(15),
  /** Silence during the exam after which a flag is raised for staff. */
  silenceFlagSec: z.number().int().min(5).default(60),
  /** The proof video must be uploaded this long after the exam ended (seed: 60 minutes). */
  uploadDeadlineSec: z.number().int().min(1).default(3600),
  /** Minimum length of the 360° room scan. */
  roomScanMinSec: z.number().int().min(1).default(30),
  /** How often the phone reports battery, storage and that it records. */
  heartbeatSec: z.number().int().min(1).max(60).default(5),
});
export type ProofSettings = z.infer<typeof ProofSettings>;

export const defaultProofSettings = (): ProofSettings => ProofSettings.parse({});

// PROOF_* variables are read by config.ts with every other variable.
export { proofSettingsFromEnv } from '../../config.ts';
