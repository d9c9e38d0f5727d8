// The job queue on SQLite: one server process (SQLite allows no other deployment), jobs persisted in the
// `jobs` table so a queued or running job survives a crash. Not a distributed scheduler: at start, a job left
// 'active' can only belong to a process that died, so it is queued again (and counts as an attempt).
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { JobHandler, JobQueue, QueueOptions } from './port.ts';

interface Worker {
  opts: QueueOptions;
  handler: JobHandler<object>;
  running: number;
  pumping: boolean;
}

export interface InProcessOptions {
  /** How often due jobs are looked for when nothing was sent (retries, and jobs left by a previous run). */
  pollMs?: number;
  now?: () => number;
  log?: { error(o: unknown, m: string): void };
}

export class InProcessJobQueue implements JobQueue {
  readonly kind = 'in-process' as const;
  private readonly workers = new Map<string, Worker>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Set<Promise<void>>();
  private started = false;
  private stopped = false;
  private readonly pollMs: number;
  private readonly now: () => number;
  private readonly log: { error(o: unknown, m: string): void };

  constructor(
    private readonly db: Db,
    o: InProcessOptions = {},
  ) {
    this.pollMs = o.pollMs ?? 1000;
    this.now = o.now ?? Date.now;
    this.log = o.log ?? { error: (o2, m) => console.error(m, o2) };
  }

  async work<T extends object>(name: string, opts: QueueOptions, handler: JobHandler<T>): Promise<void> {
    this.workers.set(name, { opts, handler: handler as JobHandler<object>, running: 0, pumping: false });
    if (this.started) this.pump(name);
  }

  async send<T extends object>(name: string, data: T, opts: { singletonKey?: string } = {}): Promise<string | null> {
    const w = this.workers.get(name);
    const now = this.now();
    const row = await this.db
      .insertInto('jobs')
      .values({
        id: randomUUID(),
        name,
        data: JSON.stringify(data),
        singleton_key: opts.singletonKey ?? null,
        state: 'created',
        attempts: 0,
        retry_limit: w?.opts.retryLimit ?? 0,
        retry_delay_ms: (w?.opts.retryDelaySec ?? 0) * 1000,
        run_after: now,
        created_at: now,
      })
      // The partial unique index on (name, singleton_key) over queued and running jobs refuses a second one.
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (row && this.started) this.pump(name);
    return row?.id ?? null;
  }

  async every(name: string, everySec: number, handler: () => Promise<void>): Promise<void> {
    let busy = false;
    const t = setInterval(() => {
      if (busy || this.stopped) return;
      busy = true;
      const p = handler()
        .catch((err) => this.log.error({ err, job: name }, 'periodic job failed'))
        .finally(() => {
          busy = false;
          this.running.delete(p);
        });
      this.running.add(p);
    }, everySec * 1000);
    t.unref();
    this.timers.push(t);
  }

  async start(): Promise<void> {
    if (this.started) return;
    // One process on this database: whatever is still 'active' was running in a process that is gone.
    await this.db.updateTable('jobs').set({ state: 'created', run_after: this.now() }).where('state', '=', 'active').execute();
    // Finished jobs are kept a week for support questions ("was it assembled, when, how often tried?").
    await this.db
      .deleteFrom('jobs')
      .where('state', 'in', ['completed', 'failed'])
      .where('finished_at', '<', this.now() - 7 * 86_400_000)
      .execute();
    this.started = true;
    const t = setInterval(() => {
      for (const name of this.workers.keys()) this.pump(name);
    }, this.pollMs);
    t.unref();
    this.timers.push(t);
    for (const name of this.workers.keys()) this.pump(name);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  /** Takes due jobs while the queue has free slots; each finished job looks for the next one. */
  private pump(name: string): void {
    const w = this.workers.get(name);
    if (!w || w.pumping || this.stopped || w.running >= w.opts.concurrency) return;
    w.pumping = true;
    const p: Promise<void> = (async () => {
      try {
        while (!this.stopped && w.running < w.opts.concurrency) {
          const job = await this.claim(name);
          if (!job) break;
          w.running++;
          const run = this.execute(w, job).finally(() => {
            w.running--;
            this.running.delete(run);
            this.pump(name);
          });
          this.running.add(run);
        }
      } catch (err) {
        this.log.error({ err, job: name }, 'job queue: could not take a job');
      } finally {
        w.pumping = false;
      }
    })();
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }

  private async claim(name: string) {
    const now = this.now();
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom('jobs')
        .selectAll()
        .where('name', '=', name)
        .where('state', '=', 'created')
        .where('run_after', '<=', now)
        .orderBy('run_after')
        .orderBy('created_at')
        .limit(1)
        .executeTakeFirst();
      if (!row) return undefined;
      const res = await trx
        .updateTable('jobs')
        .set({ state: 'active', started_at: now, attempts: row.attempts + 1 })
        .where('id', '=', row.id)
        .where('state', '=', 'created')
        .executeTakeFirst();
      return Number(res.numUpdatedRows) ? { ...row, attempts: row.attempts + 1 } : undefined;
    });
  }

  private async execute(w: Worker, job: { id: string; data: string; attempts: number; retry_limit: number; retry_delay_ms: number }) {
    const lastAttempt = job.attempts > job.retry_limit;
    try {
      await w.handler(JSON.parse(job.data) as object, { id: job.id, attempt: job.attempts, lastAttempt });
      await this.db.updateTable('jobs').set({ state: 'completed', finished_at: this.now(), error: null }).where('id', '=', job.id).execute();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const delay = job.retry_delay_ms * 2 ** (job.attempts - 1);
      await this.db
        .updateTable('jobs')
        .set(lastAttempt ? { state: 'failed', finished_at: this.now(), error: message } : { state: 'created', run_after: this.now() + delay, error: message })
        .where('id', '=', job.id)
        .execute()
        .catch((e) => this.log.error({ err: e }, 'job queue: could not record a failure'));
    }
  }
}
