// The job queue port: background work that must happen exactly once even with several server processes and
// across a crash (assembly of recordings, purges, deadlines). pg-boss on PostgreSQL; an in-process queue with the
// same interface on SQLite, where there is one process by construction (chosen once in main.ts).

export interface QueueOptions {
  /** Jobs of this queue run at most this many at a time in this process. */
  concurrency: number;
  /** Retries after the first attempt fails (0 = run once). */
  retryLimit: number;
  /** Delay before the first retry; doubled for each further one. */
  retryDelaySec: number;
  /** An attempt still running after this long counts as dead (its process was killed) and is tried again. */
  expireInSec: number;
}

export interface JobInfo {
  id: string;
  /** 1 for the first attempt, 2 for the first retry… */
  attempt: number;
  /** True when a failure of this attempt leaves no retry. */
  lastAttempt: boolean;
}

export type JobHandler<T> = (data: T, job: JobInfo) => Promise<void>;

export interface JobQueue {
  readonly kind: 'pg-boss' | 'in-process';
  /** Declares a queue and this process's worker for it. Call before start(). */
  work<T extends object>(name: string, opts: QueueOptions, handler: JobHandler<T>): Promise<void>;
  /**
   * Queues a job. With `singletonKey`, a job with the same key that is still queued or running makes this a no-op
   * (returns null): a finalize retried by the browser, or a sweep, never queues the same work twice.
   */
  send<T extends object>(name: string, data: T, opts?: { singletonKey?: string }): Promise<string | null>;
  /**
   * Runs `handler` about every `everySec` seconds, once per period across all processes (not once per process).
   * A run still going when the next period starts is not overlapped in this process.
   */
  every(name: string, everySec: number, handler: () => Promise<void>): Promise<void>;
  start(): Promise<void>;
  /** Stops taking jobs and waits for the running ones (a graceful shutdown finishes what it started). */
  stop(): Promise<void>;
}

export const queueDefaults: Omit<QueueOptions, 'concurrency'> = { retryLimit: 3, retryDelaySec: 5, expireInSec: 15 * 60 };
