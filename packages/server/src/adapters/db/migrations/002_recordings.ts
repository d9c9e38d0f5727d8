// Recordings and their segments (DESIGN.md "Recording pipeline"). Portable types, as in 001.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('recordings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('attempt_id', 'text', (c) => c.notNull().references('attempts.id').onDelete('cascade'))
    .addColumn('stream', 'text', (c) => c.notNull())
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('last_seq', 'integer')
    .addColumn('report', 'text')
    .addColumn('assembled_ref', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('finalized_at', 'bigint')
    .addUniqueConstraint('recordings_attempt_stream', ['attempt_id', 'stream'])
    .execute();
  await db.schema
    .createTable('segments')
    .addColumn('recording_id', 'text', (c) => c.notNull().references('recordings.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('run', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('bytes', 'bigint', (c) => c.notNull())
    .addColumn('blob_ref', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'bigint', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('segments_pk', ['recording_id', 'seq'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('down migrations are not supported: restore from backup');
}
