// The job queue is chosen with the database, once: pg-boss beside PostgreSQL, the in-process queue beside SQLite.
import type { OpenedDb } from '../db/database.ts';
import type { JobQueue } from './port.ts';
import { InProcessJobQueue } from './in-process.ts';

export type { JobQueue, QueueOptions, JobHandler, JobInfo } from './port.ts';
export { queueDefaults } from './port.ts';
export { InProcessJobQueue } from './in-process.ts';

export async function createJobQueue(db: OpenedDb, databaseUrl: string | null, log?: { error(o: unknown, m: string): void }): Promise<JobQueue> {
  if (db.kind === 'postgres' && databaseUrl) {
    const { PgBossJobQueue } = await import('./pg-boss.ts');
    return new PgBossJobQueue(databaseUrl, { log });
  }
  return new InProcessJobQueue(db.db, { log });
}
