// Per candidate and stream: is the recording there? The staff view and `invigil recordings` show the same rows.
// complete = finalized, verified and assembled with no interruption; partial = the same with gaps between runs;
// verified = every segment stored and verified, assembly queued or running (see `assembly`); uploading = not finalized yet (missingSeqs shows holes so far); missing = nothing received.
import type { SessionRecordingRow, SessionRecordings, Stream, CompletenessReport } from '@invigil/contracts';
import type { Ctx } from '../context.ts';
import { notFound } from '../errors.ts';
import { missingSeqs } from './report.ts';
import { assemblyOf } from './assembly-state.ts';

const DESKTOP_STREAMS: Stream[] = ['camera', 'screen'];

export async function recordingsStatus(ctx: Ctx, sessionId: string): Promise<SessionRecordings> {
  const session = await ctx.db.selectFrom('sessions').select(['id', 'proof_required']).where('id', '=', sessionId).executeTakeFirst();
  if (!session) throw notFound();
  const candidates = await ctx.db
    .selectFrom('candidates')
    // the current attempt only (earlier practice attempts are replaced ones)
    .leftJoin('attempts', (j) => j.onRef('attempts.candidate_id', '=', 'candidates.id').on('attempts.replaced_at', 'is', null))
    .select(['candidates.id as candidateId', 'candidates.name', 'candidates.ticket', 'attempts.id as attemptId'])
    .where('candidates.session_id', '=', sessionId)
    .orderBy('candidates.ticket')
    .execute();
  const recordings = await ctx.db.selectFrom('recordings').innerJoin('attempts', 'attempts.id', 'recordings.attempt_id').selectAll('recordings').where('attempts.session_id', '=', sessionId).execute();
  const recordingsOf = new Map<string, typeof recordings>();
  for (const r of recordings) recordingsOf.set(r.attempt_id, [...(recordingsOf.get(r.attempt_id) ?? []), r]);

  const streams: Stream[] = session.proof_required ? [...DESKTOP_STREAMS, 'phone'] : DESKTOP_STREAMS;
  const rows: SessionRecordingRow[] = [];
  for (const c of candidates) {
    const own = (c.attemptId && recordingsOf.get(c.attemptId)) || [];
    const wanted = [...new Set<Stream>([...streams, ...own.map((r) => r.stream as Stream)])];
    for (const stream of wanted) {
      const rec = own.find((r) => r.stream === stream);
      // Counts, bytes, duration and highest seq from the recording's running totals (migration 013): this view is
      // polled every 10 s by each support user, and a sum over the session's segments grew with the exam (1.5 M
      // rows at the end of 25 minutes × 1,000 candidates).
      const t = rec && Number(rec.segments_stored) > 0 ? { n: Number(rec.segments_stored), bytes: Number(rec.bytes_stored), maxSeq: Number(rec.max_seq_stored), ms: Number(rec.ms_stored) } : undefined;
      const report: CompletenessReport | null = rec?.report ? JSON.parse(rec.report) : null;
      const holes = t && t.maxSeq + 1 > t.n ? await holesOf(ctx, rec!.id, t.maxSeq) : [];
      rows.push({
        candidateId: c.candidateId,
        candidateName: c.name,
        ticket: c.ticket,
        attemptId: c.attemptId,
        stream,
        recordingId: rec?.id ?? null,
        status: statusOf(rec?.status, t?.n ?? 0, report),
        segments: t?.n ?? 0,
        bytes: t?.bytes ?? 0,
        missingSeqs: holes,
        seconds: report ? report.secondsReceived : (t?.ms ?? 0) / 1000,
        gaps: report?.gaps.length ?? 0,
        gapSeconds: report?.gapSeconds ?? 0,
        sha256: report?.sha256 ?? null,
        assembly: rec ? assemblyOf(rec) : null,
      });
    }
  }
  return { sessionId, rows };
}

function statusOf(stored: string | undefined, segments: number, report: CompletenessReport | null): SessionRecordingRow['status'] {
  if (stored === 'complete' && report) return report.gaps.length > 0 ? 'partial' : 'complete';
  if (stored === 'verified') return 'verified';
  if (!stored || stored === 'missing' || segments === 0) return 'missing';
  return 'uploading';
}

async function holesOf(ctx: Ctx, recordingId: string, maxSeq: number): Promise<number[]> {
  const seqs = await ctx.db.selectFrom('segments').select('seq').where('recording_id', '=', recordingId).execute();
  return missingSeqs(
    seqs.map((s) => s.seq),
    maxSeq,
    1000,
  );
}
