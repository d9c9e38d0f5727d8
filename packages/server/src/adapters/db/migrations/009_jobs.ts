// Issue #18: the in-process job queue's table, and the assembly state of each recording (upload done ≠ assembled).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('singleton_key', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('retry_limit', 'integer', (c) => c.notNull())
    .addColumn('retry_delay_ms', 'integer', (c) => c.notNull())
    .addColumn('run_after', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('jobs_due').on('jobs').columns(['name', 'state', 'run_after']).execute();
  // At most one queued-or-running job per singleton key: the same recording is never assembled twice at once.
  await sql`CREATE UNIQUE INDEX jobs_singleton ON jobs (name, singleton_key) WHERE singleton_key IS NOT NULL AND state IN ('created', 'active')`.execute(db);

  await db.schema.alterTable('recordings').addColumn('assembly_state', 'text').execute();
  await db.schema.alterTable('recordings').addColumn('assembly_error', 'text').execute();
  await db.schema
    .alterTable('recordings')
    .addColumn('assembly_attempts', 'integer', (c) => c.defaultTo(0))
    .execute();
  await db.schema.alterTable('recordings').addColumn('assembly_at', 'bigint').execute();
  await db.schema.createIndex('recordings_assembly').on('recordings').columns(['assembly_state']).execute();
}

export async function down(): Promise<void> {
  throw new Error('down migrations are not supported: restore from backup');
}
