import { z } from 'zod';
import { DocumentKind, EpochMs, Id, SessionKind, StaffRole } from './common.ts';

export const Exam = z.object({ id: Id, name: z.string(), description: z.string(), createdAt: EpochMs });
export const ExamInput = z.object({ name: z.string().trim().min(1).max(200), description: z.string().max(4000).default('') });

export const EntryCutoffSchema = z.discriminatedUnion('mode', [z.object({ mode: z.literal('at-start') }), z.object({ mode: z.literal('after-start'), minutes: z.number().int().min(0).max(600) })]);

export const SessionInput = z.object({
  name: z.string().trim().min(1).max(200),
  kind: SessionKind.default('real'),
  startsAt: EpochMs,
  durationSec: z
    .number()
    .int()
    .min(10)
    .max(24 * 3600),
  loginOpensAt: EpochMs.optional(), // default: start − 60 min
  entryOpensAt: EpochMs.optional(), // default: start − 15 min (never before login opens)
  waitingCutoffAt: EpochMs.nullable().optional(),
  entryCutoff: EntryCutoffSchema.default({ mode: 'at-start' }),
  faceRequired: z.boolean().default(false),
  proofRequired: z.boolean().default(false),
  /** mock-self (自助试测): the window opens at startsAt and closes here; durationSec is the practice duration. */
  windowClosesAt: EpochMs.nullable().optional(),
  /** mock-self: seconds from 【进入考试】 to the practice question. */
  practiceLeadSec: z.number().int().min(5).max(3600).default(60),
});
export type SessionInput = z.input<typeof SessionInput>;
export const Session = z.object({
  id: Id,
  examId: Id,
  name: z.string(),
  kind: SessionKind,
  loginOpensAt: EpochMs,
  entryOpensAt: EpochMs,
  waitingCutoffAt: EpochMs.nullable(),
  startsAt: EpochMs,
  durationSec: z.number().int(),
  entryCutoff: EntryCutoffSchema,
  faceRequired: z.boolean(),
  proofRequired: z.boolean(),
  windowClosesAt: EpochMs.nullable().optional(),
  practiceLeadSec: z.number().int().optional(),
  candidateCount: z.number().int().optional(),
});
export type Session = z.infer<typeof Session>;

export const Room = z.object({ id: Id, sessionId: Id, name: z.string(), proctorIds: z.array(Id) });
export const RoomInput = z.object({ name: z.string().trim().min(1).max(100), proctorIds: z.array(Id).default([]) });

export const Panel = z.object({ id: Id, sessionId: Id, name: z.string(), examinerIds: z.array(Id) });
export const PanelInput = z.object({ name: z.string().trim().min(1).max(100), examinerIds: z.array(Id).default([]) });

export const DocumentSchema = z.object({ id: Id, sessionId: Id, kind: DocumentKind, title: z.string(), body: z.string(), position: z.number().int() });
export const DocumentInput = z.object({
  kind: DocumentKind,
  title: z.string().trim().min(1).max(200),
  body: z.string().min(1).max(100_000),
  position: z.number().int().default(0),
});

/** Before the session starts the body is sealed (null) for everybody, admins included: nobody can read it early. */
// Before the session starts, title and body are both sealed (null) for everybody, administrators included (issue #13).
export const Question = z.object({ id: Id, sessionId: Id, title: z.string().nullable(), body: z.string().nullable(), sealed: z.boolean(), position: z.number().int() });
export const QuestionInput = z.object({ title: z.string().trim().min(1).max(200), body: z.string().min(1).max(100_000), position: z.number().int().default(0) });

export const Candidate = z.object({
  id: Id,
  sessionId: Id,
  roomId: Id.nullable(),
  panelId: Id.nullable(),
  name: z.string(),
  idNumber: z.string(),
  ticket: z.string(),
  anonymousNumber: z.string(),
  hasPhoto: z.boolean(),
  /** Accommodation: seconds added to this candidate's answering time. */
  extraTimeSec: z.number().int().optional(),
});
export const CandidateInput = z.object({
  name: z.string().trim().min(1).max(100),
  idNumber: z.string().trim().min(6).max(32),
  ticket: z.string().trim().min(1).max(32),
  roomId: Id.nullable().default(null),
  panelId: Id.nullable().default(null),
});

export const ImportRowError = z.object({ row: z.number().int(), column: z.string(), reason: z.string() });
export type ImportRowError = z.infer<typeof ImportRowError>;
export const ImportResult = z.object({ imported: z.number().int(), errors: z.array(ImportRowError) });

export const StaffUser = z.object({ id: Id, username: z.string(), displayName: z.string(), role: StaffRole, disabled: z.boolean() });
export const StaffUserInput = z.object({
  username: z
    .string()
    .trim()
    .min(2)
    .max(64)
    .regex(/^[A-Za-z0-9._-]+$/),
  displayName: z.string().trim().min(1).max(100),
  role: StaffRole,
  password: z.string().min(8).max(200),
});
export const StaffUserPatch = z.object({
  displayName: z.string().trim().min(1).max(100).optional(),
  password: z.string().min(8).max(200).optional(),
  disabled: z.boolean().optional(),
});

export const AuditEntry = z.object({ seq: z.number().int(), at: EpochMs, actor: z.string(), action: z.string(), target: z.string(), data: z.unknown(), hash: z.string() });
export const AuditVerifyResult = z.object({ ok: z.boolean(), checked: z.number().int(), firstBrokenSeq: z.number().int().nullable() });

/**
 * The live session dashboard's funnel (issue #17 item 5). Every candidate stands at exactly one step — the furthest
 * one reached — so the counts add up to the session's candidates. 佐证已上传 / 佐证逾期 are the two ends of the proof
 * camera; steps that do not apply to a session (face or proof camera off) are left out of `stages`.
 */
export const FunnelStage = z.enum(['not-logged-in', 'logged-in', 'face-passed', 'proof-bound', 'entered', 'waiting', 'answering', 'ended', 'uploaded', 'proof-uploaded', 'proof-overdue']);
export type FunnelStage = z.infer<typeof FunnelStage>;
const Count = z.number().int().nonnegative();
export const Dashboard = z.object({
  sessionId: Id,
  at: EpochMs,
  candidates: Count,
  /** The steps of this session, in funnel order. */
  stages: z.array(FunnelStage),
  /** Candidates standing at each step now (0 for a step left out). */
  counts: z.record(FunnelStage, Count),
  /** The funnel over time, rebuilt from the attempts' timestamps: counts in the order of `stages`. */
  series: z.array(z.object({ at: EpochMs, counts: z.array(Count) })),
  /** Upload of the whole session: bytes received, recordings verified (upload done) of those expected. */
  upload: z.object({ bytes: Count, verified: Count, expected: Count }),
});
export type Dashboard = z.infer<typeof Dashboard>;
export const DashboardStageQuery = z.object({ stage: FunnelStage });
export const DashboardCandidate = z.object({ candidateId: Id, attemptId: Id.nullable(), name: z.string(), ticket: z.string(), roomId: Id.nullable(), since: EpochMs.nullable() });
export const DashboardCandidates = z.object({ stage: FunnelStage, items: z.array(DashboardCandidate) });
