// Human in this Node process for bench/monitor, configured exactly as the browser monitor's worker
// (packages/web/src/face-monitor/human-config.ts) and fed 320×240 frames, whose results go through the worker's
// own analysis (analysis.ts). Loading follows packages/server/src/adapters/face/human-worker.mjs: the browser
// bundle (human.esm.js, tfjs wasm inside) with a private origin answered from disk, since Node's fetch cannot
// read file://.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import type { Human } from '@vladmandic/human';
import { locateHumanAssets } from '../../packages/server/src/adapters/face/human.ts';
import { monitorHumanConfig, passConfig } from '../../packages/web/src/face-monitor/human-config.ts';
import { FACE_GRAY, GRAY_H, GRAY_W, IdentityPlan, ReferenceBuilder, analyseFrame, toGray, type FaceLike, type FrameAnalysis, type ObjectLike } from '../../packages/web/src/face-monitor/analysis.ts';
import type { MonitorSample } from '@invigil/contracts';

const ORIGIN = 'http://invigil-monitor.local/';

export interface NodeMonitor {
  human: Human;
  backend: string;
  /** Descriptor of the largest face in an image (the registration photo), or null. */
  descriptor(jpeg: Buffer): Promise<number[] | null>;
  /**
   * One frame (any image; scaled to 320×240 like the page's grab) → the worker's sample (analyseFrame, with the
   * worker's IdentityPlan: `plan` and `reference` carry over between frames of one clip), and Human's ms.
   */
  analyse(frame: Buffer, t: number, reference: ReferenceBuilder, plan: IdentityPlan): Promise<FrameAnalysis & { sample: MonitorSample; ms: number }>;
  /** Human alone on one frame, every model of the monitor (the plan's full pass). */
  detectAll(frame: Buffer): Promise<{ faces: FaceLike[]; ms: number; faceGray: Uint8Array | null }>;
  resetMotion(): void;
}

export async function loadNodeMonitor(o: { phone?: boolean } = {}): Promise<NodeMonitor> {
  const assets = locateHumanAssets();
  if (!assets.wasmDir) throw new Error('bench/monitor needs @tensorflow/tfjs-backend-wasm (or FACE_WASM_DIR)');
  (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope ??= class WorkerGlobalScope {};
  (globalThis as { __dirname?: string }).__dirname ??= '/';
  const realFetch = globalThis.fetch;
  globalThis.fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    const u = String(url);
    if (!u.startsWith(ORIGIN)) return realFetch(url, init);
    const rel = decodeURIComponent(u.slice(ORIGIN.length));
    const [root, name] = rel.startsWith('wasm/') ? [assets.wasmDir!, rel.slice(5)] : [assets.modelsDir, rel];
    const file = path.resolve(root, name);
    if (!file.startsWith(path.resolve(root) + path.sep) || !fs.existsSync(file)) return new Response('not found', { status: 404 });
    const type = file.endsWith('.json') ? 'application/json' : file.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream';
    return new Response(await fs.promises.readFile(file), { status: 200, headers: { 'content-type': type } });
  }) as typeof fetch;
  const { Human } = (await import(pathToFileURL(assets.humanEsm).href)) as typeof import('@vladmandic/human');
  const human = new Human(monitorHumanConfig({ modelBasePath: ORIGIN, wasmPath: `${ORIGIN}wasm/`, wasmPlatformFetch: true, phone: !!o.phone }));
  const { log, warn, error } = console;
  console.log = console.warn = console.error = () => {};
  try {
    await human.load();
  } finally {
    Object.assign(console, { log, warn, error });
  }
  let prevGray: Uint8Array | null = null;

  const phone = !!o.phone;
  async function detect(img: Buffer, w?: number, h?: number) {
    const pipeline = w && h ? sharp(img).resize(w, h, { fit: 'fill' }) : sharp(img);
    const { data, info } = await pipeline.removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const tensor = human.tf.tensor3d(new Uint8Array(data.buffer, data.byteOffset, data.length), [info.height, info.width, 3], 'int32');
    const started = performance.now();
    try {
      const res = await human.detect(tensor as never, passConfig(true, phone));
      return { res, ms: performance.now() - started, height: info.height };
    } finally {
      human.tf.dispose(tensor);
    }
  }

  /** The same crop the worker draws: the box in the 320×240 frame, scaled to FACE_GRAY². */
  async function cropGray(small: Buffer, box: [number, number, number, number]): Promise<Uint8Array> {
    const [bx, by, bw, bh] = box.map(Math.round) as [number, number, number, number];
    const left = Math.max(0, Math.min(319, bx));
    const top = Math.max(0, Math.min(239, by));
    const region = { left, top, width: Math.max(1, Math.min(320 - left, bw)), height: Math.max(1, Math.min(240 - top, bh)) };
    const fg = await sharp(small, { raw: { width: 320, height: 240, channels: 3 } })
      .extract(region)
      .resize(FACE_GRAY, FACE_GRAY, { fit: 'fill' })
      .ensureAlpha()
      .raw()
      .toBuffer();
    return toGray(new Uint8Array(fg.buffer, fg.byteOffset, fg.length), FACE_GRAY, FACE_GRAY);
  }

  return {
    human,
    backend: human.tf.getBackend(),
    async descriptor(jpeg) {
      const { res } = await detect(jpeg);
      const faces = res.face as unknown as FaceLike[];
      const main = faces.sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3])[0];
      return main?.embedding?.length ? [...main.embedding] : null;
    },
    async analyse(frame, t, reference, plan) {
      const small = await sharp(frame).resize(320, 240, { fit: 'fill' }).removeAlpha().raw().toBuffer();
      const tensor = human.tf.tensor3d(new Uint8Array(small.buffer, small.byteOffset, small.length), [240, 320, 3], 'int32');
      const { data } = await sharp(frame).resize(GRAY_W, GRAY_H, { fit: 'fill' }).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      const gray = toGray(new Uint8Array(data.buffer, data.byteOffset, data.length), GRAY_W, GRAY_H);
      try {
        const r = await analyseFrame(
          {
            async detect(full) {
              const res = await human.detect(tensor as never, passConfig(full, phone && !full));
              return { faces: res.face as unknown as FaceLike[], objects: phone ? (res.object as unknown as ObjectLike[]) : null };
            },
            faceGray: (box) => cropGray(small, box),
          },
          { t, frameHeight: 240, gray, prevGray, reference, plan, now: () => performance.now() },
        );
        prevGray = gray;
        return { ...r, ms: r.parts.light + r.parts.full };
      } finally {
        human.tf.dispose(tensor);
      }
    },
    async detectAll(frame) {
      const { res, ms } = await detect(frame, 320, 240);
      const faces = res.face as unknown as FaceLike[];
      const small = await sharp(frame).resize(320, 240, { fit: 'fill' }).removeAlpha().raw().toBuffer();
      const main = faces.filter((f) => f.box[3] >= 0.06 * 240).sort((a, b) => b.box[2] * b.box[3] - a.box[2] * a.box[3])[0];
      return { faces, ms, faceGray: main ? await cropGray(small, main.box) : null };
    },
    resetMotion() {
      prevGray = null;
    },
  };
}
