// Entry point: read config → open adapters → buildApp() → listen.
import { loadConfig, ConfigError } from './config.ts';
import { openDatabase, migrate } from './adapters/db/database.ts';
import { buildApp } from './app.ts';
import { startTimekeeper } from './services/timekeeper.ts';

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
  const db = await openDatabase(config.database);
  await migrate(db.db);
  const app = await buildApp(config, { db });
  const stopTimekeeper = startTimekeeper(app.ctx, app.realtime, app.log);
  const close = async () => {
    stopTimekeeper();
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', close);
  process.on('SIGTERM', close);
  await app.listen({ port: config.port, host: config.host });
  const base = config.publicUrl ?? `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  app.log.info({ base, db: db.kind, blob: config.blob.kind }, 'Invigil is listening');
  if (process.send) process.send({ ready: true, base });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
