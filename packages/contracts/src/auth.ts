import { z } from 'zod';
import { Role, Id } from './common.ts';

export const StaffLoginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) });
export const CandidateLoginBody = z.object({
  idNumber: z.string().trim().min(1).max(32),
  ticket: z.string().trim().min(1).max(32),
  /** Identifies this browser tab's client, so a reload of the same browser is not a "second login". */
  clientId: z.string().min(8).max(64),
});
export const Me = z.object({
  role: Role,
  userId: Id.nullable(),
  username: z.string().nullable(),
  displayName: z.string(),
  candidateId: Id.nullable(),
  attemptId: Id.nullable(),
  sessionId: Id.nullable(),
});
export type Me = z.infer<typeof Me>;

/**
 * GET /api/public/schedule (anonymous): when candidate login opens for the sessions still to come, so the login
 * page can say when to come back without the login answer revealing whether an ID/ticket pair exists (issue #13).
 * Times and the exam's name only — nothing about candidates.
 */
export const PublicScheduleItem = z.object({ examName: z.string(), loginOpensAt: z.number().int(), startsAt: z.number().int() });
export const PublicSchedule = z.object({ now: z.number().int(), sessions: z.array(PublicScheduleItem) });
export type PublicSchedule = z.infer<typeof PublicSchedule>;
