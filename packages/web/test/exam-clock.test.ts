// The phone's exam clock: which phase and how much time is left, from the server's `now` in the last state and
// the local time passed since that state arrived — never from when recording started.
import { describe, expect, it } from 'vitest';
import { announcedCountdown, phoneExamClock } from '../src/apps/phone/exam-clock.ts';

const MIN = 60_000;
const startsAt = 1_000_000_000;
const endsAt = startsAt + 25 * MIN;

describe('phoneExamClock', () => {
  // Each row: the state's server `now`, when it arrived locally, local now → expected phase and time left.
  const rows: Array<[string, number, number, number, string, number]> = [
    ['recording 20 min before the start, state just arrived', startsAt - 20 * MIN, 0, 0, 'before', 20 * MIN],
    ['1 ms before the start', startsAt - 1, 0, 0, 'before', 1],
    ['exactly at the start', startsAt, 0, 0, 'running', 25 * MIN],
    // The bug: recording started 20 min before the start; 2.5 min into the exam the old code said "ended".
    ['2.5 min in, state 2 s old, recording since 22.5 min', startsAt + 2.5 * MIN - 2000, 5000, 7000, 'running', 22.5 * MIN],
    ['12 min in, state from before the start (no heartbeat since)', startsAt - 1 * MIN, 0, 13 * MIN, 'running', 13 * MIN],
    ['1 ms before the end', endsAt - 1, 0, 0, 'running', 1],
    ['exactly at the end', endsAt, 0, 0, 'ended', 0],
    ['after the end, counted locally from an older state', endsAt - 10_000, 100, 10_100, 'ended', 0],
    ['local clock jumped back: never before the state itself', startsAt + MIN, 50_000, 10_000, 'running', 24 * MIN],
  ];
  it.each(rows)('%s', (_name, now, receivedAt, localNow, phase, leftMs) => {
    const c = phoneExamClock({ attemptStatus: 'answering', startsAt, endsAt, now }, receivedAt, localNow);
    expect(c.phase).toBe(phase);
    expect(c.leftMs).toBe(leftMs);
  });

  it('an attempt the server ended (proctor, 结束考试) is ended whatever the clock says', () => {
    expect(phoneExamClock({ attemptStatus: 'ended', startsAt, endsAt, now: startsAt + MIN }, 0, 0).phase).toBe('ended');
  });

  it('a long exam with recording started long before: running at every moment until the real end', () => {
    // Heartbeats every 5 s refresh the state; the screen ticks every second in between.
    for (let t = startsAt; t < endsAt; t += 7_000) {
      const stateNow = t - (t % 5000);
      const receivedAt = 40 * MIN + (stateNow - startsAt);
      const local = receivedAt + (t - stateNow);
      expect(phoneExamClock({ attemptStatus: 'answering', startsAt, endsAt, now: stateNow }, receivedAt, local).phase).toBe('running');
    }
  });
});

describe('announcedCountdown', () => {
  it.each([
    [25 * MIN, '25:00'],
    [24 * MIN + 1, '25:00'],
    [24 * MIN, '24:00'],
    [5 * MIN + 1, '06:00'],
    [5 * MIN, '05:00'],
    [4 * MIN + 31_000, '05:00'],
    [4 * MIN + 29_000, '04:30'],
    [61_000, '01:30'],
    [60_000, '01:00'],
    [59_000, '01:00'],
    [41_000, '00:50'],
    [9_000, '00:10'],
    [0, '00:00'],
  ])('%i ms left → %s', (ms, text) => {
    expect(announcedCountdown(ms)).toBe(text);
  });
});
