import { z } from 'zod';

export const Id = z.string().min(1).max(64);
export const IdParams = z.object({ id: Id });
export const Ok = z.object({ ok: z.literal(true) });
/** `phone` is a candidate's bound proof camera: it may only record and upload for that one attempt. */
export const Role = z.enum(['admin', 'proctor', 'examiner', 'support', 'candidate', 'phone']);
export type Role = z.infer<typeof Role>;
export const StaffRole = z.enum(['admin', 'proctor', 'examiner', 'support']);
export type StaffRole = z.infer<typeof StaffRole>;
export const SessionKind = z.enum(['real', 'mock-self', 'mock-central']);
export type SessionKind = z.infer<typeof SessionKind>;
export const DocumentKind = z.enum(['process', 'commitment', 'rules']);
export type DocumentKind = z.infer<typeof DocumentKind>;
/** Epoch milliseconds: one unit of time everywhere, so the server clock is the only clock. */
export const EpochMs = z.number().int().nonnegative();
