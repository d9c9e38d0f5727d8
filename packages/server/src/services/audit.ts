// Append-only audit log. Each row's hash covers the previous row's hash, so any edit or deletion
// breaks the chain from that row on, and `invigil audit verify` finds the first broken link.
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../adapters/db/schema.ts';
import { isPostgres } from '../adapters/db/dialect.ts';

export interface AuditInput {
  actor: string; // "user:<id>", "candidate:<id>", "system", "cli"
  action: string; // dotted verb, e.g. "session.create"
  target: string; // "session:<id>"
  data?: unknown;
}

const GENESIS = '0'.repeat(64);

function rowHash(prev: string, at: number, a: AuditInput & { data: string }): string {
  return createHash('sha256').update(JSON.stringify([prev, at, a.actor, a.action, a.target, a.data])).digest('hex');
}

/** Call inside the transaction that makes the change, so the change and its audit row land together. */
export async function appendAudit(trx: Transaction<Database> | Kysely<Database>, entry: AuditInput, at = Date.now()): Promise<void> {
  // Serialize writers across processes on PostgreSQL; SQLite serializes writes already.
  if (isPostgres(trx)) await sql`select pg_advisory_xact_lock(7300117)`.execute(trx);
  const last = await trx.selectFrom('audit_log').select('hash').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const prev = last?.hash ?? GENESIS;
  const data = JSON.stringify(entry.data ?? null);
  const hash = rowHash(prev, at, { ...entry, data });
  await trx.insertInto('audit_log').values({ at, actor: entry.actor, action: entry.action, target: entry.target, data, prev_hash: prev, hash }).execute();
}

/** Runs `fn` and its audit rows in one transaction. On PostgreSQL outside a transaction the advisory lock would be useless. */
export async function withAudit<T>(db: Kysely<Database>, fn: (trx: Transaction<Database>) => Promise<{ result: T; audit: AuditInput | AuditInput[] }>, at = Date.now()): Promise<T> {
  return db.transaction().execute(async (trx) => {
    const { result, audit } = await fn(trx);
    for (const a of [audit].flat()) await appendAudit(trx, a, at);
    return result;
  });
}

export async function verifyAudit(db: Kysely<Database>): Promise<{ ok: boolean; checked: number; firstBrokenSeq: number | null }> {
  let prev = GENESIS;
  let checked = 0;
  let after = -1;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(1000).execute();
    if (rows.length === 0) return { ok: true, checked, firstBrokenSeq: null };
    for (const r of rows) {
      const expect = rowHash(prev, Number(r.at), { actor: r.actor, action: r.action, target: r.target, data: r.data });
      if (r.prev_hash !== prev || r.hash !== expect) return { ok: false, checked, firstBrokenSeq: r.seq };
      prev = r.hash;
      checked++;
      after = r.seq;
    }
  }
}
