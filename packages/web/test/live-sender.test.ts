import { describe, expect, it } from 'vitest';
import { liveEncoding } from '../src/monitoring/live-sender.ts';

const track = (height?: number) => ({ getSettings: () => ({ height }) });

describe('liveEncoding', () => {
  it('cuts a camera to 360 lines and 15 fps', () => {
    expect(liveEncoding('camera', track(720))).toEqual({ maxFramerate: 15, maxBitrate: 400_000, scaleResolutionDownBy: 2 });
    expect(liveEncoding('phone', track(480))).toMatchObject({ scaleResolutionDownBy: 480 / 360 });
  });
  it('never scales up a small camera, nor one whose size is not known yet', () => {
    expect(liveEncoding('camera', track(240)).scaleResolutionDownBy).toBe(1);
    expect(liveEncoding('camera', track()).scaleResolutionDownBy).toBe(1);
  });
  it('keeps a screen at full size (text stays readable) and lowers its frame rate instead', () => {
    expect(liveEncoding('screen', track(1080))).toEqual({ maxFramerate: 5, maxBitrate: 800_000, scaleResolutionDownBy: 1 });
  });
});
