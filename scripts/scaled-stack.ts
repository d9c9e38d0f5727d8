// The scaled stack of `npm run up:scaled` as a module, for the scripts that need one of their own and must take its
// pieces away (scripts/faults/run.ts) or measure it (bench/morning/run.ts): a PostgreSQL cluster and a Redis of its
// own (the machine's are never touched), s3rver, two Invigil processes and nginx in front. Ports: nginx = base,
// Invigil base+10 and base+20, s3rver base+30; PostgreSQL and Redis on the ports given.
// `npm run up:scaled` itself stays a shell script: it uses the machine's PostgreSQL and Redis and runs until Ctrl-C.
import { execFileSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { OwnPostgres, OwnRedis, OwnS3, startInvigil, startNginx, stopProc, type InvigilProc } from './faults/lib.ts';

export interface ScaledStackOptions {
  /** A folder of the caller's: the processes' data, s3rver's folder, nginx's prefix. */
  dir: string;
  /** Where the processes' logs go. */
  logs: string;
  portBase: number;
  pgPort: number;
  redisPort: number;
  /** The database created in the stack's own cluster. */
  dbName: string;
  /** More environment for both Invigil processes (limits, concurrency…). */
  env?: Record<string, string>;
}

export interface ScaledStack {
  /** nginx's URL: what candidates and staff use. */
  url: string;
  dbUrl: string;
  pg: OwnPostgres;
  redis: OwnRedis;
  s3: OwnS3;
  procs: InvigilProc[];
  nginx: ChildProcess;
  /** What `seed-demo` needs to reach the stack's database (the CLI as on process 1). */
  seedEnv: Record<string, string>;
  stop(): Promise<void>;
}

export async function startScaledStack(o: ScaledStackOptions): Promise<ScaledStack> {
  const url = `http://127.0.0.1:${o.portBase}`;
  const pg = OwnPostgres.create(o.pgPort);
  const redis = new OwnRedis(o.redisPort);
  const s3 = new OwnS3(path.join(o.dir, 's3'), o.portBase + 30);
  const procs: InvigilProc[] = [];
  let nginx: ChildProcess | null = null;
  const stop = async () => {
    await stopProc(nginx);
    for (const p of procs) await stopProc(p.proc);
    await s3.stop();
    await redis.stop();
    pg.destroy();
  };
  try {
    pg.start();
    execFileSync('psql', [pg.url, '-qc', `CREATE DATABASE ${o.dbName}`], { stdio: 'ignore' });
    const dbUrl = pg.url.replace(/\/postgres$/, `/${o.dbName}`);
    await redis.start();
    await s3.start();
    const env = {
      DATABASE_URL: dbUrl,
      REDIS_URL: redis.url,
      S3_ENDPOINT: `http://127.0.0.1:${o.portBase + 30}`,
      S3_BUCKET: 'invigil',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      PUBLIC_URL: url,
      // Behind nginx: the client's address is in X-Forwarded-For (per-address limits would otherwise see one client).
      TRUST_PROXY: '127.0.0.1',
      ...o.env,
    };
    // One after the other: the first runs the migrations (and pg-boss's), the second finds them done.
    procs.push(await startInvigil('p1', o.portBase + 10, path.join(o.dir, 'p1'), env, o.logs));
    procs.push(await startInvigil('p2', o.portBase + 20, path.join(o.dir, 'p2'), env, o.logs));
    nginx = await startNginx(o.dir, o.portBase, [o.portBase + 10, o.portBase + 20]);
    return { url, dbUrl, pg, redis, s3, procs, nginx, seedEnv: { DATABASE_URL: dbUrl, DATA_DIR: path.join(o.dir, 'p1') }, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
