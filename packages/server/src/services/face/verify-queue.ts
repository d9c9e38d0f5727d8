// The face verification queue (issue #18 item 3): at login-open candidates arrive in a burst and each verification
// costs ~200 ms of CPU per frame. At most `concurrency` verifications run at once (the engine's worker pool does the
// inference); the rest wait here in arrival order, one entry per attempt. A candidate whose verification cannot
// start at once gets a ticket and its place (第 N 位) instead of a request that runs into a timeout; the browser asks
// again with the ticket and the server answers the place or, once done, the decision.
import { randomUUID } from 'node:crypto';
import { AppError } from '../errors.ts';

interface Entry<T> {
  ticket: string;
  key: string;
  task: () => Promise<T>;
  state: 'waiting' | 'running' | 'done';
  outcome: { ok: true; value: T } | { ok: false; error: unknown } | null;
  /** Resolved when the entry is done or its place in the queue changes. */
  listeners: Set<() => void>;
}

export type QueueAnswer<T> = { done: true; value: T } | { done: false; ticket: string; position: number };

export interface VerifyQueueOptions {
  /** Verifications running at once (each sends its frames to the engine's worker pool). */
  concurrency: number;
  /** How long a finished decision can still be fetched with its ticket. */
  keepMs?: number;
}

export class VerifyQueue<T> {
  private readonly waiting: Entry<T>[] = [];
  private running = 0;
  private readonly byTicket = new Map<string, Entry<T>>();
  private readonly pendingByKey = new Map<string, Entry<T>>();
  private readonly concurrency: number;
  private readonly keepMs: number;

  constructor(opts: VerifyQueueOptions) {
    this.concurrency = Math.max(1, Math.floor(opts.concurrency));
    this.keepMs = opts.keepMs ?? 120_000;
  }

  /** Verifications waiting for a free slot (for health pages and the benchmark). */
  get length(): number {
    return this.waiting.length;
  }

  /** The ticket of the key's verification still waiting or running, if any (one per attempt). */
  pendingTicket(key: string): string | null {
    return this.pendingByKey.get(key)?.ticket ?? null;
  }

  /** Queues a verification; it starts at once when a slot is free. */
  submit(key: string, task: () => Promise<T>): string {
    const pending = this.pendingByKey.get(key);
    if (pending) return pending.ticket;
    const entry: Entry<T> = { ticket: randomUUID(), key, task, state: 'waiting', outcome: null, listeners: new Set() };
    this.byTicket.set(entry.ticket, entry);
    this.pendingByKey.set(key, entry);
    this.waiting.push(entry);
    this.pump();
    return entry.ticket;
  }

  /** 0 while running or done; 1 for the next to start, and so on. Null for an unknown ticket. */
  position(key: string, ticket: string): number | null {
    const e = this.byTicket.get(ticket);
    if (!e || e.key !== key) return null;
    return e.state === 'waiting' ? this.waiting.indexOf(e) + 1 : 0;
  }

  /**
   * Waits until the verification is done (its value, or its error thrown) or, while it still waits for a slot, at
   * most `holdMs` or until its place changes — then answers the place (0 = being verified now).
   */
  async wait(key: string, ticket: string, holdMs: number): Promise<QueueAnswer<T>> {
    const e = this.byTicket.get(ticket);
    if (!e || e.key !== key) throw new AppError('FACE_QUEUE_TICKET_UNKNOWN');
    const startPos = this.position(key, ticket);
    if (e.state !== 'done') {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, holdMs);
        function done() {
          clearTimeout(timer);
          e!.listeners.delete(check);
          resolve();
        }
        const check = () => {
          if (e!.state === 'done' || (e!.state === 'waiting' && this.position(key, ticket) !== startPos)) done();
        };
        e.listeners.add(check);
      });
    }
    if (e.state !== 'done') return { done: false, ticket, position: this.position(key, ticket) ?? 0 };
    if (!e.outcome!.ok) throw e.outcome!.error;
    return { done: true, value: e.outcome!.value };
  }

  private pump(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const e = this.waiting.shift()!;
      e.state = 'running';
      this.running++;
      void this.run(e);
    }
    // Everyone still waiting moved up (or someone started): tell the waiters.
    for (const w of this.waiting) for (const l of [...w.listeners]) l();
  }

  private async run(e: Entry<T>): Promise<void> {
    try {
      e.outcome = { ok: true, value: await e.task() };
    } catch (error) {
      e.outcome = { ok: false, error };
    }
    e.state = 'done';
    this.running--;
    this.pendingByKey.delete(e.key);
    setTimeout(() => this.byTicket.delete(e.ticket), this.keepMs).unref();
    for (const l of [...e.listeners]) l();
    this.pump();
  }
}
