// The session timeline at every boundary (−1 s, 0, +1 s), with the seed's morning:
// login opens 08:00, waiting cut-off 08:30, start 09:00, 25 minutes.
import { describe, expect, it } from 'vitest';
import { phaseAt, timelineProblems, entryClosesAt, type TimelineSettings, type PhaseInfo } from '../src/timeline.ts';

const at = (hhmmss: string) => Date.parse(`2022-06-25T${hhmmss}+08:00`);
const S = 1000;

// Seed 001 + 000: login 08:00, entry button from 08:00 (the seed lets candidates in from login), waiting cut-off 08:30,
// start 09:00, 25 min, and the "3 minutes after start" entry rule (the earlier cut-off wins).
const seed: TimelineSettings = {
  loginOpensAt: at('08:00:00'),
  entryOpensAt: at('08:00:00'),
  waitingCutoffAt: at('08:30:00'),
  startsAt: at('09:00:00'),
  durationSec: 25 * 60,
  entryCutoff: { mode: 'after-start', minutes: 3 },
};
// Seed 001 alone: entry button active 15 min before start, entry closed once started, no waiting cut-off.
const atStart: TimelineSettings = { ...seed, entryOpensAt: at('08:45:00'), waitingCutoffAt: null, entryCutoff: { mode: 'at-start' } };
// The 3-minute rule alone.
const threeMin: TimelineSettings = { ...atStart, entryCutoff: { mode: 'after-start', minutes: 3 } };

type Row = [string, TimelineSettings, number, Partial<PhaseInfo>];
const rows: Row[] = [
  ['seed: before login', seed, at('07:59:59'), { phase: 'not-open', canLogin: false, canEnter: false, questionReleased: false, nextChangeAt: at('08:00:00') }],
  ['seed: login opens', seed, at('08:00:00'), { phase: 'entry-open', canLogin: true, canEnter: true }],
  ['seed: just after login', seed, at('08:00:01'), { canLogin: true, canEnter: true }],
  ['seed: 1 s before waiting cut-off', seed, at('08:29:59'), { canEnter: true, nextChangeAt: at('08:30:00') }],
  ['seed: waiting cut-off', seed, at('08:30:00'), { phase: 'entry-open', canEnter: false, canLogin: true, nextChangeAt: at('09:00:00') }],
  ['seed: after waiting cut-off', seed, at('08:30:01'), { canEnter: false }],
  ['seed: 1 s before start', seed, at('08:59:59'), { phase: 'entry-open', questionReleased: false }],
  ['seed: start', seed, at('09:00:00'), { phase: 'in-progress', questionReleased: true, canEnter: false, canLogin: true }],
  ['seed: 1 s before end', seed, at('09:24:59'), { phase: 'in-progress', questionReleased: true, nextChangeAt: at('09:25:00') }],
  ['seed: end', seed, at('09:25:00'), { phase: 'ended', questionReleased: false, canLogin: false, canEnter: false, nextChangeAt: null }],
  ['seed: after end', seed, at('09:25:01'), { phase: 'ended', questionReleased: false }],
  ['at-start: before entry opens', atStart, at('08:44:59'), { phase: 'login-open', canEnter: false, nextChangeAt: at('08:45:00') }],
  ['at-start: entry opens', atStart, at('08:45:00'), { phase: 'entry-open', canEnter: true }],
  ['at-start: 1 s before start', atStart, at('08:59:59'), { canEnter: true }],
  ['at-start: start closes entry', atStart, at('09:00:00'), { canEnter: false, questionReleased: true }],
  ['3 min: start', threeMin, at('09:00:00'), { canEnter: true, questionReleased: true }],
  ['3 min: 1 s before cut-off', threeMin, at('09:02:59'), { canEnter: true, nextChangeAt: at('09:03:00') }],
  ['3 min: cut-off', threeMin, at('09:03:00'), { canEnter: false }],
  ['3 min: after cut-off', threeMin, at('09:03:01'), { canEnter: false, questionReleased: true }],
];

describe('phaseAt', () => {
  it.each(rows)('%s', (_name, s, now, expected) => {
    expect(phaseAt(s, now)).toMatchObject(expected);
  });

  it('entry closes at the earlier of the waiting cut-off and the entry rule', () => {
    expect(entryClosesAt(seed)).toBe(at('08:30:00'));
    expect(entryClosesAt(threeMin)).toBe(at('09:03:00'));
    expect(entryClosesAt(atStart)).toBe(at('09:00:00'));
  });

  it('reports the end as start + duration', () => {
    expect(phaseAt(seed, at('09:00:00')).endsAt).toBe(at('09:25:00'));
    expect(phaseAt({ ...seed, durationSec: 1 }, at('09:00:00') + S).phase).toBe('ended');
  });
});

describe('timelineProblems', () => {
  it('accepts the seed timelines', () => {
    expect(timelineProblems(seed)).toEqual([]);
    expect(timelineProblems(atStart)).toEqual([]);
  });
  it.each<[string, Partial<TimelineSettings>, RegExp]>([
    ['entry before login', { entryOpensAt: at('07:00:00') }, /loginOpensAt/],
    ['entry after start', { entryOpensAt: at('09:00:01') }, /entryOpensAt/],
    ['waiting cut-off after start', { waitingCutoffAt: at('09:00:01') }, /waitingCutoffAt/],
    ['zero duration', { durationSec: 0 }, /durationSec/],
    ['entry rule longer than exam', { entryCutoff: { mode: 'after-start', minutes: 25 } }, /entryCutoff/],
  ])('refuses %s', (_n, change, re) => {
    expect(timelineProblems({ ...seed, ...change }).join(' ')).toMatch(re);
  });
});
