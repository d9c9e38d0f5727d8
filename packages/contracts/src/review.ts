// Examiner review and scoring (issue #16): rubric, scores, aggregation, results, 违纪 decisions.
// Examiner-facing shapes carry the anonymous number (抽签号) only — never a name, ID number, ticket or photo.
import { z } from 'zod';
import { EpochMs, Id } from './common.ts';
import { CompletenessReport, Stream } from './recordings.ts';

/** How the examiners' totals become one result: mean; 去掉一个最高分和一个最低分后取平均 (needs ≥ 3); median. */
export const AggregationRule = z.enum(['mean', 'trimmed', 'median']);
export type AggregationRule = z.infer<typeof AggregationRule>;

const Points = z.number().finite().min(0).max(10_000);

export const Criterion = z.object({ id: Id, name: z.string(), maxPoints: z.number(), step: z.number(), position: z.number().int() });
export type Criterion = z.infer<typeof Criterion>;
export const CriterionInput = z.object({
  id: Id.optional(),
  name: z.string().trim().min(1).max(100),
  maxPoints: Points.positive(),
  step: z.number().finite().positive().max(100),
});
export const Rubric = z.object({
  sessionId: Id,
  criteria: z.array(Criterion),
  aggregation: AggregationRule,
  /** An examiner whose total differs from the others' mean by more than this many points is flagged. */
  deviationThreshold: z.number(),
  publishedAt: EpochMs.nullable(),
});
export type Rubric = z.infer<typeof Rubric>;
export const RubricInput = z.object({
  criteria: z.array(CriterionInput).min(1).max(30),
  aggregation: AggregationRule,
  deviationThreshold: Points,
});
export type RubricInput = z.infer<typeof RubricInput>;

/** An examiner's marks for one candidate: criterion id → points. A draft may leave criteria out. */
export const ScoreBody = z.object({
  marks: z.record(Id, z.number().finite()).refine((m) => Object.keys(m).length <= 30, 'too many criteria'),
  comment: z.string().max(2000).default(''),
});
export type ScoreBody = z.infer<typeof ScoreBody>;
export const ScoreState = z.enum(['todo', 'draft', 'submitted']);
export type ScoreState = z.infer<typeof ScoreState>;
export const MyScore = z.object({
  state: ScoreState,
  marks: z.record(z.string(), z.number()),
  comment: z.string(),
  total: z.number().nullable(),
  updatedAt: EpochMs.nullable(),
  submittedAt: EpochMs.nullable(),
});
export type MyScore = z.infer<typeof MyScore>;

export const ReviewPanel = z.object({
  panelId: Id,
  panelName: z.string(),
  sessionId: Id,
  sessionName: z.string(),
  examName: z.string(),
  candidates: z.number().int(),
  submitted: z.number().int(),
  drafts: z.number().int(),
  published: z.boolean(),
});
export type ReviewPanel = z.infer<typeof ReviewPanel>;
/** `priority`: the attempt's review priority 0–100 (issue #19; which to look at first); the list is sorted by it. */
export const ReviewItem = z.object({ anonymousNumber: z.string(), state: ScoreState, total: z.number().nullable(), updatedAt: EpochMs.nullable(), ready: z.boolean(), priority: z.number().int() });
export type ReviewItem = z.infer<typeof ReviewItem>;
export const ReviewPanelDetail = z.object({ panel: ReviewPanel, rubric: Rubric.nullable(), items: z.array(ReviewItem) });
export type ReviewPanelDetail = z.infer<typeof ReviewPanelDetail>;

