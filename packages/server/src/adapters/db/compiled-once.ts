// Queries on the hottest paths (every authenticated request, every recording segment) are built and compiled by
// Kysely once per database and then run with new values. Building and compiling a join cost about as much CPU as
// running it (measured at full segment ingest: ~10 % of the server's time), and the SQL text never changes.
//
// The builder receives named placeholders instead of values; each one must end up as a bound parameter of the
// compiled SQL (checked on first use), so the builder may place values but must not branch on them.
import { CompiledQuery, type Compilable, type QueryResult, type Transaction } from 'kysely';
import type { Db } from './database.ts';
import type { Database } from './schema.ts';

type Slot = { param: string } | { constant: unknown };

const MARK = '\u0000invigil-placeholder:';

export interface CompiledOnce<P, Row> {
  /** Runs on `db`, or inside `trx` (a transaction of `db`) with the form compiled for `db`. */
  execute(db: Db, params: P, trx?: Transaction<Database>): Promise<QueryResult<Row>>;
  /** The first row, or undefined. */
  first(db: Db, params: P): Promise<Row | undefined>;
}

export function compiledOnce<P extends Record<string, unknown>, Row>(build: (db: Db, p: P) => Compilable<Row>): CompiledOnce<P, Row> {
  // One compiled form per database: SQLite and PostgreSQL differ in placeholders and quoting.
  const perDb = new WeakMap<Db, { sql: string; slots: Slot[] }>();

  function compile(db: Db) {
    const used = new Set<string>();
    const placeholders = new Proxy({} as P, {
      get: (_t, name) => {
        used.add(String(name));
        return `${MARK}${String(name)}`;
      },
    });
    const { sql, parameters } = build(db, placeholders).compile();
    const slots: Slot[] = parameters.map((v) => (typeof v === 'string' && v.startsWith(MARK) ? { param: v.slice(MARK.length) } : { constant: v }));
    const bound = new Set(slots.flatMap((s) => ('param' in s ? [s.param] : [])));
    const lost = [...used].filter((n) => !bound.has(n));
    if (lost.length) throw new Error(`compiledOnce: ${lost.join(', ')} did not become bound parameters in: ${sql}`);
    const compiled = { sql, slots };
    perDb.set(db, compiled);
    return compiled;
  }

  async function execute(db: Db, params: P, trx?: Transaction<Database>): Promise<QueryResult<Row>> {
    const { sql, slots } = perDb.get(db) ?? compile(db);
    const values = slots.map((s) => ('param' in s ? params[s.param] : s.constant));
    return (trx ?? db).executeQuery<Row>(CompiledQuery.raw(sql, values));
  }

  return {
    execute,
    first: async (db, params) => (await execute(db, params)).rows[0],
  };
}
