// The time mapping of synchronized playback: wall clock ↔ file time across runs, gaps, the shared span.
import { describe, expect, it } from 'vitest';
import { clock, fileTimeAt, gapsOf, holeAt, nextSpeed, spanOf, wallAt, type Run } from '../src/playback/sync.ts';

const T = 1_700_000_000_000;
// Two runs: 0–10 s, then a 5 s gap, then 15–20 s (file 10–15 s).
const runs: Run[] = [
  { startAt: T, offsetSec: 0, seconds: 10 },
  { startAt: T + 15_000, offsetSec: 10, seconds: 5 },
];

describe('playback time mapping', () => {
  it.each([
    [T, 0],
    [T + 9_999, 9.999],
    [T + 10_000, null],
    [T + 14_999, null],
    [T + 15_000, 10],
    [T + 17_500, 12.5],
    [T + 20_000, null],
    [T - 1, null],
  ])('wall %s → file %s', (at, want) => expect(fileTimeAt(runs, at)).toBe(want === null ? null : want));
  it('maps file time back to the wall clock', () => {
    expect(wallAt(runs, 12.5)).toBe(T + 17_500);
    expect(wallAt(runs, 15)).toBeNull();
  });
  it('names the hole: gap between runs with its length, before and after', () => {
    const span = { startAt: T - 3000, endAt: T + 30_000 };
    expect(holeAt(runs, T + 12_000, span)).toEqual({ fromAt: T + 10_000, toAt: T + 15_000, kind: 'gap' });
    expect(holeAt(runs, T - 1000, span)).toEqual({ fromAt: T - 3000, toAt: T, kind: 'before' });
    expect(holeAt(runs, T + 25_000, span)).toEqual({ fromAt: T + 20_000, toAt: T + 30_000, kind: 'after' });
    expect(holeAt(runs, T + 1000, span)).toBeNull();
    expect(holeAt([], T, span)).toEqual({ fromAt: T - 3000, toAt: T + 30_000, kind: 'before' });
    expect(gapsOf(runs)).toEqual([{ fromAt: T + 10_000, toAt: T + 15_000, kind: 'gap' }]);
  });
  it('spans every stream, steps speed within 1×–2×, prints durations', () => {
    expect(spanOf([runs, [{ startAt: T - 2000, offsetSec: 0, seconds: 1 }]])).toEqual({ startAt: T - 2000, endAt: T + 20_000 });
    expect(spanOf([[], []])).toBeNull();
    expect([nextSpeed(1, 1), nextSpeed(2, 1), nextSpeed(1.5, -1), nextSpeed(1, -1)]).toEqual([1.5, 2, 1, 1]);
    expect([clock(65_000), clock(3_723_000), clock(-5)]).toEqual(['1:05', '1:02:03', '0:00']);
  });
});
