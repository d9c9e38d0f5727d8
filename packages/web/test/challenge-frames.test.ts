// Which frames of the liveness capture go to the server (apps/candidate/face/challenge-frames.ts): the resting
// first frame and the most turned one; blind (no pose) captures send first/middle/last.
import { describe, expect, it } from 'vitest';
import { atRest, framesToSend, restingYaw, turnedEnough } from '../src/apps/candidate/face/challenge-frames.ts';

const D = Math.PI / 180;
const f = (name: string, deg: number | null) => ({ jpeg: name, yaw: deg === null ? null : deg * D });

describe('liveness capture frames', () => {
  it.each([
    ['rest then the furthest turn', [f('a', -7), f('b', -15), f('c', -30), f('d', -12)], ['a', 'c']],
    ['the furthest turn either way (the server judges the direction)', [f('a', 0), f('b', 12), f('c', -5)], ['a', 'b']],
    ['frames without a pose are never the turn', [f('a', 0), f('b', null), f('c', 3)], ['a', 'c']],
    ['a single frame', [f('a', 0)], ['a']],
    ['no pose at all: first, middle, last', [f('a', null), f('b', null), f('c', null), f('d', null), f('e', null)], ['a', 'c', 'e']],
    ['no pose in the first frame: blind choice too', [f('a', null), f('b', 5), f('c', 20)], ['a', 'b', 'c']],
    ['nothing captured', [], []],
  ] as const)('%s', (_name, frames, sent) => {
    expect(framesToSend(frames)).toEqual(sent);
  });

  it('the resting pose is the pose held most while idle; at rest means within 4°', () => {
    expect(restingYaw([null, 1 * D, 30 * D, 2 * D])).toBeCloseTo(1.5 * D);
    // Turned for 3 of 7 readings (a median would land on the turn's edge), resting at 0 for 4.
    expect(restingYaw([0, -30 * D, -30 * D, 0, -20 * D, 0, 0])).toBeCloseTo(0);
    expect(restingYaw([-30 * D, -30 * D, -30 * D, 0, 0, -10 * D, -20 * D, 0, 0])).toBeCloseTo(0);
    expect(restingYaw([null])).toBeNull();
    expect(atRest(5 * D, 2 * D)).toBe(true);
    expect(atRest(7 * D, 2 * D)).toBe(false);
    expect(atRest(7 * D, null)).toBe(true);
    expect(atRest(null, null)).toBe(false);
  });

  it('capturing may stop once the head turned 20° from the first frame', () => {
    expect(turnedEnough([f('a', -7), f('b', -20)])).toBe(false);
    expect(turnedEnough([f('a', -7), f('b', -27)])).toBe(true);
    expect(turnedEnough([f('a', null), f('b', -40)])).toBe(false);
  });
});