/** One continuous piece of an assembled recording: where it sits in the file and when it was recorded. */
export const PlaybackRun = z.object({ startAt: EpochMs, offsetSec: z.number(), seconds: z.number() });
export const PlaybackStream = z.object({
  stream: Stream,
  available: z.boolean(),
  url: z.string().nullable(),
  durationSec: z.number(),
  runs: z.array(PlaybackRun),
  report: CompletenessReport.nullable(),
});
export type PlaybackStream = z.infer<typeof PlaybackStream>;
export const TimelineEventKind = z.enum(['flag', 'signal', 'proof-gap', 'identity', 'warning', 'help', 'recording-gap']);
export type TimelineEventKind = z.infer<typeof TimelineEventKind>;
export const TimelineEvent = z.object({
  id: z.string(),
  kind: TimelineEventKind,
  type: z.string(),
  at: EpochMs,
  untilAt: EpochMs.nullable(),
  severity: z.string(),
  text: z.string(),
  evidenceUrl: z.string().nullable(),
});
export type TimelineEvent = z.infer<typeof TimelineEvent>;
export const ReviewAttempt = z.object({
  panelId: Id,
  anonymousNumber: z.string(),
  sessionName: z.string(),
  startsAt: EpochMs,
  endsAt: EpochMs,
  /** The question as the candidate saw it (released at start). */
  questions: z.array(z.object({ title: z.string(), body: z.string() })),
  streams: z.array(PlaybackStream),
  events: z.array(TimelineEvent),
  rubric: Rubric.nullable(),
  myScore: MyScore,
  published: z.boolean(),
});
export type ReviewAttempt = z.infer<typeof ReviewAttempt>;
export const ReviewParams = z.object({ panelId: Id, anon: z.string().min(1).max(32) });
export const ReviewStreamParams = ReviewParams.extend({ stream: Stream });
export const ReviewEvidenceParams = ReviewParams.extend({ eventId: Id });

/** 违纪 decision on an attempt: the seeds' rules 第一条–第六条 cancel the score. */
export const ConductDecision = z.enum(['none', 'warning', 'cancel']);
export type ConductDecision = z.infer<typeof ConductDecision>;
export const CONDUCT_RULES = ['第一条', '第二条', '第三条', '第四条', '第五条', '第六条'] as const;
export const ConductRule = z.enum(CONDUCT_RULES);
export const ConductBody = z
  .object({ decision: ConductDecision, rule: ConductRule.nullable().default(null), reason: z.string().trim().max(1000).default('') })
  .refine((b) => b.decision === 'none' || (b.rule !== null && b.reason.length >= 2), { message: 'a warning or cancellation needs the rule and a reason', path: ['reason'] });
export type ConductBody = z.infer<typeof ConductBody>;
export const UnlockBody = z.object({ reason: z.string().trim().min(2).max(1000) });

export const ExaminerResult = z.object({
  scoreId: Id.nullable(),
  examinerId: Id,
  examinerName: z.string(),
  state: ScoreState,
  total: z.number().nullable(),
  marks: z.record(z.string(), z.number()),
  comment: z.string(),
  outlier: z.boolean(),
  submittedAt: EpochMs.nullable(),
});
export const ResultRow = z.object({
  attemptId: Id.nullable(),
  candidateId: Id,
  anonymousNumber: z.string(),
  candidateName: z.string(),
  idNumber: z.string(),
  ticket: z.string(),
  panelId: Id.nullable(),
  panelName: z.string().nullable(),
  examiners: z.array(ExaminerResult),
  aggregate: z.number().nullable(),
  final: z.boolean(),
  spread: z.number().nullable(),
  rank: z.number().int().nullable(),
  conduct: z.object({ decision: ConductDecision, rule: z.string().nullable(), reason: z.string(), at: EpochMs.nullable() }),
  flagsByType: z.record(z.string(), z.number().int()),
  /** Review priority 0–100 from the attempt's events (issue #19). */
  reviewPriority: z.number().int(),
  uploads: z.array(z.object({ stream: Stream, status: z.string(), seconds: z.number(), gapSeconds: z.number() })),
  proofDeadline: z.enum(['n/a', 'met', 'pending', 'overdue']),
});
export type ResultRow = z.infer<typeof ResultRow>;
export const SessionResults = z.object({ sessionId: Id, rubric: Rubric.nullable(), publishedAt: EpochMs.nullable(), rows: z.array(ResultRow) });
export type SessionResults = z.infer<typeof SessionResults>;
