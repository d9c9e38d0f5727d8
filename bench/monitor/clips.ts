// Clips for bench/monitor, built at run time from face images inside npm packages (never committed):
// the candidate = the man in Human's screenshot-facematch.jpg (six photos of him: man0 is his registration photo,
// man1..man5 are the clips' faces), other people = faces found in face-api's demo group photos (sample1..6) plus
// the two women of the facematch screenshot. Frames are 640×480 like a webcam (the page scales them to 320×240):
// a synthetic room, the face pasted at desk distance with a slow drift in position and size, and sensor noise,
// so consecutive frames differ like a live camera's. Scenes: the candidate alone, absent, a second face, another
// person instead, the face half covered (a hand-coloured patch from the nose down), the lens covered.
import path from 'node:path';
import { createRequire } from 'node:module';
import sharp, { type OverlayOptions } from 'sharp';
import { CROPS, type FaceName } from '../../e2e/fixtures/faces.ts';

const require = createRequire(import.meta.url);
const humanRoot = path.resolve(path.dirname(require.resolve('@vladmandic/human')), '..');
const faceApiRoot = path.resolve(path.dirname(require.resolve('@vladmandic/face-api')), '..');
export const FACEMATCH = path.join(humanRoot, 'assets', 'screenshot-facematch.jpg');
export const groupPhoto = (n: number) => path.join(faceApiRoot, 'demo', `sample${n}.jpg`);

export const W = 640;
export const H = 480;

export type Scene = 'alone' | 'absent' | 'second-face' | 'other-person' | 'half-covered' | 'camera-covered';

export interface Face {
  name: string;
  rgb: Buffer;
  w: number;
  h: number;
}

export async function faceCrop(name: FaceName): Promise<Face> {
  const [x, y, w, h] = CROPS[name];
  const rgb = await sharp(FACEMATCH).extract({ left: x, top: y, width: w, height: h }).removeAlpha().raw().toBuffer();
  return { name, rgb, w, h };
}

export async function registrationPhoto(): Promise<Buffer> {
  const [x, y, w, h] = CROPS.man0;
  const crop = await sharp(FACEMATCH).extract({ left: x, top: y, width: w, height: h }).toBuffer();
  return sharp(crop).extend({ left: 171, right: 171, top: 173, bottom: 174, background: { r: 128, g: 128, b: 128 } }).jpeg({ quality: 92 }).toBuffer();
}

/** Faces of other people: boxes found in face-api's group photos (given by the caller's detector) and the two women. */
export async function otherFaces(detect: (jpeg: Buffer) => Promise<Array<[number, number, number, number]>>, max: number): Promise<Face[]> {
  const out: Face[] = [await faceCrop('woman1'), await faceCrop('woman2')];
  for (let n = 1; n <= 6 && out.length < max; n++) {
    const img = await sharp(groupPhoto(n)).resize({ width: 1024 }).jpeg({ quality: 92 }).toBuffer();
    const meta = await sharp(img).metadata();
    for (const [bx, by, bw, bh] of await detect(img)) {
      if (out.length >= max || bh < 70) continue;
      // The box is tight on the face; a webcam crop shows the head: 35 % margin around it.
      const m = 0.35;
      const left = Math.max(0, Math.round(bx - bw * m));
      const top = Math.max(0, Math.round(by - bh * m));
      const width = Math.min(meta.width! - left, Math.round(bw * (1 + 2 * m)));
      const height = Math.min(meta.height! - top, Math.round(bh * (1 + 2 * m)));
      const rgb = await sharp(img).extract({ left, top, width, height }).removeAlpha().raw().toBuffer();
      out.push({ name: `sample${n}@${left},${top}`, rgb, w: width, h: height });
    }
  }
  return out;
}

