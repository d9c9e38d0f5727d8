// The face-login quality hint for one frame (apps/candidate/face/face-hints.ts): light first, then the faces.
import { describe, expect, it } from 'vitest';
import { judgeFrame, type Box, type FrameReading } from '../src/apps/candidate/face/face-hints.ts';

const W = 640;
const H = 480;
const centred = (w: number): Box => [(W - w) / 2, (H - w) / 2, w, w];
const frame = (luma: number, faces: Box[] | null): FrameReading => ({ luma, faces, yaw: null, width: W, height: H });

describe('judgeFrame', () => {
  it.each([
    ['a dark room, even with a face', frame(30, [centred(200)]), 'too-dark'],
    ['light straight into the lens', frame(240, [centred(200)]), 'too-bright'],
    ['no detector: brightness only', frame(120, null), 'basic'],
    ['nobody in view', frame(120, []), 'no-face'],
    ['a second person', frame(120, [centred(200), [20, 20, 150, 150]]), 'several-faces'],
    ['a face a sixth of the width (the 106-px fixture)', frame(120, [centred(106)]), 'too-far'],
    ['a face filling the picture', frame(120, [centred(520)]), 'too-close'],
    ['a good face in a corner', frame(120, [[10, 10, 200, 200]]), 'off-centre'],
    ['a good face in the middle', frame(120, [centred(200)]), 'good'],
  ] as const)('%s → %s', (_name, reading, hint) => {
    expect(judgeFrame(reading)).toBe(hint);
  });

  it('the light thresholds are edges, not ranges of doubt', () => {
    expect(judgeFrame(frame(55, [centred(200)]))).toBe('good');
    expect(judgeFrame(frame(54.9, [centred(200)]))).toBe('too-dark');
  });
});
