// Issue #13: each audit row records where the change came from (client address and user agent) and carries an
// HMAC of its chain hash under a key kept outside the database (AUDIT_HMAC_KEY or DATA_DIR/audit.key), so a row
// rewritten with a recomputed chain is detected. Rows written before this migration have no MAC.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_log').addColumn('ip', 'text').execute();
  await db.schema.alterTable('audit_log').addColumn('user_agent', 'text').execute();
  await db.schema.alterTable('audit_log').addColumn('mac', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const c of ['mac', 'user_agent', 'ip']) await db.schema.alterTable('audit_log').dropColumn(c).execute();
}
