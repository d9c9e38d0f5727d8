// Which captured frames go to the server for the liveness challenge (请缓慢向左/右转头). The server measures the
// head's yaw in what it receives and decides (services/face/rules.ts judgeChallenge: the turn is measured from
// the FIRST frame); the browser only makes sure that frame shows the candidate at rest and that the most turned
// moment is among the frames. Pure, so the choice is tested without a camera.
import type { CapturedFrame } from './face-hints.ts';

const DEG = Math.PI / 180;
/** A reading within this of the resting pose counts as "at rest" (camera noise and small sways are ~1–3°). */
export const REST_TOLERANCE = 4 * DEG;
/** Once the head has turned this far from rest, more frames add nothing; the capture may stop. */
export const ENOUGH_TURN = 20 * DEG;

/**
 * The resting yaw: the pose held most while the candidate lined up — the reading with the most others within
 * REST_TOLERANCE, averaged with them. Not the median: someone who glanced aside for a third of the time would
 * move a median off their resting pose. Null without any pose.
 */
export function restingYaw(readings: readonly (number | null)[]): number | null {
  const ys = readings.filter((y): y is number => y !== null);
  if (ys.length === 0) return null;
  let best: number[] = [];
  for (const y of ys) {
    const near = ys.filter((z) => Math.abs(z - y) <= REST_TOLERANCE);
    if (near.length > best.length) best = near;
  }
  return best.reduce((a, b) => a + b, 0) / best.length;
}

/** Is this frame a good first frame (at rest)? Without a resting pose, any frame with a pose is. */
export const atRest = (yaw: number | null, rest: number | null): boolean => yaw !== null && (rest === null || Math.abs(yaw - rest) <= REST_TOLERANCE);

/**
 * The frames to send, at most 3: the first (rest) frame and the one turned furthest from it, either way (the
 * server, not the browser, tells a wrong-way turn apart). Without any pose reading (no detector in this
 * browser) the first, middle and last frames go, so the server still sees the movement if there was one.
 */
export function framesToSend(frames: readonly CapturedFrame[]): string[] {
  if (frames.length === 0) return [];
  const first = frames[0]!;
  if (first.yaw === null || frames.every((f, i) => i === 0 || f.yaw === null)) {
    const picks = [...new Set([0, Math.floor((frames.length - 1) / 2), frames.length - 1])];
    return picks.map((i) => frames[i]!.jpeg);
  }
  let peak = frames[1] ?? first;
  for (const f of frames.slice(1)) if (f.yaw !== null && (peak.yaw === null || Math.abs(f.yaw - first.yaw) > Math.abs(peak.yaw - first.yaw))) peak = f;
  return peak === first ? [first.jpeg] : [first.jpeg, peak.jpeg];
}

/** Has the head turned far enough from the first frame that capturing can stop early? */
export const turnedEnough = (frames: readonly CapturedFrame[]): boolean => {
  const y0 = frames[0]?.yaw;
  return y0 !== null && y0 !== undefined && frames.some((f) => f.yaw !== null && Math.abs(f.yaw - y0) >= ENOUGH_TURN);
};
