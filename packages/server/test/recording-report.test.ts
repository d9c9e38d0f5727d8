// Table-driven edges of the completeness rules (services/recordings/report.ts).
import { describe, expect, it } from 'vitest';
import { buildReport, missingSeqs, runGaps, runStart, splitRuns, type SegmentFacts } from '../src/services/recordings/report.ts';

const seg = (seq: number, run: number, recordedAt: number, durationMs = 2000, bytes = 100): SegmentFacts => ({ seq, run, recordedAt, durationMs, bytes });

describe('missingSeqs', () => {
  it.each([
    { present: [0, 1, 2], last: 2, want: [] },
    { present: [0, 2], last: 2, want: [1] },
    { present: [1, 2], last: 2, want: [0] },
    { present: [0, 1], last: 3, want: [2, 3] },
    { present: [], last: -1, want: [] },
    { present: [], last: 1, want: [0, 1] },
  ])('$present up to $last → $want', ({ present, last, want }) => expect(missingSeqs(present, last)).toEqual(want));
  it('stops listing at the limit', () => expect(missingSeqs([], 1_000_000, 3)).toEqual([0, 1, 2]));
});

describe('splitRuns and runGaps', () => {
  it('groups by run in seq order, whatever order rows came in', () => {
    const runs = splitRuns([seg(2, 1, 9000), seg(0, 0, 2000), seg(1, 0, 4000), seg(3, 1, 11000)]);
    expect(runs.map((r) => r.map((s) => s.seq))).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });
  it.each([
    // run 0 ends at 4000; run 1's first chunk (2 s) was produced at 9000, so it started at 7000: 3 s lost
    { name: 'interruption', segs: [seg(0, 0, 2000), seg(1, 0, 4000), seg(2, 1, 9000)], want: [{ afterSeq: 1, beforeSeq: 2, fromAt: 4000, toAt: 7000, seconds: 3 }] },
    { name: 'back-to-back restart', segs: [seg(0, 0, 2000), seg(1, 1, 4000)], want: [{ afterSeq: 0, beforeSeq: 1, fromAt: 2000, toAt: 2000, seconds: 0 }] },
    // clocks disagree (new run claims to start before the old one ended): never a negative gap
    { name: 'overlap', segs: [seg(0, 0, 5000), seg(1, 1, 6000)], want: [{ afterSeq: 0, beforeSeq: 1, fromAt: 5000, toAt: 5000, seconds: 0 }] },
    { name: 'one run', segs: [seg(0, 0, 2000), seg(1, 0, 4000)], want: [] },
  ])('$name', ({ segs, want }) => expect(runGaps(splitRuns(segs))).toEqual(want));
});

describe('buildReport', () => {
  it('adds declared durations, bytes and gaps; received seconds come from the assembled file', () => {
    const runs = splitRuns([seg(0, 0, 2000, 2000, 10), seg(1, 0, 4000, 2000, 20), seg(2, 1, 10_500, 2500, 30)]);
    expect(buildReport(runs, { seconds: 6.4999, runSeconds: [3.9001, 2.6], sha256: 'h', at: 1 })).toEqual({
      runs: 2,
      segments: 3,
      bytes: 60,
      secondsRecorded: 6.5,
      secondsReceived: 6.5,
      gaps: [{ afterSeq: 1, beforeSeq: 2, fromAt: 4000, toAt: 8000, seconds: 4 }],
      gapSeconds: 4,
      perRun: [
        { run: 0, segments: 2, secondsRecorded: 4, secondsReceived: 3.9, startedAt: 0 },
        { run: 1, segments: 1, secondsRecorded: 2.5, secondsReceived: 2.6, startedAt: 8000 },
      ],
      sha256: 'h',
      assembledAt: 1,
    });
  });
});

describe("runStart: a run's true start (issue #15 item 6)", () => {
  it.each([
    { name: "nothing declared: the first chunk's end − its duration", first: { recordedAt: 10_000, durationMs: 3000 }, want: 7000 },
    { name: 'declared first frame 1.2 s after the recorder started', first: { recordedAt: 10_000, durationMs: 3000, runStartedAt: 8200 }, want: 8200 },
    { name: 'declared before the recorder started (clock skew): the recorder start', first: { recordedAt: 10_000, durationMs: 3000, runStartedAt: 5000 }, want: 7000 },
    { name: 'declared after the chunk ended: the chunk end', first: { recordedAt: 10_000, durationMs: 3000, runStartedAt: 12_000 }, want: 10_000 },
    { name: 'null (older rows)', first: { recordedAt: 10_000, durationMs: 3000, runStartedAt: null }, want: 7000 },
  ])('$name', ({ first, want }) => expect(runStart(first)).toBe(want));

  it('a declared start shortens the gap and is reported per run', () => {
    const runs = splitRuns([seg(0, 0, 2000), seg(1, 0, 4000), { ...seg(2, 1, 9000), runStartedAt: 7800 }, seg(3, 1, 11000)]);
    expect(runGaps(runs)).toEqual([{ afterSeq: 1, beforeSeq: 2, fromAt: 4000, toAt: 7800, seconds: 3.8 }]);
    const report = buildReport(runs, { seconds: 7, runSeconds: [4, 3], sha256: 'x', at: 1 });
    expect(report.perRun?.map((r) => r.startedAt)).toEqual([0, 7800]);
  });
});
