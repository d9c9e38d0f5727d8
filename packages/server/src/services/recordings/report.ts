// Pure rules of the completeness report: which segments are missing, how segments form runs, how long the
// interruptions between runs were. No I/O, so the edge cases are tested table by table.
import type { CompletenessReport } from '@invigil/contracts';

export interface SegmentFacts {
  seq: number;
  run: number;
  recordedAt: number; // end of the chunk's media (its dataavailable), epoch ms
  durationMs: number;
  bytes: number;
  runStartedAt?: number | null; // on a run's first segment: its first real frame (epoch ms), as the browser declared
}

type Gap = CompletenessReport['gaps'][number];

/** Sequence numbers 0..lastSeq that were not received, in order; at most `limit` of them. */
export function missingSeqs(present: Iterable<number>, lastSeq: number, limit = Infinity): number[] {
  const have = new Set(present);
  const out: number[] = [];
  for (let s = 0; s <= lastSeq && out.length < limit; s++) if (!have.has(s)) out.push(s);
  return out;
}

/** Segments in seq order, cut wherever the run number changes: each group starts with a WebM header. */
export function splitRuns<T extends SegmentFacts>(segments: readonly T[]): T[][] {
  const runs: T[][] = [];
  for (const s of [...segments].sort((a, b) => a.seq - b.seq)) {
    const current = runs.at(-1);
    if (current && current[0]!.run === s.run) current.push(s);
    else runs.push([s]);
  }
  return runs;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * When a run's video really starts. The browser declares the wall-clock time of the run's first real frame on
 * its first segment (a display capture sends it up to seconds after the recorder started, so the first chunk's
 * end minus its duration — counted from start() — is too early). Without a declaration, that estimate. A
 * declaration is believed only inside the first chunk: not before the recorder started, not after the chunk ended.
 */
export function runStart(first: Pick<SegmentFacts, 'recordedAt' | 'durationMs' | 'runStartedAt'>): number {
  const estimate = Math.max(0, first.recordedAt - first.durationMs);
  const declared = first.runStartedAt;
  if (declared == null || !Number.isFinite(declared)) return estimate;
  return Math.round(Math.min(first.recordedAt, Math.max(estimate, declared)));
}

/** The time nobody recorded between two runs: from the end of run N's last chunk to the start of run N+1's first. */
export function runGaps(runs: readonly SegmentFacts[][]): Gap[] {
  const gaps: Gap[] = [];
  for (let i = 1; i < runs.length; i++) {
    const last = runs[i - 1]!.at(-1)!;
    const first = runs[i]![0]!;
    const fromAt = last.recordedAt;
    const toAt = Math.max(fromAt, runStart(first));
    gaps.push({ afterSeq: last.seq, beforeSeq: first.seq, fromAt, toAt, seconds: round3((toAt - fromAt) / 1000) });
  }
  return gaps;
}

/** The time a run left out of the file covered: from its first chunk's start to its last chunk's end. */
export function unreadableGap(run: readonly SegmentFacts[], reason: string): Gap {
  const first = run[0]!;
  const last = run.at(-1)!;
  const fromAt = first.recordedAt - first.durationMs;
  const toAt = Math.max(fromAt, last.recordedAt);
  return { afterSeq: first.seq - 1, beforeSeq: last.seq + 1, fromAt, toAt, seconds: round3((toAt - fromAt) / 1000), reason: 'unreadable', detail: reason };
}

export function buildReport(
  runs: readonly SegmentFacts[][],
  assembled: { seconds: number; runSeconds: readonly number[]; sha256: string; at: number; excluded?: ReadonlyArray<{ index: number; reason: string }> },
): CompletenessReport {
  const all = runs.flat();
  const excluded = new Map((assembled.excluded ?? []).map((e) => [e.index, e.reason]));
  const gaps = [...runGaps(runs), ...[...excluded].map(([i, reason]) => unreadableGap(runs[i]!, reason))].sort((a, b) => a.fromAt - b.fromAt || a.afterSeq - b.afterSeq);
  const declared = (segs: readonly SegmentFacts[]) => round3(segs.reduce((n, s) => n + s.durationMs, 0) / 1000);
  return {
    runs: runs.length,
    segments: all.length,
    bytes: all.reduce((n, s) => n + s.bytes, 0),
    secondsRecorded: declared(all),
    secondsReceived: round3(assembled.seconds),
    gaps,
    gapSeconds: round3(gaps.reduce((n, g) => n + g.seconds, 0)),
    perRun: runs.map((r, i) => ({
      run: r[0]!.run,
      segments: r.length,
      secondsRecorded: declared(r),
      secondsReceived: round3(assembled.runSeconds[i] ?? NaN),
      startedAt: runStart(r[0]!),
      ...(excluded.has(i) ? { unreadable: excluded.get(i)! } : {}),
    })),
    sha256: assembled.sha256,
    assembledAt: assembled.at,
  };
}
