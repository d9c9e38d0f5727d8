// The segment upload protocol (DESIGN.md "Recording pipeline"), shared by the browser uploader and the server.
//
//   POST /api/attempts/:attemptId/recordings            body RecordingOpenBody  → Recording (idempotent per (attempt, stream))
//   GET  /api/recordings/:recordingId                    → Recording (which segments the server holds)
//   PUT  /api/recordings/:recordingId/segments/:seq      raw body (application/octet-stream), headers below → SegmentAck
//        x-segment-sha256: hex SHA-256 of the body (422 SEGMENT_HASH_MISMATCH if wrong)
//        x-segment-run: run number (0,1,2…; a new run whenever the recorder restarts; first segment of a run has the WebM header)
//        x-segment-recorded-at: epoch ms when the chunk was produced by MediaRecorder
//        x-segment-duration-ms: media duration of this chunk (ms) as measured by the recorder
//   POST /api/recordings/:recordingId/finalize           body FinalizeBody → Recording with report (409 RECORDING_INCOMPLETE lists missing seqs)
//
// Re-sending a segment with the same hash is a no-op (200, duplicate: true). Same seq, different hash → 409 SEGMENT_CONFLICT.
import { z } from 'zod';
import { EpochMs, Id } from './common.ts';

export const Stream = z.enum(['camera', 'screen', 'phone']);
export type Stream = z.infer<typeof Stream>;
export const RecordingStatus = z.enum(['uploading', 'complete', 'partial', 'missing']);
export type RecordingStatus = z.infer<typeof RecordingStatus>;

export const RecordingOpenBody = z.object({ stream: Stream, mimeType: z.string().max(100) });

export const Gap = z.object({ afterSeq: z.number().int(), beforeSeq: z.number().int(), fromAt: EpochMs, toAt: EpochMs, seconds: z.number() });
export const CompletenessReport = z.object({
  runs: z.number().int(),
  segments: z.number().int(),
  bytes: z.number().int(),
  secondsRecorded: z.number(), // sum of chunk durations the browser declared
  secondsReceived: z.number(), // duration of the assembled file (ffprobe)
  gaps: z.array(Gap), // time between runs: an interruption, never glued over silently
  gapSeconds: z.number(),
  sha256: z.string(), // of the assembled file
  assembledAt: EpochMs,
});
export type CompletenessReport = z.infer<typeof CompletenessReport>;

export const Recording = z.object({
  id: Id,
  attemptId: Id,
  stream: Stream,
  status: RecordingStatus,
  mimeType: z.string(),
  segments: z.array(z.object({ seq: z.number().int(), run: z.number().int(), sha256: z.string(), bytes: z.number().int() })),
  lastSeq: z.number().int().nullable(), // declared at finalize
  report: CompletenessReport.nullable(),
});
export type Recording = z.infer<typeof Recording>;

export const SegmentParams = z.object({ recordingId: Id, seq: z.coerce.number().int().min(0).max(1_000_000) });
export const SegmentAck = z.object({ seq: z.number().int(), sha256: z.string(), duplicate: z.boolean(), receivedSegments: z.number().int() });
export const FinalizeBody = z.object({ lastSeq: z.number().int().min(-1) });
