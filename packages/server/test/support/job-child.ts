// A server-like process for the job queue's crash tests: opens the database, works the 'crash-test' queue and
// logs each attempt to a file. While BLOCK_FILE exists, a job never finishes (so the test can kill -9 the process
// in the middle of it). Usage: node --import tsx job-child.ts <sqlite file | postgres url> <log file> <block file>
import fs from 'node:fs';
import { openDatabase } from '../../src/adapters/db/database.ts';
import { InProcessJobQueue } from '../../src/adapters/jobs/in-process.ts';
import { PgBossJobQueue } from '../../src/adapters/jobs/pg-boss.ts';
import type { JobQueue } from '../../src/adapters/jobs/port.ts';

const [target, logFile, blockFile] = process.argv.slice(2) as [string, string, string];
const pg = target.startsWith('postgres');
const db = await openDatabase(pg ? { kind: 'postgres', url: target } : { kind: 'sqlite', file: target });
const jobs: JobQueue = pg ? new PgBossJobQueue(target, { maintenanceIntervalSec: 1, pollingIntervalSec: 0.5 }) : new InProcessJobQueue(db.db, { pollMs: 100 });
const log = (line: string) => fs.appendFileSync(logFile, `${line}\n`);
await jobs.work<{ n: number }>('crash-test', { concurrency: 2, retryLimit: 3, retryDelaySec: 1, expireInSec: 2 }, async (data, job) => {
  log(`start ${data.n} attempt ${job.attempt} pid ${process.pid}`);
  if (fs.existsSync(blockFile)) await new Promise(() => undefined); // until killed
  await new Promise((r) => setTimeout(r, 50));
  log(`done ${data.n} pid ${process.pid}`);
});
await jobs.start();
if (process.env.SEND_JOBS) for (let n = 1; n <= Number(process.env.SEND_JOBS); n++) await jobs.send('crash-test', { n }, { singletonKey: `job-${n}` });
log(`ready pid ${process.pid}`);
process.on(
  'SIGTERM',
  () =>
    void jobs
      .stop()
      .then(() => db.close())
      .then(() => process.exit(0)),
);
