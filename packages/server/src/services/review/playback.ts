// What an examiner needs to review one attempt: the three streams aligned by their recorded wall-clock time, the
// attempt's events on one timeline, the question as shown, and the completeness reports. Built for the
// examiner, so nothing here names the candidate: no name, ID number, ticket, photo, face capture or username —
// and no raw event payloads either (they may carry staff names or face-data references).
import { pathOf, routes, severityOf, type CompletenessReport, type PlaybackStream, type ReviewAttempt, type Stream, type TimelineEvent, type TimelineEventKind } from '@invigil/contracts';
import type { Readable } from 'node:stream';
import type { Ctx } from '../context.ts';
import type { BlobStore } from '../../adapters/blob/port.ts';
import { withAudit } from '../audit.ts';
import { ReviewError } from './errors.ts';
import { runStart, splitRuns } from '../recordings/report.ts';
import type { ReviewTarget } from './panel-access.ts';
import { getRubric } from './rubric.ts';
import { myScore } from './scores.ts';

const STREAMS: Stream[] = ['camera', 'screen', 'phone'];
const round3 = (x: number) => Math.round(x * 1000) / 1000;

export const reviewBase = (t: Pick<ReviewTarget, 'panelId' | 'anonymousNumber'>) => `/api/review/panels/${encodeURIComponent(t.panelId)}/candidates/${encodeURIComponent(t.anonymousNumber)}`;

/** Where each run of an assembled file sits: the file is the runs joined end to end, the gaps cut out. */
export function playbackRuns(
  segments: ReadonlyArray<{ seq: number; run: number; recordedAt: number; durationMs: number; bytes: number; runStartedAt?: number | null }>,
  report: Pick<CompletenessReport, 'perRun'> | null,
): PlaybackStream['runs'] {
  let offset = 0;
  return splitRuns(segments).map((run, i) => {
    const first = run[0]!;
    // The file's first frame is the run's true start (declared by the browser), else one chunk before its end.
    const startAt = runStart(first);
    const declared = run.reduce((s, x) => s + x.durationMs, 0) / 1000;
    const received = report?.perRun?.[i]?.secondsReceived;
    const seconds = round3(received !== undefined && Number.isFinite(received) ? received : declared);
    const out = { startAt, offsetSec: round3(offset), seconds };
    offset += seconds;
    return out;
  });
}

async function streamsOf(ctx: Ctx, t: ReviewTarget): Promise<PlaybackStream[]> {
  const recs = t.attemptId ? await ctx.db.selectFrom('recordings').selectAll().where('attempt_id', '=', t.attemptId).execute() : [];
  const out: PlaybackStream[] = [];
  for (const stream of STREAMS) {
    const rec = recs.find((r) => r.stream === stream);
    // Examiners see a recording once it is assembled (DESIGN.md, second wave).
    const available = !!rec && rec.status === 'complete' && !!rec.assembled_ref;
    if (!rec) {
      out.push({ stream, available: false, url: null, durationSec: 0, runs: [], report: null });
      continue;
    }
    const report: CompletenessReport | null = rec.report ? JSON.parse(rec.report) : null;
    const segs = await ctx.db.selectFrom('segments').select(['seq', 'run', 'recorded_at', 'duration_ms', 'bytes', 'run_started_at']).where('recording_id', '=', rec.id).orderBy('seq').execute();
    const runs = playbackRuns(
      segs.map((s) => ({
        seq: s.seq,
        run: s.run,
        recordedAt: Number(s.recorded_at),
        durationMs: s.duration_ms,
        bytes: Number(s.bytes),
        runStartedAt: s.run_started_at === null ? null : Number(s.run_started_at),
      })),
      report,
    );
    out.push({
      stream,
      available,
      // The URL the review page derives from its own route before this answer arrives (so its players start at once).
      url: available ? pathOf(routes.reviewStream, { panelId: t.panelId, anon: t.anonymousNumber, stream }) : null,
      durationSec: report?.secondsReceived ?? runs.reduce((s, r) => s + r.seconds, 0),
      runs,
      report,
    });
  }
  return out;
}

function kindOf(type: string): TimelineEventKind {
  if (type === 'recording-gap') return 'recording-gap';
  if (type === 'proof-gap' || type === 'proof-silent' || type === 'proof-stopped-early') return 'proof-gap';
  if (type === 'identity-mismatch' || type === 'no-face') return 'identity';
  return severityOf(type) === 'info' ? 'signal' : 'flag';
}

/** Only numbers that place an event in time leave the server; the rest of an event's payload stays with staff. */
function untilOf(data: unknown): number | null {
  const d = data as { toAt?: unknown; seconds?: unknown } | null;
  return d && typeof d.toAt === 'number' ? d.toAt : null;
}

