// Human's configuration for the in-exam monitor, shared by the Web Worker and bench/monitor (Node) so both run
// the same models the same way. Face detector + mesh (count, pose, occlusion) + faceres description (identity)
// — the models the server ships at /models/. The object detector (centernet, COCO: its 'cell phone' class) is
// optional: it is the costliest model here, so it runs only when asked (`phone`).
import type { Config } from '@vladmandic/human';

export function monitorHumanConfig(o: { modelBasePath: string; wasmPath: string; phone: boolean; wasmPlatformFetch?: boolean }): Partial<Config> {
  return {
    backend: 'wasm',
    modelBasePath: o.modelBasePath,
    wasmPath: o.wasmPath,
    ...(o.wasmPlatformFetch ? { wasmPlatformFetch: true } : {}),
    debug: false,
    warmup: 'none',
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
