// Bench child: the real Invigil app (socket.io + live monitoring handlers) on a temp SQLite database, seeded with
// N candidates in rooms of `PER_ROOM`, one proctor per room, and session tokens made directly in the database
// (logging 1,000 candidates in through the API would measure argon2 and login, not realtime). Reports over IPC.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../packages/server/src/config.ts';
import { openDatabase, migrate } from '../../packages/server/src/adapters/db/database.ts';
import { buildApp } from '../../packages/server/src/app.ts';
import { seedDemo } from '../../packages/server/src/services/demo.ts';
import { monitoringSocketHandler } from '../../packages/server/src/realtime/monitoring.ts';
import { defaultMonitoringSettings } from '../../packages/server/src/services/monitoring/index.ts';
import { attemptRow } from '../../packages/server/src/adapters/db/rows.ts';

const N = Number(process.env.BENCH_CANDIDATES ?? 1000);
const PER_ROOM = Number(process.env.BENCH_PER_ROOM ?? 30);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'invigil-rt-bench-'));
const config = loadConfig({ LOG_LEVEL: 'warn', DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1' });
const db = await openDatabase({ kind: 'sqlite', file: path.join(dir, 'bench.db') });
await migrate(db.db);
// Thumbnails every few seconds per candidate: the 1 s floor is the production default.
const app = await buildApp(config, { db, socketHandlers: [monitoringSocketHandler(defaultMonitoringSettings())] });
// The demo gives the exam and session; the N candidates are inserted here (the demo's generator has fewer
// distinct ID numbers than a bench needs).
const demo = await seedDemo(app.ctx, { startsInSec: 600, durationSec: 3600, candidates: 1, kind: 'real', face: false, proof: false, baseUrl: 'http://bench' });
await db.db.transaction().execute(async (trx) => {
  for (let i = 1; i < N; i++)
    await trx
      .insertInto('candidates')
      .values({
        id: randomUUID(),
        session_id: demo.sessionId,
        room_id: null,
        panel_id: null,
        name: `考生${i}`,
        id_number: `BENCH${String(i).padStart(8, '0')}`,
        ticket: `B${String(i).padStart(6, '0')}`,
        anonymous_number: `A${i}`,
        photo_key: null,
        created_at: Date.now(),
      })
      .execute();
});

const now = Date.now();
const token = () => randomBytes(24).toString('base64url');
const idOf = (t: string) => createHash('sha256').update(t).digest('hex');
const candidates = await db.db.selectFrom('candidates').select(['id']).where('session_id', '=', demo.sessionId).orderBy('ticket').execute();
const rooms: string[] = [];
const proctors: string[] = [];
for (let r = 0; r * PER_ROOM < candidates.length; r++) {
  const roomId = randomUUID();
  const userId = randomUUID();
  const t = token();
  await db.db
    .insertInto('rooms')
    .values({ id: roomId, session_id: demo.sessionId, name: `考场${r + 1}` })
    .execute();
  await db.db
    .insertInto('users')
    .values({ id: userId, username: `bench-proctor-${r}`, display_name: `监考${r + 1}`, role: 'proctor', password_hash: 'x', disabled: 0, created_at: now })
    .execute();
  await db.db.insertInto('room_proctors').values({ room_id: roomId, user_id: userId }).execute();
  await db.db
    .insertInto('auth_sessions')
    .values({ id: idOf(t), kind: 'staff', user_id: userId, candidate_id: null, attempt_id: null, client_id: null, created_at: now, expires_at: now + 86400_000, last_seen_at: now })
    .execute();
  rooms.push(roomId);
  proctors.push(t);
}
const tokens: Array<{ token: string; room: number; attemptId: string }> = [];
await db.db.transaction().execute(async (trx) => {
  for (const [i, c] of candidates.entries()) {
    const attemptId = randomUUID();
    const t = token();
    const room = Math.floor(i / PER_ROOM);
    await trx.updateTable('candidates').set({ room_id: rooms[room]! }).where('id', '=', c.id).execute();
    await trx
      .insertInto('attempts')
      .values(
        attemptRow({
          id: attemptId,
          candidate_id: c.id,
          session_id: demo.sessionId,
          status: 'waiting',
          logged_in_at: now,
          entered_at: now,
          waiting_at: now,
          live_client_id: `bench-${i}`,
          live_seen_at: now,
        }),
      )
      .execute();
    await trx
      .insertInto('auth_sessions')
      .values({ id: idOf(t), kind: 'candidate', user_id: null, candidate_id: c.id, attempt_id: attemptId, client_id: `bench-${i}`, created_at: now, expires_at: now + 86400_000, last_seen_at: now })
      .execute();
    tokens.push({ token: t, room, attemptId });
  }
});
await app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
process.send!({ base, sessionId: demo.sessionId, proctors, candidates: tokens });
process.on('SIGTERM', () => {
  void app
    .close()
    .then(() => db.close())
    .finally(() => {
      fs.rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
});
