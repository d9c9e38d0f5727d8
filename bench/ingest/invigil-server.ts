// The real Invigil server for the bench: main.ts's steps (config → database → blob store → buildApp → listen)
// with the recording routes plugged in, reporting its URL over IPC.
import { loadConfig } from '../../packages/server/src/config.ts';
import { openDatabase, migrate } from '../../packages/server/src/adapters/db/database.ts';
import { createBlobStore } from '../../packages/server/src/adapters/blob/index.ts';
import { buildApp, LISTEN_BACKLOG } from '../../packages/server/src/app.ts';
import { recordingRoutes } from '../../packages/server/src/http/routes/recordings.ts';

const config = loadConfig();
const db = await openDatabase(config.database, { backgroundCheckpoint: true });
await migrate(db.db);
const blobs = await createBlobStore(config.blob);
const app = await buildApp(config, { db, plugins: [(a, ctx) => recordingRoutes(a, ctx, blobs)] });
app.server.keepAliveTimeout = 65_000;
await app.listen({ port: 0, host: '127.0.0.1', backlog: LISTEN_BACKLOG });
process.send?.({ base: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` });
process.on('SIGTERM', async () => {
  await app.close();
  await db.close();
  process.exit(0);
});
