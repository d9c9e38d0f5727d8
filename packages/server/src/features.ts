// Every feature's routes, entry gates and socket handlers, composed in one place for main.ts and for the
// integration tests — so the auth matrix covers exactly the routes production serves.
import type { Deps } from './app.ts';
import type { BlobStore } from './adapters/blob/port.ts';
import type { FaceEngine } from './adapters/face/port.ts';
import type { FaceSettings } from './services/face/settings.ts';
import { recordingRoutes } from './http/routes/recordings.ts';
import { faceRoutes } from './http/routes/face.ts';
import { faceEntryGate } from './services/face/login.ts';
import { proofRoutes } from './http/routes/proof.ts';
import { proofGate, type ProofSettings } from './services/proof/index.ts';
import { monitoringRoutes } from './http/routes/monitoring.ts';
import { monitoringSocketHandler, socketSnapshots } from './realtime/monitoring.ts';
import { phoneSocketHandler } from './realtime/phone.ts';
import { EvidenceCollector, type MonitoringSettings } from './services/monitoring/index.ts';
import type { JobQueue } from './adapters/jobs/port.ts';
import { startAssembly } from './services/recordings/assembly-job.ts';
import { mockTestRoutes } from './http/routes/mock-tests.ts';
import { reviewRoutes } from './http/routes/review.ts';
import { reviewAdminRoutes } from './http/routes/review-admin.ts';
import { monitorRoutes } from './http/routes/monitor.ts';

export interface FeatureAdapters {
  blobs: BlobStore;
  faceEngine: FaceEngine;
  faceSettings: FaceSettings;
  proofSettings: ProofSettings;
  monitoringSettings: MonitoringSettings;
  /** The job queue (main.ts: pg-boss on PostgreSQL, in-process on SQLite); recordings are assembled on it. */
  jobs?: JobQueue;
}

export function features(a: FeatureAdapters): Pick<Deps, 'plugins' | 'entryGates' | 'socketHandlers'> {
  return {
    // Order matters for candidates: face login comes before the proof camera, as in the seed.
    entryGates: [faceEntryGate, proofGate(a.proofSettings)],
    socketHandlers: [phoneSocketHandler, monitoringSocketHandler(a.monitoringSettings)],
    plugins: [
      (app, ctx) => recordingRoutes(app, ctx, a.blobs),
      async (app, ctx) => {
        if (a.jobs) await startAssembly(ctx, a.jobs, a.blobs, { concurrency: ctx.config.assemblyConcurrency, log: app.log });
      },
      (app, ctx) => proofRoutes(app, ctx, { bus: app.realtime, settings: a.proofSettings }),
      (app, ctx) => monitoringRoutes(app, ctx, { blobs: a.blobs }),
      (app, ctx) => monitorRoutes(app, ctx, { blobs: a.blobs }),
      (app, ctx) => mockTestRoutes(app, ctx, { blobs: a.blobs }),
      (app, ctx) => reviewRoutes(app, ctx, a.blobs),
      (app, ctx) => reviewAdminRoutes(app, ctx),
      // A background job, not a route: asks the candidate's desktop for a frame when a flag wants evidence.
      async (app, ctx) => {
        const stop = new EvidenceCollector(ctx, a.blobs, socketSnapshots(app.realtime.io)).start(app.log);
        app.addHook('onClose', async () => stop());
      },
      (app, ctx) => faceRoutes(app, ctx, { blobs: a.blobs, engine: a.faceEngine, settings: a.faceSettings }),
    ],
  };
}
