import { z } from 'zod';
import { DocumentKind, EpochMs, Id } from './common.ts';

export const AttemptStatus = z.enum(['not-started', 'logged-in', 'entered', 'waiting', 'answering', 'ended']);
export type AttemptStatus = z.infer<typeof AttemptStatus>;

export const TimelineView = z.object({
  now: EpochMs,
  phase: z.enum(['not-open', 'login-open', 'entry-open', 'in-progress', 'ended']),
  loginOpensAt: EpochMs,
  entryOpensAt: EpochMs,
  entryClosesAt: EpochMs,
  startsAt: EpochMs,
  endsAt: EpochMs,
  canEnter: z.boolean(),
  questionReleased: z.boolean(),
});

export const AttemptState = z.object({
  attemptId: Id,
  status: AttemptStatus,
  candidate: z.object({ name: z.string(), ticket: z.string(), idNumberMasked: z.string() }),
  session: z.object({ id: Id, name: z.string(), examName: z.string(), kind: z.string(), faceRequired: z.boolean(), proofRequired: z.boolean() }),
  timeline: TimelineView,
  documents: z.array(z.object({ id: Id, kind: DocumentKind, title: z.string(), read: z.boolean() })),
  allDocumentsRead: z.boolean(),
  endedAt: EpochMs.nullable(),
  endReason: z.string().nullable(),
});
export type AttemptState = z.infer<typeof AttemptState>;

export const DocumentView = z.object({ id: Id, kind: DocumentKind, title: z.string(), body: z.string(), read: z.boolean() });
export const QuestionView = z.object({ questions: z.array(z.object({ id: Id, title: z.string(), body: z.string() })), endsAt: EpochMs });

export const DeviceCheck = z.object({
  camera: z.enum(['ok', 'denied', 'not-found', 'in-use', 'error']),
  microphone: z.enum(['ok', 'denied', 'not-found', 'in-use', 'error']),
  speaker: z.enum(['ok', 'unconfirmed']),
  browser: z.object({ ok: z.boolean(), userAgent: z.string().max(400) }),
  singleMonitor: z.boolean(),
  storageFreeMb: z.number().nullable(),
  uploadKbps: z.number().nullable(),
});
export type DeviceCheck = z.infer<typeof DeviceCheck>;

export const EnterBody = z.object({ singleMonitor: z.boolean(), displaySurface: z.string().max(32) });
