// A run's true start (issue #15 item 6): the epoch ms of its first real video frame, declared by the browser on the
// run's first segment. A display capture sends that frame up to seconds after the recorder started, so the old
// estimate (first chunk's end − its duration) was too early. Null on older rows and when the browser could not
// tell; readers then fall back to the estimate.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('segments').addColumn('run_started_at', 'bigint').execute();
}

export async function down(): Promise<void> {
  throw new Error('down migrations are not supported: restore from backup');
}
