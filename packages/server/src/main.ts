// Entry point: read config → open adapters (database, blobs, face engine) → buildApp() → listen.
// Backends are chosen here, once; nothing below asks which one it got.
import './boot.ts';
import { loadConfig, ConfigError } from './config.ts';
import { openDatabase, migrate } from './adapters/db/database.ts';
import { createBlobStore } from './adapters/blob/index.ts';
import { HumanFaceEngine } from './adapters/face/human.ts';
import { LazyFaceEngine } from './adapters/face/lazy.ts';
import { buildApp, LISTEN_BACKLOG } from './app.ts';
import { features } from './features.ts';
import { createJobQueue } from './adapters/jobs/index.ts';
import { scheduleBackgroundJobs } from './background.ts';
import { startHttps } from './https.ts';
import { installProcessGuard } from './process-guard.ts';
import { startAuditAnchors } from './services/audit-anchors.ts';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const db = await openDatabase(config.database, { backgroundCheckpoint: true });
  await migrate(db.db);
  const blobs = await createBlobStore(config.blob);
  const { face: faceSettings, proof: proofSettings, monitoring: monitoringSettings } = config;
  const faceEngine = new LazyFaceEngine(() => HumanFaceEngine.create({ wasmDir: config.faceWasmDir, workers: config.faceWorkers ?? undefined }));
  // Background work runs on one job queue: pg-boss beside PostgreSQL, the in-process queue beside SQLite.
  const jobs = await createJobQueue(db, config.database.kind === 'postgres' ? config.database.url : null, { error: (o, m) => console.error(m, o) });
  const app = await buildApp(config, { db, ...features({ blobs, faceEngine, faceSettings, proofSettings, monitoringSettings, jobs }) });
  await scheduleBackgroundJobs(app, { jobs, blobs, faceSettings, proofSettings });
  await jobs.start();
  installProcessGuard(app.log);
  const stopAnchors = startAuditAnchors(app.ctx, app.log);
  let https: Awaited<ReturnType<typeof startHttps>> = null;
  const close = async () => {
    stopAnchors();
    await jobs.stop();
    await https?.close();
    await app.close();
    await faceEngine.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', close);
  process.on('SIGTERM', close);
  await app.listen({ port: config.port, host: config.host, backlog: LISTEN_BACKLOG });
  const base = config.publicUrl ?? `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  app.log.info({ base, db: db.kind, blob: config.blob.kind }, 'Invigil is listening');
  https = await startHttps(app, config);
  if (https) app.log.info({ url: https.url, ca: https.caCertFile }, 'HTTPS (self-signed) listening: phones scan this address');
  if (process.send) process.send({ ready: true, base });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
