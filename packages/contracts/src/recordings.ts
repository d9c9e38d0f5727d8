// The segment upload protocol (DESIGN.md "Recording pipeline"), shared by the browser uploader and the server.
//
//   POST /api/attempts/:attemptId/recordings            body RecordingOpenBody  → Recording (idempotent per (attempt, stream))
//   GET  /api/recordings/:recordingId                    → Recording (which segments the server holds)
//   PUT  /api/recordings/:recordingId/segments/:seq      raw body (application/octet-stream), headers below → SegmentAck
//        x-segment-sha256: hex SHA-256 of the body (422 SEGMENT_HASH_MISMATCH if wrong)
//        x-segment-run: run number (0,1,2…; a new run whenever the recorder restarts; first segment of a run has the WebM header)
//        x-segment-recorded-at: epoch ms when the chunk was produced by MediaRecorder (its `dataavailable`, i.e. the
//                               END of the chunk's media; the chunk covers [recorded-at − duration, recorded-at])
//        x-segment-duration-ms: media duration of this chunk (ms) as measured by the recorder
//        x-segment-run-started-at: (optional, first segment of a run) epoch ms of the run's first real video frame —
//                               the run's true start; a display capture sends it up to seconds after start()
//   POST /api/recordings/:recordingId/finalize           body FinalizeBody → Recording with report (409 RECORDING_INCOMPLETE lists missing seqs)
//
// Re-sending a segment with the same hash is a no-op (200, duplicate: true), even after finalize. Same seq, different
// hash → 409 SEGMENT_CONFLICT. A new seq after finalize → 409 RECORDING_FINALIZED. Server storage full → 507 STORAGE_FULL
// (keep the segment in the journal and retry later).
//
// Recording.status is about the upload: 'verified' (finalize's answer) means every segment 0..lastSeq is stored and
// was hash-verified — 上传成功, the journal may then be deleted. Assembly into one seekable file follows as a job
// (`assembly`: queued → assembling → assembled, or failed with its reason); 'complete' means the assembled file
// exists (examiners see a recording from then on). Interruptions between runs are in report.gaps; staff views
// (GET /api/sessions/:id/recordings, `invigil recordings`) call such a recording 'partial'.
//
// Staff:
//   GET  /api/sessions/:id/recordings                    → SessionRecordings (per candidate per stream)
//   GET  /api/recordings/:recordingId/file               → the assembled WebM (Range requests supported)
import { z } from 'zod';
import { EpochMs, Id } from './common.ts';

export const Stream = z.enum(['camera', 'screen', 'phone']);
export type Stream = z.infer<typeof Stream>;
export const RecordingStatus = z.enum(['uploading', 'verified', 'complete', 'partial', 'missing']);
export type RecordingStatus = z.infer<typeof RecordingStatus>;

export const RecordingOpenBody = z.object({ stream: Stream, mimeType: z.string().max(100) });

// A gap is time the file does not hold: an interruption between runs, or a run left out because ffmpeg could not
// read it ('unreadable', with ffmpeg's reason in `detail`; its segments stay stored, so it can be recovered).
export const Gap = z.object({
  afterSeq: z.number().int(),
  beforeSeq: z.number().int(),
  fromAt: EpochMs,
  toAt: EpochMs,
  seconds: z.number(),
  reason: z.enum(['interruption', 'unreadable']).optional(),
  detail: z.string().optional(),
});
// One run (one recorder start → stop or interruption): what the browser declared against what its file holds.
// A run cut short by a crash shows its shortfall here, not spread over the whole recording.
// startedAt: the run's true start (its first real frame, declared by the browser), else its first chunk's start.
// unreadable: ffmpeg's reason when the run was left out of the file.
export const RunFigures = z.object({
  run: z.number().int(),
  segments: z.number().int(),
  secondsRecorded: z.number(),
  secondsReceived: z.number(),
  startedAt: EpochMs.optional(),
  unreadable: z.string().optional(),
});
export type RunFigures = z.infer<typeof RunFigures>;

