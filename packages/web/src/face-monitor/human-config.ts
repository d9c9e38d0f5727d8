// Human's configuration for the in-exam monitor, shared by the Web Worker and bench/monitor (Node) so both run
// the same models the same way. Face detector + mesh (count, pose, occlusion) on every frame, faceres description
// (identity) only on the frames IdentityPlan picks (analysis.ts; `passConfig`) — the models the server ships at
// /models/. Everything else Human has (body, hand, gesture, emotion, iris, anti-spoof, liveness, segmentation,
// filters) is off. The object detector (centernet, COCO: its 'cell phone' class) is
// optional: it is the costliest model here, so it runs only when asked (`phone`).
import type { Config } from '@vladmandic/human';

export function monitorHumanConfig(o: { modelBasePath: string; wasmPath: string; phone: boolean; wasmPlatformFetch?: boolean }): Partial<Config> {
  return {
    backend: 'wasm',
    modelBasePath: o.modelBasePath,
    wasmPath: o.wasmPath,
    ...(o.wasmPlatformFetch ? { wasmPlatformFetch: true } : {}),
    debug: false,
    // The worker warms up once itself (human.warmup) with this; Node's bench does not need it.
    warmup: 'face',
    // Every analysed frame is ~0.5–1 s after the previous one: no reuse of the last boxes (a second face walking in
    // would be hidden by the cache).
    cacheSensitivity: 0,
    face: {
      enabled: true,
      detector: { enabled: true, rotation: false, maxDetected: 5, minConfidence: 0.5, return: false, skipFrames: 0, skipTime: 0 },
      mesh: { enabled: true },
      iris: { enabled: false },
      description: { enabled: true, skipFrames: 0, skipTime: 0 },
      emotion: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
      attention: { enabled: false },
    },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: o.phone, modelPath: 'centernet.json', minConfidence: 0.3, maxDetected: 10, skipFrames: 0, skipTime: 0 },
    gesture: { enabled: false },
    segmentation: { enabled: false },
    filter: { enabled: false },
  } as Partial<Config>;
}

/**
 * Per-call overrides for one pass over a frame (Human merges them into its config): light = detector + mesh;
 * full = + description. The object detector runs in the first pass only.
 */
export function passConfig(full: boolean, objects: boolean): Partial<Config> {
  return { face: { mesh: { enabled: true }, iris: { enabled: false }, description: { enabled: full } }, object: { enabled: objects } } as Partial<Config>;
}
