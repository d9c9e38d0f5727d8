// Entry point: read config → open adapters (database, blobs, face engine) → buildApp() → listen.
// Backends are chosen here, once; nothing below asks which one it got.
import './boot.ts';
import { loadConfig, ConfigError } from './config.ts';
import { openDatabase, migrate } from './adapters/db/database.ts';
import { createBlobStore } from './adapters/blob/index.ts';
import { HumanFaceEngine } from './adapters/face/human.ts';
import { LazyFaceEngine } from './adapters/face/lazy.ts';
import { buildApp, LISTEN_BACKLOG } from './app.ts';
import { startTimekeeper } from './services/timekeeper.ts';
import { purgeFaceData } from './services/face/purge.ts';
import { features } from './features.ts';
import { startProofWatchdog } from './services/proof/index.ts';
import { startHttps } from './https.ts';

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
  const faceEngine = new LazyFaceEngine(() => HumanFaceEngine.create({ wasmDir: config.faceWasmDir }));
  const app = await buildApp(config, { db, ...features({ blobs, faceEngine, faceSettings, proofSettings, monitoringSettings }) });
  const stopTimekeeper = startTimekeeper(app.ctx, app.realtime, app.log);
  const stopProofWatchdog = startProofWatchdog(app.ctx, proofSettings, app.realtime, app.log);
  let https: Awaited<ReturnType<typeof startHttps>> = null;
  const purgeTimer = setInterval(() => void purgeFaceData(app.ctx, { blobs, settings: faceSettings }).catch((err) => app.log.error({ err }, 'face purge failed')), 6 * 3600_000);
  purgeTimer.unref();
  const close = async () => {
    stopTimekeeper();
    stopProofWatchdog();
    clearInterval(purgeTimer);
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
