// Append-only audit log. Each row's hash covers the previous row's hash, so any edit or deletion
// breaks the chain from that row on, and `invigil audit verify` finds the first broken link.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../adapters/db/schema.ts';
import { isPostgres } from '../adapters/db/dialect.ts';
import { auditKey, auditOrigin } from './audit-key.ts';

export interface AuditInput {
  actor: string; // "user:<id>", "candidate:<id>", "system", "cli"
  action: string; // dotted verb, e.g. "session.create"
  target: string; // "session:<id>"
  data?: unknown;
}

const GENESIS = '0'.repeat(64);

function rowHash(prev: string, at: number, a: AuditInput & { data: string }): string {
  return createHash('sha256')
    .update(JSON.stringify([prev, at, a.actor, a.action, a.target, a.data]))
    .digest('hex');
}

/** The MAC binds a row's chain hash and its origin to the key; without the key nobody can forge one. */
export function rowMac(key: Buffer, hash: string, ip: string | null, userAgent: string | null): string {
  return createHmac('sha256', key)
    .update(JSON.stringify([hash, ip, userAgent]))
    .digest('hex');
}

/** Call inside the transaction that makes the change, so the change and its audit row land together. */
export async function appendAudit(trx: Transaction<Database> | Kysely<Database>, entry: AuditInput, at = Date.now()): Promise<void> {
  // Serialize writers across processes on PostgreSQL; SQLite serializes writes already.
  if (isPostgres(trx)) await sql`select pg_advisory_xact_lock(7300117)`.execute(trx);
  const last = await trx.selectFrom('audit_log').select('hash').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const prev = last?.hash ?? GENESIS;
  const data = JSON.stringify(entry.data ?? null);
  const hash = rowHash(prev, at, { ...entry, data });
  const origin = auditOrigin.getStore();
  const ip = origin?.ip ?? null;
  const userAgent = origin?.userAgent?.slice(0, 300) ?? null;
  const key = auditKey();
  const mac = key ? rowMac(key, hash, ip, userAgent) : null;
  await trx.insertInto('audit_log').values({ at, actor: entry.actor, action: entry.action, target: entry.target, data, prev_hash: prev, hash, ip, user_agent: userAgent, mac }).execute();
}

/** Runs `fn` and its audit rows in one transaction. On PostgreSQL outside a transaction the advisory lock would be useless. */
export async function withAudit<T>(db: Kysely<Database>, fn: (trx: Transaction<Database>) => Promise<{ result: T; audit: AuditInput | AuditInput[] }>, at = Date.now()): Promise<T> {
  return db.transaction().execute(async (trx) => {
    const { result, audit } = await fn(trx);
    for (const a of [audit].flat()) await appendAudit(trx, a, at);
    return result;
  });
}

export interface AuditAnchor {
  seq: number;
  hash: string;
  at: number;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  firstBrokenSeq: number | null;
  /** Why it is broken: the chain, a MAC, or an anchor that no longer matches (rows deleted or rewritten). */
  reason?: 'chain' | 'mac' | 'missing-mac' | 'anchor';
}

/** The newest row: written to the log and exportable (`invigil audit anchor`) so truncation can be detected later. */
export async function auditAnchor(db: Kysely<Database>): Promise<AuditAnchor | null> {
  const r = await db.selectFrom('audit_log').select(['seq', 'hash', 'at']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return r ? { seq: r.seq, hash: r.hash, at: Number(r.at) } : null;
}

/**
 * Walks the chain. With the key, every row from the first one carrying a MAC on must carry a valid one (a row
 * rewritten and re-chained without the key fails here). With anchors, each anchored row must still exist with
 * the anchored hash (deleting the newest rows fails here).
 */
export async function verifyAudit(db: Kysely<Database>, o: { key?: Buffer | null; anchors?: AuditAnchor[] } = {}): Promise<AuditVerification> {
  const key = o.key === undefined ? auditKey() : o.key;
  const anchors = new Map((o.anchors ?? []).map((a) => [a.seq, a.hash]));
  let prev = GENESIS;
  let checked = 0;
  let after = -1;
  let macsStarted = false;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(1000).execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      const expect = rowHash(prev, Number(r.at), { actor: r.actor, action: r.action, target: r.target, data: r.data });
      if (r.prev_hash !== prev || r.hash !== expect) return { ok: false, checked, firstBrokenSeq: r.seq, reason: 'chain' };
      if (key) {
        if (r.mac) {
          macsStarted = true;
          const want = Buffer.from(rowMac(key, r.hash, r.ip ?? null, r.user_agent ?? null), 'hex');
          const got = Buffer.from(r.mac, 'hex');
          if (got.length !== want.length || !timingSafeEqual(got, want)) return { ok: false, checked, firstBrokenSeq: r.seq, reason: 'mac' };
        } else if (macsStarted) return { ok: false, checked, firstBrokenSeq: r.seq, reason: 'missing-mac' };
      }
      const anchored = anchors.get(r.seq);
      if (anchored !== undefined) {
        if (anchored !== r.hash) return { ok: false, checked, firstBrokenSeq: r.seq, reason: 'anchor' };
        anchors.delete(r.seq);
      }
      prev = r.hash;
      checked++;
      after = r.seq;
    }
  }
  // An anchored row that is gone: the log was cut back behind it.
  if (anchors.size) return { ok: false, checked, firstBrokenSeq: Math.min(...anchors.keys()), reason: 'anchor' };
  return { ok: true, checked, firstBrokenSeq: null };
}
