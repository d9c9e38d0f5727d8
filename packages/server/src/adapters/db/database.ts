// Opens the database chosen by config (SQLite by default, PostgreSQL with DATABASE_URL) and migrates it.
import fs from 'node:fs';
import path from 'node:path';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type MigrationProvider } from 'kysely';
import type { Database } from './schema.ts';
import { migrations } from './migrations/index.ts';

export type Db = Kysely<Database>;
export type DbKind = 'sqlite' | 'postgres';
export type DatabaseConfig = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

export interface OpenedDb {
  db: Db;
  kind: DbKind;
  close(): Promise<void>;
}

export async function openDatabase(cfg: DatabaseConfig): Promise<OpenedDb> {
  if (cfg.kind === 'sqlite') {
    const { default: SQLite } = await import('better-sqlite3');
    if (cfg.file !== ':memory:') fs.mkdirSync(path.dirname(cfg.file), { recursive: true });
    const sqlite = new SQLite(cfg.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    // Another process (the CLI, a second server) may hold the write lock for a moment.
    sqlite.pragma('busy_timeout = 5000');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    return { db, kind: 'sqlite', close: () => db.destroy() };
  }
  const pg = await import('pg');
  // BIGINT epoch-ms columns come back as JS numbers, as they do from SQLite.
  pg.default.types.setTypeParser(20, (v: string) => Number(v));
  const pool = new pg.default.Pool({ connectionString: cfg.url, max: 10 });
  // An idle client can be cut by the server (restart, failover); without a handler that error would kill the process.
  // The pool replaces the client on the next query, so logging is enough.
  pool.on('error', (err) => console.warn(`[db] idle PostgreSQL connection lost: ${err.message}`));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', close: () => db.destroy() };
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrate(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) throw new Error(`Database migration failed${failed ? ` at ${failed.migrationName}` : ''}: ${String(error)}`);
}
