import { type Kysely } from 'kysely';

// Face login tables (schema-face.ts). Portable types only: text, bigint epoch ms, integer booleans, double scores.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('face_registrations')
    .addColumn('candidate_id', 'text', (c) => c.primaryKey().references('candidates.id').onDelete('cascade'))
    .addColumn('photo_ref', 'text', (c) => c.notNull())
    .addColumn('descriptor', 'text')
    .addColumn('face_score', 'double precision', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('purged_at', 'bigint')
    .execute();
  await db.schema
    .createTable('face_attempts')
    .addColumn('attempt_id', 'text', (c) => c.primaryKey().references('attempts.id').onDelete('cascade'))
    .addColumn('candidate_id', 'text', (c) => c.notNull())
    .addColumn('consent', 'text')
    .addColumn('consent_at', 'bigint')
    .addColumn('consent_version', 'text')
    .addColumn('challenge_id', 'text')
    .addColumn('challenge_action', 'text')
    .addColumn('challenge_expires_at', 'bigint')
    .addColumn('passed_via', 'text')
    .addColumn('passed_at', 'bigint')
    .addColumn('check_misses', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable('face_verifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('attempt_id', 'text', (c) => c.notNull().references('attempts.id').onDelete('cascade'))
    .addColumn('candidate_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('passed', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('similarity', 'double precision')
    .addColumn('antispoof', 'double precision')
    .addColumn('liveness', 'double precision')
    .addColumn('faces', 'integer', (c) => c.notNull())
    .addColumn('challenge', 'text')
    .addColumn('capture_ref', 'text')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('face_verifications_attempt').on('face_verifications').columns(['attempt_id', 'kind', 'at']).execute();
  await db.schema
    .createTable('face_manual_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('attempt_id', 'text', (c) => c.notNull().references('attempts.id').onDelete('cascade'))
    .addColumn('candidate_id', 'text', (c) => c.notNull())
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'bigint', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'bigint')
    .addColumn('reason', 'text')
    .execute();
  await db.schema.createIndex('face_manual_requests_status').on('face_manual_requests').columns(['status', 'requested_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('down migrations are not supported: restore from backup');
}
