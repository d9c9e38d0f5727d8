// Review priority (issue #19): the pure 0–100 score of an attempt from its events, as a table.
import { describe, expect, it } from 'vitest';
import { durationOf, reviewPriority, type PriorityEvent } from '../src/services/monitor/priority.ts';

const ev = (type: string, durationSec = 0, decision: string | null = null): PriorityEvent => ({ type, durationSec, decision });

describe('reviewPriority', () => {
  it.each<[string, PriorityEvent[], number]>([
    ['no events', [], 0],
    ['info only (page-visible, proof-bound)', [ev('page-visible'), ev('proof-bound')], 0],
    ['one low (looking-away)', [ev('looking-away')], 5],
    ['five lows', Array.from({ length: 5 }, () => ev('key-copy')), 22],
    ['one medium (face-absent, 0 s)', [ev('face-absent')], 18],
    ['one medium lasting 60 s', [ev('face-absent', 60)], 33],
    ['one medium lasting 10 min (capped at 2 min)', [ev('face-absent', 600)], 45],
    ['one high (several-faces)', [ev('several-faces')], 39],
    ['two highs', [ev('several-faces'), ev('phone-in-view')], 63],
    ['ten lows weigh as one high', Array.from({ length: 10 }, () => ev('key-paste')), 39],
    ['a dismissed high counts nothing', [ev('several-faces', 0, 'dismissed')], 0],
    ['a confirmed high counts double', [ev('several-faces', 0, 'confirmed')], 63],
    ['an unknown stored type counts as low', [ev('some-old-detector')], 5],
    ['a flood saturates below 100', Array.from({ length: 200 }, () => ev('identity-mismatch', 120)), 100],
  ])('%s → %i', (_name, events, want) => expect(reviewPriority(events)).toBe(want));

  it('grows with every further event and with duration, and stays within 0–100', () => {
    let last = -1;
    for (let n = 0; n < 30; n++) {
      const p = reviewPriority(Array.from({ length: n }, () => ev('face-covered', 5)));
      expect(p).toBeGreaterThanOrEqual(last);
      expect(p).toBeLessThanOrEqual(100);
      last = p;
    }
    expect(reviewPriority([ev('face-absent', 30)])).toBeGreaterThan(reviewPriority([ev('face-absent', 3)]));
    expect(reviewPriority([ev('face-absent', Number.NaN)])).toBe(reviewPriority([ev('face-absent')]));
  });

  it('reads the duration of a stored event from its start and end', () => {
    expect(durationOf(JSON.stringify({ start: 1000, end: 31_000 }))).toBe(30);
    expect(durationOf(JSON.stringify({ start: 1000, end: null }))).toBe(0);
    expect(durationOf('not json')).toBe(0);
  });
});
