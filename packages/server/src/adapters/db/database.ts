// Opens the database chosen by config (SQLite by default, PostgreSQL with DATABASE_URL) and migrates it.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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

export interface OpenOptions {
  /**
   * SQLite only: run WAL checkpoints on a worker thread instead of inside whichever query happens to cross the
   * threshold. For the long-running server; short-lived tools and tests keep SQLite's default.
   */
  backgroundCheckpoint?: boolean | { restartAfterFrames: number };
}

/** WAL frames (4 KiB pages) after which the background checkpointer insists on starting the WAL over: 64 MiB. */
const RESTART_AFTER_FRAMES = 16_384;

export async function openDatabase(cfg: DatabaseConfig, opts: OpenOptions = {}): Promise<OpenedDb> {
  if (cfg.kind === 'sqlite') {
    const { default: SQLite } = await import('better-sqlite3');
    if (cfg.file !== ':memory:') fs.mkdirSync(path.dirname(cfg.file), { recursive: true });
    const sqlite = new SQLite(cfg.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    // Another process (the CLI, a second server) may hold the write lock for a moment.
    sqlite.pragma('busy_timeout = 5000');
    const bg = opts.backgroundCheckpoint;
    const checkpointer = bg && cfg.file !== ':memory:' ? await startCheckpointer(sqlite, cfg.file, bg === true ? RESTART_AFTER_FRAMES : bg.restartAfterFrames) : null;
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    return {
      db,
      kind: 'sqlite',
      close: async () => {
        await checkpointer?.stop(); // first, so that closing the last connection folds the WAL into the file
        await db.destroy();
      },
    };
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

type BetterSqlite = import('better-sqlite3').Database;
type Statement = ReturnType<BetterSqlite['prepare']>;
const STATEMENT_CACHE_SIZE = 1000;
const NO_OP = { reader: false, busy: false, run: () => ({ changes: 0, lastInsertRowid: 0 }) };

/**
 * Kysely asks better-sqlite3 to prepare every query afresh, and preparing costs more than running a small query
 * (measured: ~12 % of the server's CPU at full segment ingest). The same SQL text gets the same statement back.
 * Kysely holds its single connection for the whole of a query (and of a streamed iteration), so a cached
 * statement is never run twice at once; a `busy` one (an iteration still open) is replaced, never shared.
 */
function withStatementCache(sqlite: BetterSqlite) {
  const cache = new Map<string, Statement>();
  return {
    close: () => void sqlite.close(),
    prepare(sql: string): Statement {
      // SQLite rolls a transaction back by itself on some errors (SQLITE_FULL: the disk or file cap is reached).
      // Kysely's own rollback then fails with "no transaction is active" and that error hides the real one, which
      // the edge maps to 507 STORAGE_FULL: the rollback of a transaction that is already gone does nothing.
      if (sql === 'rollback' && !sqlite.inTransaction) return NO_OP as unknown as Statement;
      const hit = cache.get(sql);
      if (hit && !hit.busy) return hit;
      const stmt = sqlite.prepare(sql);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      cache.set(sql, stmt);
      return stmt;
    },
  };
}

const CHECKPOINT_INTERVAL_MS = 250;

/** Moves WAL checkpoints to wal-checkpointer.mjs; if it fails, SQLite's automatic checkpoints come back on. */
async function startCheckpointer(sqlite: BetterSqlite, file: string, restartAfterFrames: number): Promise<{ stop(): Promise<void> }> {
  const { Worker } = await import('node:worker_threads');
  const worker = new Worker(fileURLToPath(new URL('./wal-checkpointer.mjs', import.meta.url)), {
    workerData: { file, intervalMs: CHECKPOINT_INTERVAL_MS, restartAfterFrames },
    execArgv: [], // plain JS: the parent's loaders (tsx, vitest) are for TypeScript
  });
  worker.unref();
  let fellBack = false;
  const fallBack = (why: string) => {
    if (fellBack) return;
    fellBack = true;
    console.warn(`[db] background WAL checkpoints stopped (${why}); SQLite checkpoints on its own again`);
    sqlite.pragma('wal_autocheckpoint = 1000');
  };
  let stopping = false;
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (m: { ready?: boolean; error?: string }) => {
      if (m.ready) {
        sqlite.pragma('wal_autocheckpoint = 0');
        // When the WAL starts over, its file is cut back to this size rather than kept at its largest.
        sqlite.pragma(`journal_size_limit = ${restartAfterFrames * 4096}`);
        resolve();
      } else if (m.error) fallBack(m.error);
    });
    worker.once('error', (e) => {
      if (!stopping) fallBack(e.message);
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!stopping) fallBack(`worker exited with ${code}`);
    });
  }).catch(() => undefined); // already fallen back: the server runs either way
  return {
    stop: async () => {
      stopping = true;
      if (worker.threadId < 0) return; // already gone
      const exited = new Promise((r) => worker.once('exit', r));
      worker.postMessage('stop');
      await exited;
    },
  };
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrate(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) throw new Error(`Database migration failed${failed ? ` at ${failed.migrationName}` : ''}: ${String(error)}`);
}
