// One evidence path: identity-check flags kept their frame in attempt_events.data.evidenceRef; every other flag
// in flag_evidence. Move the former into flag_evidence (where the feed and the evidence route read it) and drop
// the key from data. Rows with an evidence row already are left as they are. Portable: done in TypeScript.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const rows: Array<{ id: string; attempt_id: string; data: string; received_at: number | string }> = await db
    .selectFrom('attempt_events')
    .select(['id', 'attempt_id', 'data', 'received_at'])
    .where('data', 'like', '%"evidenceRef"%')
    .execute();
  for (const r of rows) {
    const data = JSON.parse(r.data) as Record<string, unknown>;
    if (typeof data.evidenceRef !== 'string') continue;
    const ref = data.evidenceRef;
    delete data.evidenceRef;
    const has = await db.selectFrom('flag_evidence').select('event_id').where('event_id', '=', r.id).executeTakeFirst();
    if (!has)
      await db
        .insertInto('flag_evidence')
        .values({ event_id: r.id, attempt_id: r.attempt_id, blob_ref: ref, at: Number(r.received_at) })
        .execute();
    await db
      .updateTable('attempt_events')
      .set({ data: JSON.stringify(data) })
      .where('id', '=', r.id)
      .execute();
  }
}

export async function down(): Promise<void> {
  throw new Error('down migrations are not supported: restore from backup');
}
