// Mock tests (issue #17): the 自助试测 window and practice duration on sessions, extra time per candidate, and
// several attempts per candidate — a practice attempt may be repeated. The candidate's current attempt is the one
// not replaced; a partial unique index keeps "one current attempt per candidate" for everything else.
import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../dialect.ts';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('window_closes_at', 'bigint').execute();
  await db.schema
    .alterTable('sessions')
    .addColumn('practice_lead_sec', 'integer', (c) => c.notNull().defaultTo(60))
    .execute();
  await db.schema
    .alterTable('candidates')
    .addColumn('extra_time_sec', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('attempts').addColumn('replaced_at', 'bigint').execute();

  if (isPostgres(db)) {
    await sql`ALTER TABLE attempts DROP CONSTRAINT IF EXISTS attempts_candidate_id_key`.execute(db);
  } else {
    // SQLite cannot drop a column's UNIQUE: rebuild the table (sqlite.org/lang_altertable.html, "other changes").
    // The migrator runs SQLite migrations outside a transaction, so foreign keys can be switched off around it
    // (dropping the old table would otherwise cascade-delete every child row).
    const table = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'attempts'`.execute(db);
    const indexes = await sql<{ sql: string }>`SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'attempts' AND sql IS NOT NULL`.execute(db);
    const create = table.rows[0]!.sql;
    const rebuilt = create.replace(/("candidate_id"\s+text\s+not null)\s+unique/i, '$1').replace(/^create table\s+"?attempts"?/i, 'create table "attempts_rebuilt"');
    if (rebuilt === create || /"candidate_id"[^,]*unique/i.test(rebuilt)) throw new Error(`008_mock: unexpected attempts table: ${create}`);
    await sql`PRAGMA foreign_keys = OFF`.execute(db);
    try {
      await sql`BEGIN`.execute(db);
      await sql.raw(rebuilt).execute(db);
      await sql`INSERT INTO attempts_rebuilt SELECT * FROM attempts`.execute(db);
      await sql`DROP TABLE attempts`.execute(db);
      await sql`ALTER TABLE attempts_rebuilt RENAME TO attempts`.execute(db);
      for (const i of indexes.rows) await sql.raw(i.sql).execute(db);
      const broken = await sql`PRAGMA foreign_key_check`.execute(db);
      if (broken.rows.length) throw new Error(`008_mock: foreign keys broken: ${JSON.stringify(broken.rows.slice(0, 3))}`);
      await sql`COMMIT`.execute(db);
    } catch (e) {
      await sql`ROLLBACK`.execute(db).catch(() => undefined);
      throw e;
    } finally {
      await sql`PRAGMA foreign_keys = ON`.execute(db);
    }
  }
  await sql`CREATE UNIQUE INDEX attempts_current ON attempts (candidate_id) WHERE replaced_at IS NULL`.execute(db);
  await db.schema.createIndex('attempts_candidate').on('attempts').columns(['candidate_id', 'logged_in_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('down migrations are not supported: restore from backup');
}
