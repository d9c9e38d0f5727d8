// TEMPORARY (delete once main.ts wires the proof camera — see the phone issue's note to the lead): the server's
// main.ts plus the recording routes, the proof routes, the proof entry gate, the proof watchdog and HTTPS, so the
// phone specs can run before the wiring lands. The recording routes are added only while app.ts lacks them.
import fs from 'node:fs';
import { loadConfig } from '../../packages/server/src/config.ts';
import { openDatabase, migrate } from '../../packages/server/src/adapters/db/database.ts';
import { buildApp } from '../../packages/server/src/app.ts';
import { createBlobStore } from '../../packages/server/src/adapters/blob/index.ts';
import { recordingRoutes } from '../../packages/server/src/http/routes/recordings.ts';
import { proofRoutes } from '../../packages/server/src/http/routes/proof.ts';
import { proofGate, proofSettingsFromEnv, startProofWatchdog } from '../../packages/server/src/services/proof/index.ts';
import { startTimekeeper } from '../../packages/server/src/services/timekeeper.ts';
import { startHttps } from '../../packages/server/src/https.ts';

const config = loadConfig();
const db = await openDatabase(config.database);
await migrate(db.db);
const blobs = await createBlobStore(config.blob);
const settings = proofSettingsFromEnv();
const appWiresRecordings = fs.readFileSync(new URL('../../packages/server/src/app.ts', import.meta.url), 'utf8').includes('recordingRoutes');
const app = await buildApp(config, {
  db,
  entryGates: [proofGate(settings)],
  plugins: [
    ...(appWiresRecordings ? [] : [(a: Parameters<typeof recordingRoutes>[0], ctx: Parameters<typeof recordingRoutes>[1]) => recordingRoutes(a, ctx, blobs)]),
    (a, ctx) => proofRoutes(a, ctx, { bus: a.realtime, settings }),
  ],
});
startTimekeeper(app.ctx, app.realtime, app.log);
startProofWatchdog(app.ctx, settings, app.realtime, app.log);
await app.listen({ port: config.port, host: config.host });
await startHttps(app, config);
