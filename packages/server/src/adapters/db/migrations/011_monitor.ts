// The in-exam monitor (issue #19): raw per-second scores kept compact, the episodes they gave and the events those
// raised, the rules per session, superseded events (re-weighting keeps the old ones for the audit trail) and the
// review priority per attempt. Portable types, as in 001.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // One row per posted batch (about 5 s of samples), the samples as compact JSON tuples (monitor/store.ts).
  await db.schema
    .createTable('monitor_batches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('attempt_id', 'text', (c) => c.notNull().references('attempts.id').onDelete('cascade'))
    .addColumn('t0', 'bigint', (c) => c.notNull())
    .addColumn('t1', 'bigint', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addColumn('samples', 'text', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('monitor_batches_attempt').on('monitor_batches').columns(['attempt_id', 't1']).execute();
  // Evidence frames the browser kept when a condition began to hold; an episode takes the nearest one.
  await db.schema
    .createTable('monitor_frames')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('attempt_id', 'text', (c) => c.notNull().references('attempts.id').onDelete('cascade'))
    .addColumn('t', 'bigint', (c) => c.notNull())
    .addColumn('blob_ref', 'text', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('monitor_frames_attempt').on('monitor_frames').columns(['attempt_id', 't']).execute();
  // An episode (a condition that held long enough) and the event it raised. Re-weighting supersedes, never deletes.
  await db.schema
    .createTable('monitor_episodes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('attempt_id', 'text', (c) => c.notNull().references('attempts.id').onDelete('cascade'))
    .addColumn('condition', 'text', (c) => c.notNull())
    .addColumn('start_at', 'bigint', (c) => c.notNull())
    .addColumn('end_at', 'bigint')
    .addColumn('raised_at', 'bigint', (c) => c.notNull())
    .addColumn('samples', 'integer', (c) => c.notNull())
    .addColumn('event_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('superseded_at', 'bigint')
    .execute();
  await db.schema.createIndex('monitor_episodes_attempt').on('monitor_episodes').columns(['attempt_id', 'condition', 'start_at']).execute();
  await db.schema
    .createTable('monitor_rules')
    .addColumn('session_id', 'text', (c) => c.primaryKey().references('sessions.id').onDelete('cascade'))
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
  // An event replaced by re-weighting stays, marked: the feed, the grid and the priority skip it; the audit keeps it.
  await db.schema.alterTable('attempt_events').addColumn('superseded_at', 'bigint').execute();
  await db.schema
    .alterTable('attempts')
    .addColumn('review_priority', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('down migrations are not supported: restore from backup');
}
