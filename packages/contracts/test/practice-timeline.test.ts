// The 自助试测 window (seed: 6月21日–22日) and a practice attempt's own timeline, at every boundary; and extra time.
import { describe, expect, it } from 'vitest';
import { phaseAt, practiceTimeline, endsAt, type PhaseInfo, type PracticeWindow } from '../src/timeline.ts';

const at = (d: string, hhmmss: string) => Date.parse(`2022-06-${d}T${hhmmss}+08:00`);
const S = 1000;
const w: PracticeWindow = { opensAt: at('21', '00:00:00'), closesAt: at('23', '00:00:00'), durationSec: 180, leadSec: 60 };

// [name, enteredAt, now, expected]
type Row = [string, number | null, number, Partial<PhaseInfo>];
const entered = at('21', '10:00:00');
const rows: Row[] = [
  ['before the window: login not open', null, w.opensAt - S, { phase: 'not-open', canLogin: false, canEnter: false, nextChangeAt: w.opensAt }],
  ['window opens: login and entry at once', null, w.opensAt, { phase: 'entry-open', canLogin: true, canEnter: true, questionReleased: false }],
  ['any time in the window, not entered: entry open, the start is a lead away', null, at('22', '15:00:00'), { phase: 'entry-open', canEnter: true, endsAt: at('22', '15:04:00') }],
  ['1 s before close, not entered: may still start', null, w.closesAt - S, { canEnter: true, canLogin: true }],
  ['window closed, not entered: over', null, w.closesAt, { phase: 'ended', canLogin: false, canEnter: false, questionReleased: false, nextChangeAt: null }],
  ['entered: waiting until the lead has passed', entered, entered + 59 * S, { phase: 'entry-open', questionReleased: false, nextChangeAt: entered + 60 * S }],
  ['entered: the practice question at enteredAt + lead', entered, entered + 60 * S, { phase: 'in-progress', questionReleased: true, canEnter: false, endsAt: entered + 240 * S }],
  ['entered: 1 s before the practice ends', entered, entered + 239 * S, { phase: 'in-progress', questionReleased: true }],
  ['entered: the practice ends after its duration', entered, entered + 240 * S, { phase: 'ended', questionReleased: false }],
  ['entered just before close: the practice runs past the close', w.closesAt - S, w.closesAt + 100 * S, { phase: 'in-progress', questionReleased: true, canLogin: true }],
];

describe('practiceTimeline', () => {
  it.each(rows)('%s', (_name, enteredAt, now, expected) => {
    expect(phaseAt(practiceTimeline(w, enteredAt, now), now)).toMatchObject(expected);
  });

  it('two practice attempts of one candidate each get their own start and end', () => {
    const first = practiceTimeline(w, at('21', '09:00:00'), at('21', '09:00:00'));
    const second = practiceTimeline(w, at('22', '20:30:00'), at('22', '20:30:00'));
    expect(endsAt(first)).toBe(at('21', '09:04:00'));
    expect(endsAt(second)).toBe(at('22', '20:34:00'));
  });

  it('extra time moves only the end, by exactly the extra seconds', () => {
    const plain = practiceTimeline(w, entered, entered);
    const extra = practiceTimeline({ ...w, extraSec: 90 }, entered, entered);
    expect(extra.startsAt).toBe(plain.startsAt);
    expect(endsAt(extra) - endsAt(plain)).toBe(90 * S);
  });
});

describe('extra time on a real timeline', () => {
  const real = { loginOpensAt: 0, entryOpensAt: 0, waitingCutoffAt: null, startsAt: 100 * S, durationSec: 60, entryCutoff: { mode: 'at-start' as const } };
  it.each([
    [0, 160 * S],
    [30, 190 * S],
  ])('extraSec %i → ends at %i', (extraSec, end) => {
    expect(phaseAt({ ...real, extraSec }, end - 1).phase).toBe('in-progress');
    expect(phaseAt({ ...real, extraSec }, end).phase).toBe('ended');
    expect(phaseAt({ ...real, extraSec }, 0).entryClosesAt).toBe(100 * S);
  });
});
