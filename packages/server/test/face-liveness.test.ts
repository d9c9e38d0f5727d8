// The liveness challenge rule (judgeChallenge) on its own: yaw readings in frame order → done / not done /
// wrong way, against the minimum turn. Degrees here; the rule takes Human's radians.
import { describe, expect, it } from 'vitest';
import { judgeChallenge, VERIFIABLE_CHALLENGES } from '../src/services/face/rules.ts';
import { defaultFaceSettings } from '../src/services/face/settings.ts';

const rad = (deg: number | null) => (deg === null ? null : (deg * Math.PI) / 180);
const MIN = 8;

describe('liveness challenge: the head must turn the asked way', () => {
  it.each([
    // [name, action, yaw degrees per frame, outcome, turnDeg, otherDeg]
    ['still picture: identical yaw', 'turn-left', [-7, -7, -7], 'not-done', 0, 0],
    ['still picture with camera noise (±1°)', 'turn-right', [-7, -6.2, -7.9], 'not-done', 0.8, 0.9],
    ['turned left far enough (yaw falls)', 'turn-left', [-7, -20, -9], 'done', 13, 0],
    ['turned right far enough (yaw rises)', 'turn-right', [-7, 6, -5], 'done', 13, 0],
    ['exactly the minimum passes', 'turn-left', [0, -MIN], 'done', MIN, 0],
    ['just under the minimum does not', 'turn-left', [0, -(MIN - 0.1)], 'not-done', MIN - 0.1, 0],
    ['turned right when asked left', 'turn-left', [-7, 10, -6], 'wrong-way', 0, 17],
    ['turned left when asked right', 'turn-right', [0, -30], 'wrong-way', 0, 30],
    ['shook both ways, the asked way further', 'turn-right', [0, -10, 25], 'done', 25, 10],
    ['shook both ways, the other way further', 'turn-right', [0, 12, -25], 'wrong-way', 12, 25],
    ['frames without a pose are skipped', 'turn-left', [null, -5, null, -25], 'done', 20, 0],
    ['one pose only', 'turn-left', [-5, null], 'not-done', null, null],
    ['no frames', 'turn-right', [], 'not-done', null, null],
    ['nod cannot be checked from yaw', 'nod', [0, -30], 'not-done', null, null],
    ['blink cannot be checked from yaw', 'blink', [0, 30], 'not-done', null, null],
  ] as const)('%s', (_name, action, degs, outcome, turnDeg, otherDeg) => {
    expect(judgeChallenge(degs.map(rad), action, MIN)).toEqual({ outcome, turnDeg, otherDeg });
  });

  it('no challenge stored: nothing can pass', () => {
    expect(judgeChallenge([0, rad(-30)], null, MIN).outcome).toBe('not-done');
  });

  it('only checkable challenges are issued, and the default minimum is the measured one', () => {
    expect([...VERIFIABLE_CHALLENGES]).toEqual(['turn-left', 'turn-right']);
    expect(defaultFaceSettings().minTurnDeg).toBe(8);
  });
});
