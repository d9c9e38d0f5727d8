// What each part of the monitor's Human pipeline costs per 320×240 frame (Node, wasm, one thread — the worker runs
// the same wasm build): detector only, + mesh, + description, + iris, and the grayscale/occlusion copies. Frames
// are the bench's own scenes (the candidate alone). Prints median/p95 ms per variant.
//   node --import tsx bench/monitor/parts.ts [--frames 40]
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { loadNodeMonitor } from './human-node.ts';
import { faceCrop, frame, otherFaces, room } from '../../e2e/fixtures/monitor-scenes.ts';

const { values: a } = parseArgs({ options: { frames: { type: 'string', default: '40' } } });
const N = Number(a.frames);
const m = await loadNodeMonitor();
const cand = await faceCrop('man1');
const [other] = await otherFaces(async () => [], 1);
const bg = room(3);
const tensors = [];
for (let i = 0; i < N; i++) {
  const jpeg = await frame({ scene: 'alone', sec: i, candidate: cand, other: other!, background: bg, seed: i + 1 });
  const { data, info } = await sharp(jpeg).resize(320, 240, { fit: 'fill' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  tensors.push(m.human.tf.tensor3d(new Uint8Array(data.buffer, data.byteOffset, data.length), [info.height, info.width, 3], 'int32'));
}
const pct = (xs: number[], p: number) => Math.round([...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]! * 10) / 10;
const variants: Record<string, object> = {
  detector: { face: { mesh: { enabled: false }, iris: { enabled: false }, description: { enabled: false } } },
  'detector+mesh': { face: { mesh: { enabled: true }, iris: { enabled: false }, description: { enabled: false } } },
  'detector+description (no mesh)': { face: { mesh: { enabled: false }, iris: { enabled: false }, description: { enabled: true } } },
  'detector+mesh+description': { face: { mesh: { enabled: true }, iris: { enabled: false }, description: { enabled: true } } },
};
const out: Record<string, unknown> = { backend: m.backend };
for (const [name, cfg] of Object.entries(variants)) {
  const ms: number[] = [];
  for (let r = 0; r < 2; r++)
    for (const t of tensors) {
      const t0 = performance.now();
      const res = await m.human.detect(t as never, cfg as never);
      if (r === 1) ms.push(performance.now() - t0);
      void res;
    }
  out[name] = { median: pct(ms, 50), p95: pct(ms, 95), n: ms.length };
  console.error(name, out[name]);
}
console.log(JSON.stringify(out, null, 2));
