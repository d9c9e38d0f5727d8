// The phone proof camera: bind codes and the bound phone per attempt (schema-proof.ts). Portable types, as in 001.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('proof_bind_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('attempt_id', 'text', (c) => c.notNull().references('attempts.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('outcome', 'text')
    .addColumn('phone_id', 'text')
    .execute();
  await db.schema.createIndex('proof_bind_codes_attempt').on('proof_bind_codes').columns(['attempt_id', 'used_at']).execute();
  await db.schema
    .createTable('proof_phones')
    .addColumn('attempt_id', 'text', (c) => c.primaryKey().references('attempts.id').onDelete('cascade'))
    .addColumn('phone_id', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('bound_at', 'bigint', (c) => c.notNull())
    .addColumn('user_agent', 'text')
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('recording', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('battery_level', 'double precision')
    .addColumn('charging', 'integer')
    .addColumn('storage_free_mb', 'double precision')
    .addColumn('wake_lock', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('room_scan_seconds', 'double precision')
    .addColumn('gap_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('gap_ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('silent_since', 'bigint')
    .addColumn('overdue_flagged_at', 'bigint')
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('down migrations are not supported: restore from backup');
}
