// How the examiners' totals become a candidate's result. Pure: no I/O, so every rule is tested table by table
// (test/review-aggregate.test.ts).
import type { AggregationRule } from '@invigil/contracts';

export interface ExaminerTotal {
  examinerId: string;
  /** null: this panel member has not submitted (a draft does not count). */
  total: number | null;
}

export interface Aggregate {
  /** null while no rule can be applied (nobody submitted, or 'trimmed' with fewer than three totals). */
  value: number | null;
  /** Every panel member submitted and the rule could be applied. */
  final: boolean;
  /** Highest minus lowest submitted total. */
  spread: number | null;
  /** Examiners whose total differs from the mean of the others' by more than the threshold. */
  outliers: string[];
  /** Why there is no value yet, for the results table. */
  pending: 'none-submitted' | 'needs-three' | null;
}

/** Two decimals, the way results are published; the epsilon keeps 80.665 from becoming 80.66 by binary error. */
export const round2 = (x: number) => Math.round((x + Math.sign(x) * 1e-9) * 100) / 100;

export function applyRule(rule: AggregationRule, totals: readonly number[]): number | null {
  if (totals.length === 0) return null;
  const sorted = [...totals].sort((a, b) => a - b);
  const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  switch (rule) {
    case 'mean':
      return round2(mean(sorted));
    case 'trimmed':
      // 去掉一个最高分和一个最低分后取平均: with fewer than three there is nothing left to average.
      return sorted.length < 3 ? null : round2(mean(sorted.slice(1, -1)));
    case 'median': {
      const mid = sorted.length >> 1;
      return round2(sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2);
    }
  }
}

export function aggregate(rule: AggregationRule, totals: readonly ExaminerTotal[], deviationThreshold: number): Aggregate {
  const submitted = totals.filter((t): t is ExaminerTotal & { total: number } => t.total !== null);
  const values = submitted.map((t) => t.total);
  const value = applyRule(rule, values);
  const outliers: string[] = [];
  if (submitted.length >= 2)
    for (const t of submitted) {
      const others = submitted.filter((o) => o !== t);
      const othersMean = others.reduce((s, o) => s + o.total, 0) / others.length;
      if (Math.abs(t.total - othersMean) > deviationThreshold + 1e-9) outliers.push(t.examinerId);
    }
  return {
    value,
    final: totals.length > 0 && submitted.length === totals.length && value !== null,
    spread: values.length ? round2(Math.max(...values) - Math.min(...values)) : null,
    outliers,
    pending: values.length === 0 ? 'none-submitted' : value === null ? 'needs-three' : null,
  };
}

/** Competition ranking (1, 2, 2, 4) of the values that have one, highest first; null stays unranked. */
export function rank(values: ReadonlyArray<number | null>): Array<number | null> {
  const ranked = values.filter((v): v is number => v !== null).sort((a, b) => b - a);
  return values.map((v) => (v === null ? null : ranked.findIndex((x) => Math.abs(x - v) < 1e-9) + 1));
}

/** The checks on one criterion's points, in the order a person would want to hear them. */
export function checkPoints(points: number, maxPoints: number, step: number): 'over-max' | 'off-step' | null {
  if (!(points >= 0 && points <= maxPoints + 1e-9)) return 'over-max';
  const k = points / step;
  return Math.abs(k - Math.round(k)) > 1e-6 ? 'off-step' : null;
}

/** A total as the sum of marks, without binary noise (0.1 + 0.2). */
export const totalOf = (points: readonly number[]) => round2(points.reduce((s, p) => s + p, 0));