/** A plain room: a wall with a gradient, a door, a shelf and a desk edge; same for a whole clip (seeded). */
export function room(seed: number): Buffer {
  const rnd = lcg(seed);
  const buf = Buffer.alloc(W * H * 3);
  const wall = [150 + rnd() * 60, 140 + rnd() * 60, 120 + rnd() * 60];
  const rects: Array<[number, number, number, number, number[]]> = [
    [Math.floor(rnd() * 100), 40, 120, 380, [90 + rnd() * 60, 70 + rnd() * 40, 50 + rnd() * 30]],
    [420 + Math.floor(rnd() * 100), 80, 180, 30, [100, 80, 60]],
    [0, 420, W, 60, [60 + rnd() * 40, 50 + rnd() * 30, 40]],
  ];
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      let c = wall.map((v) => v * (0.8 + (0.3 * y) / H));
      for (const [rx, ry, rw, rh, col] of rects) if (x >= rx && x < rx + rw && y >= ry && y < ry + rh) c = col;
      const i = (y * W + x) * 3;
      buf[i] = c[0]!;
      buf[i + 1] = c[1]!;
      buf[i + 2] = c[2]!;
    }
  return buf;
}

function lcg(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

export interface FrameSpec {
  scene: Scene;
  /** Seconds into the clip: the drift of position and size follows it. */
  sec: number;
  candidate: Face;
  other: Face;
  background: Buffer;
  seed: number;
}

/** One 640×480 JPEG frame of a scene. */
export async function frame(f: FrameSpec): Promise<Buffer> {
  const rnd = lcg(f.seed);
  if (f.scene === 'camera-covered') {
    // A finger on the lens: dark, nearly uniform, a little sensor noise.
    const buf = Buffer.alloc(W * H * 3);
    const base = 6 + rnd() * 10;
    for (let i = 0; i < buf.length; i++) buf[i] = Math.max(0, base + (rnd() - 0.5) * 6);
    return sharp(buf, { raw: { width: W, height: H, channels: 3 } }).jpeg({ quality: 80 }).toBuffer();
  }
  const layers: OverlayOptions[] = [];
  // Desk distance: the head is ~45 % of the frame height, drifting a few px and a few % in size.
  const put = async (face: Face, heightShare: number, cx: number, cy: number, cover: boolean) => {
    const h = Math.round(H * heightShare * (1 + 0.04 * Math.sin(f.sec / 7)));
    const w = Math.round((face.w / face.h) * h);
    let img = sharp(face.rgb, { raw: { width: face.w, height: face.h, channels: 3 } }).resize(w, h);
    if (cover) {
      // A hand over nose, mouth and chin: skin colour with a little texture, from 50 % of the height down.
      const ph = Math.round(h * 0.5);
      const patch = Buffer.alloc(w * ph * 3);
      for (let i = 0; i < w * ph; i++) {
        const n = (rnd() - 0.5) * 16;
        patch[i * 3] = 205 + n;
        patch[i * 3 + 1] = 160 + n;
        patch[i * 3 + 2] = 135 + n;
      }
      const base = await img.removeAlpha().raw().toBuffer();
      img = sharp(base, { raw: { width: w, height: h, channels: 3 } }).composite([{ input: patch, raw: { width: w, height: ph, channels: 3 }, left: 0, top: h - ph }]);
    }
    const input = await img.png().toBuffer();
    const left = Math.round(cx - w / 2 + 12 * Math.sin(f.sec / 5) + (rnd() - 0.5) * 4);
    const top = Math.round(cy - h / 2 + 6 * Math.sin(f.sec / 3) + (rnd() - 0.5) * 4);
    layers.push({ input, left: clamp(left, 0, W - w), top: clamp(top, 0, H - h) });
  };
  if (f.scene === 'alone' || f.scene === 'half-covered' || f.scene === 'second-face') await put(f.candidate, 0.45, W / 2, H / 2 + 10, f.scene === 'half-covered');
  if (f.scene === 'other-person') await put(f.other, 0.45, W / 2, H / 2 + 10, false);
  if (f.scene === 'second-face') await put(f.other, 0.3, W * 0.85, H * 0.35, false);
  const composed = await sharp(f.background, { raw: { width: W, height: H, channels: 3 } }).composite(layers).removeAlpha().raw().toBuffer();
  // Sensor noise and a little exposure flicker, so no two frames are identical (as from a live camera).
  const gain = 1 + (rnd() - 0.5) * 0.04;
  for (let i = 0; i < composed.length; i++) composed[i] = clamp(Math.round(composed[i]! * gain + (rnd() - 0.5) * 8), 0, 255);
  return sharp(composed, { raw: { width: W, height: H, channels: 3 } }).jpeg({ quality: 85 }).toBuffer();
}

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));
