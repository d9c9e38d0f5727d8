// Background work of a server process, started in one place (main.ts): recurring work runs on the job queue,
// once per period across all processes (pg-boss throttles it; on SQLite there is one process), and a run still
// going is never overlapped. Recordings' assembly is a queue of its own (features.ts → assembly-job.ts).
import type { FastifyInstance } from 'fastify';
import type { JobQueue } from './adapters/jobs/port.ts';
import type { BlobStore } from './adapters/blob/port.ts';
import { tick as timekeeperTick } from './services/timekeeper.ts';
import { proofWatchdogTick, type ProofSettings } from './services/proof/index.ts';
import { purgeFaceData } from './services/face/purge.ts';
import { purgeMonitorData } from './services/monitor/purge.ts';
import type { FaceSettings } from './services/face/settings.ts';

export interface BackgroundDeps {
  jobs: JobQueue;
  blobs: BlobStore;
  faceSettings: FaceSettings;
  proofSettings: ProofSettings;
}

export async function scheduleBackgroundJobs(app: FastifyInstance, d: BackgroundDeps): Promise<void> {
  const ctx = app.ctx;
  // Attempts move on the clock (start → answering, end → ended) even when no browser is there.
  await d.jobs.every('timekeeper', 1, async () => void (await timekeeperTick(ctx, app.realtime)));
  // Proof phones gone silent, proof videos past their deadline.
  await d.jobs.every('proof-watchdog', 1, async () => void (await proofWatchdogTick(ctx, d.proofSettings, app.realtime)));
  // Retention of face data (PIPL).
  await d.jobs.every('face-purge', 6 * 3600, async () => void (await purgeFaceData(ctx, { blobs: d.blobs, settings: d.faceSettings })));
  // The monitor's raw per-second scores and the evidence frames no event took, on the same retention.
  await d.jobs.every('monitor-purge', 6 * 3600, async () => void (await purgeMonitorData(ctx, { blobs: d.blobs, retentionDays: d.faceSettings.retentionDays })));
}
