// The job queue on PostgreSQL: pg-boss (v10, the last major that runs on Node 20) in its own schema of the same
// database. Several server processes share it: a job is fetched by one of them (SKIP LOCKED), an attempt whose
// process was killed expires and is retried, and periodic work is throttled to one job per period.
import PgBoss from 'pg-boss';
import type { JobHandler, JobQueue, QueueOptions } from './port.ts';

export interface PgBossOptions {
  /** Expired attempts are found by pg-boss's maintenance, which runs this often. */
  maintenanceIntervalSec?: number;
  pollingIntervalSec?: number;
  log?: { error(o: unknown, m: string): void };
}

export class PgBossJobQueue implements JobQueue {
  readonly kind = 'pg-boss' as const;
  private readonly boss: PgBoss;
  private readonly pending: Array<() => Promise<unknown>> = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly pollingIntervalSec: number;
  private readonly log: { error(o: unknown, m: string): void };
  private started = false;

  constructor(url: string, o: PgBossOptions = {}) {
    this.pollingIntervalSec = o.pollingIntervalSec ?? 1;
    this.log = o.log ?? { error: (o2, m) => console.error(m, o2) };
    this.boss = new PgBoss({ connectionString: url, schema: 'pgboss', max: 4, maintenanceIntervalSeconds: o.maintenanceIntervalSec ?? 60, application_name: 'invigil-jobs' });
    this.boss.on('error', (err) => this.log.error({ err }, 'pg-boss error'));
  }

  async work<T extends object>(name: string, opts: QueueOptions, handler: JobHandler<T>): Promise<void> {
    const declare = async () => {
      // 'stately': at most one queued and one running job per singleton key.
      await this.boss.createQueue(name, { name, policy: 'stately', retryLimit: opts.retryLimit, retryDelay: opts.retryDelaySec, retryBackoff: true, expireInSeconds: opts.expireInSec });
      // pg-boss 10 runs one job at a time per worker: `concurrency` workers make the per-process bound.
      for (let i = 0; i < opts.concurrency; i++)
        await this.boss.work<T>(name, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: this.pollingIntervalSec }, async ([job]) => {
          if (!job) return;
          await handler(job.data, { id: job.id, attempt: job.retryCount + 1, lastAttempt: job.retryCount >= job.retryLimit });
        });
    };
    if (this.started) await declare();
    else this.pending.push(declare);
  }

  async send<T extends object>(name: string, data: T, opts: { singletonKey?: string } = {}): Promise<string | null> {
    return this.boss.send(name, data, opts.singletonKey ? { singletonKey: opts.singletonKey } : {});
  }

  async every(name: string, everySec: number, handler: () => Promise<void>): Promise<void> {
    const declare = async () => {
      await this.boss.createQueue(name, { name, policy: 'short', retryLimit: 0, expireInSeconds: Math.min(23 * 3600, Math.max(60, everySec * 2)) }); // pg-boss caps expiry at 24 h
      await this.boss.work(name, { batchSize: 1, pollingIntervalSeconds: Math.min(this.pollingIntervalSec, Math.max(0.5, everySec / 2)) }, async () => handler());
      // Every process offers a job each period; singletonSeconds keeps one per period, so one process runs it.
      const t = setInterval(() => {
        this.boss.send(name, {}, { singletonKey: name, singletonSeconds: everySec, retentionSeconds: 600 }).catch((err) => this.log.error({ err, job: name }, 'periodic job not queued'));
      }, everySec * 1000);
      t.unref();
      this.timers.push(t);
    };
    if (this.started) await declare();
    else this.pending.push(declare);
  }

  async start(): Promise<void> {
    if (this.started) return;
    await this.boss.start();
    this.started = true;
    for (const d of this.pending.splice(0)) await d();
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    if (this.started) await this.boss.stop({ graceful: true, wait: true, timeout: 30_000 });
  }
}
