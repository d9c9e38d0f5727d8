// 013_recording_tally: each recording's stored segments as running totals (count, bytes, ms, highest seq). A database that already holds
// recordings gets them backfilled from its segments; from then on the trigger adds every stored segment — and only
// those: a re-sent duplicate (ON CONFLICT DO NOTHING) or a segment refused by the insert's own conditions adds
// nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Migrator, sql, type MigrationProvider } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { openDatabase, type OpenedDb } from '../src/adapters/db/database.ts';
import { migrations } from '../src/adapters/db/migrations/index.ts';
import { loadConfig } from '../src/config.ts';
import { systemClock, type Ctx } from '../src/services/context.ts';
import { seedDemo } from '../src/services/demo.ts';
import { dashboard } from '../src/services/dashboard.ts';
import { uploadTally } from '../src/services/recordings/quota.ts';
import { recordingsStatus } from '../src/services/recordings/status.ts';

let opened: OpenedDb | null = null;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'invigil-m013-'));
afterEach(async () => {
  await opened?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('backfills the totals of recordings stored before it, then counts each stored segment once', async () => {
  opened = await openDatabase({ kind: 'sqlite', file: path.join(dir, 'old.db') });
  const db = opened.db;
  const provider: MigrationProvider = { getMigrations: async () => migrations };
  const migrator = new Migrator({ db, provider });
  expect((await migrator.migrateTo('012_run_start')).error).toBeUndefined();
  const ctx: Ctx = { db, dbKind: 'sqlite', config: loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' }), clock: systemClock };
  const demo = await seedDemo(ctx, { startsInSec: 60, durationSec: 600, candidates: 2, kind: 'real', face: false, proof: false, baseUrl: 'http://x' });
  // Two attempts; the first has a camera recording of three segments, the second a screen recording of none.
  await sql`INSERT INTO attempts (id, candidate_id, session_id, status, logged_in_at, entered_at)
            SELECT 'a-' || ticket, id, session_id, 'answering', 1, 2 FROM candidates WHERE session_id = ${demo.sessionId}`.execute(db);
  const [a1, a2] = (await sql<{ id: string }>`SELECT id FROM attempts ORDER BY id`.execute(db)).rows.map((r) => r.id);
  await sql`INSERT INTO recordings (id, attempt_id, stream, mime_type, status, created_at) VALUES ('r1', ${a1}, 'camera', 'video/webm', 'uploading', 1), ('r2', ${a2}, 'screen', 'video/webm', 'uploading', 1)`.execute(
    db,
  );
  const segment = (seq: number, bytes: number) =>
    sql`INSERT INTO segments (recording_id, seq, run, sha256, bytes, blob_ref, recorded_at, duration_ms, received_at) VALUES ('r1', ${seq}, 0, 'h', ${bytes}, 'ref', 1, 3000, 1) ON CONFLICT (recording_id, seq) DO NOTHING`;
  for (const [seq, bytes] of [
    [0, 1000],
    [1, 2000],
    [2, 3000],
  ] as const)
    await segment(seq, bytes).execute(db);

  expect((await migrator.migrateToLatest()).error).toBeUndefined();
  const totals = async () =>
    (await db.selectFrom('recordings').select(['id', 'bytes_stored', 'segments_stored', 'ms_stored', 'max_seq_stored']).orderBy('id').execute()).map((r) => [
      r.id,
      Number(r.bytes_stored),
      Number(r.segments_stored),
      Number(r.ms_stored),
      r.max_seq_stored,
    ]);
  expect(await totals()).toEqual([
    ['r1', 6000, 3, 9000, 2],
    ['r2', 0, 0, 0, null],
  ]);

  await segment(3, 500).execute(db); // stored
  await segment(1, 9999).execute(db); // the same seq again: nothing stored, nothing counted
  expect(await totals()).toEqual([
    ['r1', 6500, 4, 12000, 3],
    ['r2', 0, 0, 0, null],
  ]);
  // The readers: the upload quota per attempt and the session dashboard's bytes.
  expect(await uploadTally(ctx, a1!)).toMatchObject({ bytes: 6500, segments: 4 });
  expect((await dashboard(ctx, demo.sessionId)).upload.bytes).toBe(6500);
  // The support view's table: a hole (seq 5 before 4) is still named from the segments themselves.
  await segment(5, 100).execute(db);
  const rows = (await recordingsStatus(ctx, demo.sessionId)).rows.filter((r) => r.recordingId);
  expect(rows.map((r) => [r.recordingId, r.segments, r.bytes, r.seconds, r.missingSeqs, r.status])).toEqual([
    ['r1', 5, 6600, 15, [4], 'uploading'],
    ['r2', 0, 0, 0, [], 'missing'],
  ]);
});