async function eventsOf(ctx: Ctx, t: ReviewTarget): Promise<TimelineEvent[]> {
  if (!t.attemptId) return [];
  const base = reviewBase(t);
  const events = await ctx.db
    .selectFrom('attempt_events')
    .leftJoin('flag_evidence', 'flag_evidence.event_id', 'attempt_events.id')
    .select(['attempt_events.id', 'attempt_events.type', 'attempt_events.at', 'attempt_events.data', 'flag_evidence.blob_ref'])
    .where('attempt_events.attempt_id', '=', t.attemptId)
    .where('attempt_events.superseded_at', 'is', null)
    .execute();
  const out: TimelineEvent[] = events.map((e) => ({
    id: e.id,
    kind: kindOf(e.type),
    type: e.type,
    at: Number(e.at),
    untilAt: untilOf(JSON.parse(e.data)),
    severity: severityOf(e.type),
    text: '',
    evidenceUrl: e.blob_ref ? `${base}/evidence/${e.id}` : null,
  }));
  const checks = await ctx.db.selectFrom('face_verifications').select(['id', 'at', 'passed']).where('attempt_id', '=', t.attemptId).where('kind', '=', 'check').execute();
  for (const c of checks)
    out.push({
      id: c.id,
      kind: 'identity',
      type: c.passed ? 'identity-check-passed' : 'identity-check-failed',
      at: Number(c.at),
      untilAt: null,
      severity: c.passed ? 'info' : 'low',
      text: '',
      evidenceUrl: null,
    });
  const warnings = await ctx.db.selectFrom('warnings').select(['id', 'at', 'text']).where('attempt_id', '=', t.attemptId).execute();
  for (const w of warnings) out.push({ id: w.id, kind: 'warning', type: 'warning', at: Number(w.at), untilAt: null, severity: 'medium', text: w.text, evidenceUrl: null });
  const help = await ctx.db.selectFrom('help_messages').select(['id', 'at', 'from_kind', 'body']).where('attempt_id', '=', t.attemptId).execute();
  for (const h of help)
    out.push({ id: h.id, kind: 'help', type: h.from_kind === 'candidate' ? 'help-request' : 'help-reply', at: Number(h.at), untilAt: null, severity: 'info', text: h.body, evidenceUrl: null });
  return out.sort((a, b) => a.at - b.at);
}

export async function reviewAttempt(ctx: Ctx, userId: string, t: ReviewTarget): Promise<ReviewAttempt> {
  const questions = await ctx.db.selectFrom('questions').select(['title', 'body']).where('session_id', '=', t.sessionId).orderBy('position').execute();
  const rubric = await getRubric(ctx, t.sessionId);
  return {
    panelId: t.panelId,
    anonymousNumber: t.anonymousNumber,
    sessionName: t.sessionName,
    startsAt: t.startsAt,
    endsAt: t.endsAt,
    // Examiners review after the exam; the question is no secret from them once the session has started.
    questions: ctx.clock.now() >= t.startsAt ? questions : [],
    streams: await streamsOf(ctx, t),
    events: await eventsOf(ctx, t),
    rubric,
    myScore: await myScore(ctx, userId, t.attemptId),
    published: rubric?.publishedAt != null,
  };
}

/** The assembled file of one stream: its ref and size, for a ranged, streamed answer. */
export async function streamFile(ctx: Ctx, blobs: BlobStore, t: ReviewTarget, stream: Stream): Promise<{ ref: string; bytes: number }> {
  if (!t.attemptId) throw new ReviewError('NOT_FOUND');
  const rec = await ctx.db.selectFrom('recordings').select(['status', 'assembled_ref']).where('attempt_id', '=', t.attemptId).where('stream', '=', stream).executeTakeFirst();
  if (!rec) throw new ReviewError('NOT_FOUND');
  if (rec.status !== 'complete' || !rec.assembled_ref) throw new ReviewError('RECORDING_NOT_READY');
  const info = await blobs.head(rec.assembled_ref);
  if (!info) throw new ReviewError('NOT_FOUND');
  return { ref: rec.assembled_ref, bytes: info.bytes };
}

/** A flag's evidence frame (a camera frame, like the video itself). Reading it is audited, as for proctors. */
export async function evidenceFrame(ctx: Ctx, blobs: BlobStore, userId: string, t: ReviewTarget, eventId: string): Promise<Readable> {
  if (!t.attemptId) throw new ReviewError('NOT_FOUND');
  const row = await ctx.db.selectFrom('flag_evidence').select(['blob_ref']).where('event_id', '=', eventId).where('attempt_id', '=', t.attemptId).executeTakeFirst();
  if (!row?.blob_ref) throw new ReviewError('NOT_FOUND');
  await withAudit(ctx.db, async () => ({ result: null, audit: { actor: `user:${userId}`, action: 'review.evidence-read', target: `attempt:${t.attemptId}`, data: { eventId } } }));
  return blobs.get(row.blob_ref);
}
