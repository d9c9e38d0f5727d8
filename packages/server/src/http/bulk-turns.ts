// Requests that every candidate sends at the same moment take turns. When an exam starts, each candidate's desktop
// and phone open three recordings; at the common end time, all of them finalize in the same second. Each such
// request holds the event loop for about a millisecond (a dozen SQL statements on SQLite, which are synchronous);
// 3,000 arriving together held it for seconds, and every proctor event (a candidate's status, a thumbnail) waited
// behind them: p99 2.1 s at the end of a 1,000-candidate morning (bench/morning, issue #18). 上传成功 may take a
// minute; a proctor's live view may not.
//
// A route opts in with `config.bulk`. At most `concurrency` of these requests run at once, in arrival order, after
// access control and validation (an unauthenticated flood waits nowhere); the rest wait, costing nothing but their
// connection, and each turn passes on in the event loop's next round, after the sockets have been served. A
// request whose client goes away while waiting is dropped from the line. The bound is on requests, not CPU: a
// finalize keeps its turn while the disk flushes, so it is 16 (≈ 20 ms of loop per round at most), not 4 (上传成功
// for 3,000 recordings took 12.7 s at 4, most of it waiting for the disk).
import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import { AppError } from './errors.ts';

declare module 'fastify' {
  interface FastifyInstance {
    bulkTurns: BulkTurns;
  }
  interface FastifyContextConfig {
    /** A request every candidate sends at the same moment: it waits its turn (bulk-turns.ts). */
    bulk?: boolean;
  }
}

export interface Turn {
  /** true once it is this request's turn; false when it left the line first. */
  ready: Promise<boolean>;
  /** Gives the turn to the next in line (or leaves the line); idempotent. */
  leave(): void;
}

export class BulkTurns {
  private running = 0;
  /** A Set keeps insertion order: the line is first come, first served, and leaving it is O(1). */
  private readonly line = new Set<() => void>();

  constructor(readonly concurrency: number) {}

  take(): Turn {
    let state: 'waiting' | 'running' | 'left' = 'waiting';
    let settle!: (ok: boolean) => void;
    const ready = new Promise<boolean>((resolve) => (settle = resolve));
    // Handed on from a request that finished: the turn is this one's at once (a leave now passes it on), the
    // request goes on in the loop's next round — an answer's 'close' comes on process.nextTick, so going on right
    // away chained every waiting open (synchronous on SQLite) into one task that held the loop for seconds.
    const startHandedOn = () => start(true);
    const start = (handedOn: boolean) => {
      state = 'running';
      if (handedOn) setImmediate(() => settle(state === 'running'));
      else settle(true);
    };
    if (this.running < this.concurrency) {
      this.running++;
      start(false);
    } else this.line.add(startHandedOn);
    const leave = () => {
      if (state === 'waiting') {
        this.line.delete(startHandedOn);
        settle(false);
      } else if (state === 'running') this.handOn();
      state = 'left';
    };
    return { ready, leave };
  }

  /** Requests running and waiting (what the tests watch). */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.line.size };
  }

  private handOn() {
    const next = this.line.values().next();
    if (next.done) {
      this.running--;
      return;
    }
    this.line.delete(next.value);
    next.value();
  }
}

export function registerBulkTurns(app: FastifyInstance, concurrency: number): BulkTurns {
  const turns = new BulkTurns(concurrency);
  app.decorate('bulkTurns', turns);
  const waitTurn: preHandlerAsyncHookHandler = async (req, reply) => {
    const turn = turns.take();
    // 'close' comes with the answer sent or with the client gone (a full request body means Fastify's
    // onRequestAbort never fires for a client hanging up afterwards); one that left before its turn is dropped.
    reply.raw.once('close', turn.leave);
    if (reply.raw.destroyed || req.raw.socket?.destroyed) turn.leave();
    // Nobody is listening any more: the answer could not be delivered; the client sends it again when it returns.
    if (!(await turn.ready)) throw new AppError('SERVICE_UNAVAILABLE');
  };
  // On the bulk routes only: the segment PUTs (1,000 a second at 1,000 candidates) run no hook of this.
  app.addHook('onRoute', (route) => {
    if (route.config?.bulk) route.preHandler = [...[route.preHandler ?? []].flat(), waitTurn];
  });
  return turns;
}
