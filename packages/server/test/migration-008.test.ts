// 008_mock rebuilds SQLite's attempts table to drop the one-attempt-per-candidate UNIQUE: on a database that
// already holds attempts with children (events, document reads, recordings), nothing may be lost on the way.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Migrator, type MigrationProvider } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { openDatabase, type OpenedDb } from '../src/adapters/db/database.ts';
import { migrations } from '../src/adapters/db/migrations/index.ts';

let opened: OpenedDb | null = null;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'invigil-m008-'));
afterEach(async () => {
  await opened?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('keeps every attempt and its children, then allows a second (replaced) attempt per candidate but only one current', async () => {
  opened = await openDatabase({ kind: 'sqlite', file: path.join(dir, 'old.db') });
  const db = opened.db;
  const provider: MigrationProvider = { getMigrations: async () => migrations };
  const migrator = new Migrator({ db, provider });
  expect((await migrator.migrateTo('005_monitoring')).error).toBeUndefined();
  const now = 1;
  await db.insertInto('exams').values({ id: 'e', name: 'E', description: '', created_at: now }).execute();
  await db
    .insertInto('sessions')
    .values({
      id: 's',
      exam_id: 'e',
      name: 'S',
      kind: 'mock-self',
      login_opens_at: 0,
      entry_opens_at: 0,
      waiting_cutoff_at: null,
      starts_at: 0,
      duration_sec: 60,
      entry_cutoff_mode: 'at-start',
      entry_cutoff_minutes: 0,
      face_required: 0,
      proof_required: 0,
      created_at: now,
    })
    .execute();
  await db
    .insertInto('candidates')
    .values({ id: 'c', session_id: 's', room_id: null, panel_id: null, name: 'C', id_number: 'x', ticket: 't', anonymous_number: 'a', photo_key: null, created_at: now })
    .execute();
  await db
    .insertInto('attempts')
    .values({
      id: 'a1',
      candidate_id: 'c',
      session_id: 's',
      status: 'ended',
      logged_in_at: 1,
      entered_at: 2,
      waiting_at: 3,
      ended_at: 4,
      end_reason: 'time-up',
      live_client_id: null,
      live_seen_at: null,
      device_check: '{}',
      device_checked_at: 1,
    })
    .execute();
  await db.insertInto('attempt_events').values({ id: 'ev', attempt_id: 'a1', at: 2, type: 'page-hidden', data: '{}', received_at: 2 }).execute();
  await db
    .insertInto('recordings')
    // The table as it stood at 008 (no running totals yet).
    .values({ id: 'r', attempt_id: 'a1', stream: 'camera', mime_type: 'video/webm', status: 'complete', last_seq: 0, report: null, assembled_ref: null, created_at: 1, finalized_at: 2 } as never)
    .execute();

  expect((await migrator.migrateToLatest()).error).toBeUndefined();
  expect(await db.selectFrom('attempts').select(['id', 'status', 'ended_at', 'replaced_at']).execute()).toEqual([{ id: 'a1', status: 'ended', ended_at: 4, replaced_at: null }]);
  expect((await db.selectFrom('attempt_events').select('id').execute()).map((r) => r.id)).toEqual(['ev']);
  expect((await db.selectFrom('recordings').select('id').execute()).map((r) => r.id)).toEqual(['r']);
  // Foreign keys are on again and still point at the rebuilt table.
  await expect(db.insertInto('attempt_events').values({ id: 'orphan', attempt_id: 'nope', at: 1, type: 'x', data: '{}', received_at: 1 }).execute()).rejects.toThrow(/FOREIGN KEY/);
  // One current attempt per candidate; replaced ones may accumulate.
  const next = {
    candidate_id: 'c',
    session_id: 's',
    status: 'logged-in',
    logged_in_at: 5,
    entered_at: null,
    waiting_at: null,
    ended_at: null,
    end_reason: null,
    live_client_id: null,
    live_seen_at: null,
    device_check: null,
    device_checked_at: null,
  };
  await expect(
    db
      .insertInto('attempts')
      .values({ id: 'a2', ...next })
      .execute(),
  ).rejects.toThrow(/UNIQUE/);
  await db.updateTable('attempts').set({ replaced_at: 5 }).where('id', '=', 'a1').execute();
  await db
    .insertInto('attempts')
    .values({ id: 'a2', ...next })
    .execute();
  expect(await db.selectFrom('attempts').select('id').where('candidate_id', '=', 'c').orderBy('id').execute()).toEqual([{ id: 'a1' }, { id: 'a2' }]);
});
