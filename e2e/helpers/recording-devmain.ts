// TEMPORARY (delete when packages/server/src/app.ts registers recordingRoutes): the server's main.ts plus the
// recording routes, so the recording specs can run before the lead wires them. Same config, db and blob store.
import { loadConfig } from '../../packages/server/src/config.ts';
import { openDatabase, migrate } from '../../packages/server/src/adapters/db/database.ts';
import { buildApp } from '../../packages/server/src/app.ts';
import { createBlobStore } from '../../packages/server/src/adapters/blob/index.ts';
import { recordingRoutes } from '../../packages/server/src/http/routes/recordings.ts';

const config = loadConfig();
const db = await openDatabase(config.database);
await migrate(db.db);
const blobs = await createBlobStore(config.blob);
const app = await buildApp(config, { db, plugins: [(a, ctx) => recordingRoutes(a, ctx, blobs)] });
await app.listen({ port: config.port, host: config.host });
