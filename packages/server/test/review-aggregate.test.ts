// The aggregation rules on known numbers: mean, 去掉一个最高分和一个最低分后取平均, median; finality, spread, outliers.
import { describe, expect, it } from 'vitest';
import type { AggregationRule } from '@invigil/contracts';
import { aggregate, applyRule, checkPoints, rank, totalOf } from '../src/domain/aggregate.ts';

const t = (...xs: Array<number | null>) => xs.map((total, i) => ({ examinerId: `e${i + 1}`, total }));

describe('applyRule', () => {
  const cases: Array<[AggregationRule, number[], number | null]> = [
    ['mean', [], null],
    ['mean', [80], 80],
    ['mean', [80, 81, 81], 80.67],
    ['mean', [70, 80, 90, 95], 83.75],
    ['trimmed', [80, 90], null],
    ['trimmed', [70, 80, 90], 80],
    ['trimmed', [60, 80, 85, 99], 82.5],
    ['trimmed', [80, 80, 80, 80, 100], 80],
    ['trimmed', [75.5, 80, 82.5, 90, 95], 84.17],
    ['median', [80], 80],
    ['median', [90, 70, 80], 80],
    ['median', [70, 80, 90, 95], 85],
    ['median', [70.5, 71], 70.75],
  ];
  it.each(cases)('%s of %j is %s', (rule, totals, want) => expect(applyRule(rule, totals)).toBe(want));
});

describe('aggregate', () => {
  it('is final only when every panel member submitted', () => {
    expect(aggregate('mean', t(80, null, 90), 10)).toMatchObject({ value: 85, final: false, spread: 10, pending: null });
    expect(aggregate('mean', t(80, 85, 90), 10)).toMatchObject({ value: 85, final: true, spread: 10 });
    expect(aggregate('mean', t(null, null), 10)).toMatchObject({ value: null, final: false, spread: null, pending: 'none-submitted' });
    expect(aggregate('mean', [], 10)).toMatchObject({ value: null, final: false });
  });
  it('trimmed needs three submitted totals, even when the panel has only two members', () => {
    expect(aggregate('trimmed', t(80, 90), 50)).toMatchObject({ value: null, final: false, pending: 'needs-three' });
    expect(aggregate('trimmed', t(80, 90, null), 50)).toMatchObject({ value: null, final: false, pending: 'needs-three' });
    expect(aggregate('trimmed', t(80, 90, 70), 50)).toMatchObject({ value: 80, final: true });
  });
  it('flags an examiner far from the others’ mean, by more than the threshold (not equal)', () => {
    expect(aggregate('mean', t(80, 82, 95), 10).outliers).toEqual(['e3']); // 95 − 81 = 14
    expect(aggregate('mean', t(80, 82, 91), 10).outliers).toEqual([]); // 91 − 81 = 10, not more
    expect(aggregate('mean', t(60, 90), 20).outliers).toEqual(['e1', 'e2']); // a pair that disagrees: both
    expect(aggregate('mean', t(80), 0).outliers).toEqual([]);
    expect(aggregate('mean', t(80, null, 99), 5).outliers).toEqual(['e1', 'e3']);
  });
});

describe('rank', () => {
  it('ranks highest first, ties share a rank, null stays unranked', () => {
    expect(rank([80, 90, null, 90, 70])).toEqual([3, 1, null, 1, 4]);
    expect(rank([])).toEqual([]);
  });
});

describe('checkPoints and totals', () => {
  const cases: Array<[number, number, number, ReturnType<typeof checkPoints>]> = [
    [0, 20, 0.5, null],
    [20, 20, 0.5, null],
    [12.5, 20, 0.5, null],
    [20.5, 20, 0.5, 'over-max'],
    [-0.5, 20, 0.5, 'over-max'],
    [12.3, 20, 0.5, 'off-step'],
    [0.3, 1, 0.1, null],
    [7, 10, 1, null],
    [7.5, 10, 1, 'off-step'],
    [Number.NaN, 10, 1, 'over-max'],
  ];
  it.each(cases)('%s of max %s step %s → %s', (p, max, step, want) => expect(checkPoints(p, max, step)).toBe(want));
  it('sums without binary noise', () => expect(totalOf([0.1, 0.2, 17.5])).toBe(17.8));
});
