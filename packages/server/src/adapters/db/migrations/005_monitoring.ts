// Live monitoring: flag reviews, flag evidence and warnings (schema-monitoring.ts). Portable types, as in 001.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('flag_reviews')
    .addColumn('event_id', 'text', (c) => c.primaryKey().references('attempt_events.id').onDelete('cascade'))
    .addColumn('attempt_id', 'text', (c) => c.notNull().references('attempts.id').onDelete('cascade'))
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('flag_evidence')
    .addColumn('event_id', 'text', (c) => c.primaryKey().references('attempt_events.id').onDelete('cascade'))
    .addColumn('attempt_id', 'text', (c) => c.notNull().references('attempts.id').onDelete('cascade'))
    .addColumn('blob_ref', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('warnings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('attempt_id', 'text', (c) => c.notNull().references('attempts.id').onDelete('cascade'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('ack_at', 'bigint')
    .execute();
  await db.schema.createIndex('warnings_attempt').on('warnings').columns(['attempt_id', 'at']).execute();
  // The flag feed and the evidence collector read a session's newest events by arrival.
  await db.schema.createIndex('attempt_events_received').on('attempt_events').columns(['received_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('down migrations are not supported: restore from backup');
}
