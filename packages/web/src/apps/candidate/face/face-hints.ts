// Quality hints while the candidate lines up for face login: too dark, too far, several faces, no face.
// Advisory only — the server decides on the frames it is sent, so nothing here can make a login pass or fail.
// Brightness comes from a small canvas; faces from @vladmandic/human's detector and face mesh (blazeface +
// facemesh, ~3 MB; the mesh gives the head's yaw, so the capture can pick the frames that show the challenge's
// turn — the server measures the turn again and decides), loaded lazily from our own server (/models/, wasm from /models/wasm/), never from a CDN. If Human cannot load
// (old browser, blocked wasm), the hints fall back to brightness alone and the candidate can still go on.
import type { Human } from '@vladmandic/human';
import { monitorHumanConfig } from '../../../face-monitor/human-config.ts';

export type FaceHint = 'loading' | 'too-dark' | 'too-bright' | 'no-face' | 'several-faces' | 'too-far' | 'too-close' | 'off-centre' | 'good' | 'basic';

/** A detected face box in video pixels: [x, y, width, height]. */
export type Box = [number, number, number, number];

export interface FrameReading {
  /** Mean luma 0–255 of the whole picture. */
  luma: number;
  /** Faces found, or null when no detector is available (brightness only). */
  faces: Box[] | null;
  /** Head yaw (radians, Human's sign) of the single face; null with no face, several, or no mesh. */
  yaw: number | null;
  width: number;
  height: number;
}

// Thresholds picked for a 640×480 webcam: a face narrower than a fifth of the width is too small for a
// reliable comparison; the registered photos are frontal and close.
const DARK = 55;
const BRIGHT = 225;
const MIN_FACE_SHARE = 0.2;
const MAX_FACE_SHARE = 0.75;
const MAX_OFFSET_SHARE = 0.22;

/** The single most useful hint for one frame: light first (it spoils detection), then the faces. */
export function judgeFrame(r: FrameReading): FaceHint {
  if (r.luma < DARK) return 'too-dark';
  if (r.luma > BRIGHT) return 'too-bright';
  if (r.faces === null) return 'basic';
  if (r.faces.length === 0) return 'no-face';
  if (r.faces.length > 1) return 'several-faces';
  const [x, y, w, h] = r.faces[0]!;
  const share = w / r.width;
  if (share < MIN_FACE_SHARE) return 'too-far';
  if (share > MAX_FACE_SHARE) return 'too-close';
  const dx = Math.abs(x + w / 2 - r.width / 2) / r.width;
  const dy = Math.abs(y + h / 2 - r.height / 2) / r.height;
  if (dx > MAX_OFFSET_SHARE || dy > MAX_OFFSET_SHARE) return 'off-centre';
  return 'good';
}

const LOAD_TIMEOUT_MS = 20_000;
let humanLoad: Promise<Human | null> | null = null;

/** Human with the face detector only, loaded once per page; null when it cannot run here. */
export function loadDetector(): Promise<Human | null> {
  humanLoad ??= (async () => {
    try {
      const { Human } = await import('@vladmandic/human');
      // The monitor's configuration (same models, no caching between frames: a second face that just walked in
      // must not hide behind the last box), without the face description: hints need only count, pose and size.
      const base = monitorHumanConfig({ modelBasePath: '/models/', wasmPath: '/models/wasm/', phone: false });
      const human = new Human({ ...base, warmup: 'none', face: { ...base.face, description: { enabled: false } } });
      // A load that stalls (a proxy holding the wasm) must not leave the candidate on "preparing" forever.
      await Promise.race([human.load(), new Promise((_, reject) => setTimeout(() => reject(new Error('detector load timed out')), LOAD_TIMEOUT_MS))]);
      return human;
    } catch {
      return null;
    }
  })();
  return humanLoad;
}

const SAMPLE_W = 64;
const SAMPLE_H = 48;

export function meanLuma(video: HTMLVideoElement, canvas: HTMLCanvasElement): number {
  canvas.width = SAMPLE_W;
  canvas.height = SAMPLE_H;
  const g = canvas.getContext('2d', { willReadFrequently: true })!;
  g.drawImage(video, 0, 0, SAMPLE_W, SAMPLE_H);
  const px = g.getImageData(0, 0, SAMPLE_W, SAMPLE_H).data;
  let sum = 0;
  for (let i = 0; i < px.length; i += 4) sum += 0.299 * px[i]! + 0.587 * px[i + 1]! + 0.114 * px[i + 2]!;
  return sum / (SAMPLE_W * SAMPLE_H);
}

type Detected = { faces: Box[] | null; yaw: number | null };

async function detect(human: Human | null, input: HTMLVideoElement | HTMLCanvasElement): Promise<Detected> {
  if (!human) return { faces: null, yaw: null };
  try {
    const res = await human.detect(input);
    const yaw = res.face.length === 1 ? (res.face[0]!.rotation?.angle.yaw ?? null) : null;
    return { faces: res.face.map((f) => f.box as Box), yaw: Number.isFinite(yaw) ? yaw : null };
  } catch {
    return { faces: null, yaw: null };
  }
}

/** Reads one frame of the playing video: brightness always, faces when the detector is loaded. */
export async function readFrame(video: HTMLVideoElement, canvas: HTMLCanvasElement, human: Human | null): Promise<FrameReading | null> {
  if (!video.videoWidth || video.readyState < 2) return null;
  const luma = meanLuma(video, canvas);
  return { luma, ...(await detect(human, video)), width: video.videoWidth, height: video.videoHeight };
}

/** One captured frame: the JPEG the server gets and the yaw the browser read from the very same pixels. */
export interface CapturedFrame {
  jpeg: string;
  yaw: number | null;
}

export async function captureWithPose(video: HTMLVideoElement, canvas: HTMLCanvasElement, human: Human | null): Promise<CapturedFrame> {
  const jpeg = captureJpeg(video, canvas);
  return { jpeg, yaw: (await detect(human, canvas)).yaw };
}

/** A JPEG of the current frame as base64 (no data: prefix), unmirrored: what the server compares. */
export function captureJpeg(video: HTMLVideoElement, canvas: HTMLCanvasElement, quality = 0.88): string {
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext('2d')!.drawImage(video, 0, 0);
  return canvas.toDataURL('image/jpeg', quality).split(',')[1]!;
}