export const CompletenessReport = z.object({
  runs: z.number().int(),
  segments: z.number().int(),
  bytes: z.number().int(),
  secondsRecorded: z.number(), // sum of chunk durations the browser declared
  secondsReceived: z.number(), // duration of the assembled file (ffprobe)
  gaps: z.array(Gap), // time between runs: an interruption, never glued over silently
  gapSeconds: z.number(),
  perRun: z.array(RunFigures).optional(), // absent in reports written before it existed
  sha256: z.string(), // of the assembled file
  assembledAt: EpochMs,
});
export type CompletenessReport = z.infer<typeof CompletenessReport>;

/** The assembly job's state (DESIGN.md "Upload done ≠ assembled"); null before finalize. */
export const AssemblyState = z.enum(['queued', 'assembling', 'assembled', 'failed']);
export type AssemblyState = z.infer<typeof AssemblyState>;
export const Assembly = z.object({
  state: AssemblyState,
  attempts: z.number().int(), // attempts started; a failed attempt is retried with a growing delay
  error: z.string().nullable(), // the last failed attempt's reason (kept while retried; the final one when 'failed')
  at: EpochMs.nullable(), // when the state last changed
});
export type Assembly = z.infer<typeof Assembly>;

export const Recording = z.object({
  id: Id,
  attemptId: Id,
  stream: Stream,
  status: RecordingStatus,
  mimeType: z.string(),
  segments: z.array(z.object({ seq: z.number().int(), run: z.number().int(), sha256: z.string(), bytes: z.number().int() })),
  lastSeq: z.number().int().nullable(), // declared at finalize
  report: CompletenessReport.nullable(),
  assembly: Assembly.nullable().optional(),
});
export type Recording = z.infer<typeof Recording>;

export const SegmentParams = z.object({ recordingId: Id, seq: z.coerce.number().int().min(0).max(1_000_000) });
// No running count of received segments: counting on every PUT grew with the recording (O(n²) per exam); the
// GET on the recording lists what the server holds.
export const SegmentAck = z.object({ seq: z.number().int(), sha256: z.string(), duplicate: z.boolean() });
export type SegmentAck = z.infer<typeof SegmentAck>;
export const FinalizeBody = z.object({ lastSeq: z.number().int().min(-1) });

/** Headers of a segment PUT (names as sent on the wire, lower case). */
export const SegmentHeaders = z.looseObject({
  'x-segment-sha256': z.string().regex(/^[0-9a-fA-F]{64}$/, 'hex SHA-256 expected'),
  'x-segment-run': z.coerce.number().int().min(0).max(100_000),
  'x-segment-recorded-at': z.coerce.number().int().nonnegative(),
  'x-segment-duration-ms': z.coerce.number().int().min(0).max(3_600_000),
  'x-segment-run-started-at': z.coerce.number().int().nonnegative().optional(),
});

/** One line of the staff view: one candidate, one stream. */
export const SessionRecordingRow = z.object({
  candidateId: Id,
  candidateName: z.string(),
  ticket: z.string(),
  attemptId: Id.nullable(),
  stream: Stream,
  recordingId: Id.nullable(),
  status: RecordingStatus,
  segments: z.number().int(),
  bytes: z.number().int(),
  missingSeqs: z.array(z.number().int()), // holes among the segments received so far (0..highest seq)
  seconds: z.number(), // assembled duration once finalized, else the sum of declared chunk durations
  gaps: z.number().int(),
  gapSeconds: z.number(),
  perRun: z.array(RunFigures).optional(), // absent in reports written before it existed
  sha256: z.string().nullable(),
  assembly: Assembly.nullable().optional(),
});
export type SessionRecordingRow = z.infer<typeof SessionRecordingRow>;
export const SessionRecordings = z.object({ sessionId: Id, rows: z.array(SessionRecordingRow) });
export type SessionRecordings = z.infer<typeof SessionRecordings>;
