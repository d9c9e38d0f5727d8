// The job queue keeps its promise across a crash (issue #18): a job whose process is killed with SIGKILL in the
// middle of it runs again in the next process and completes exactly once; on PostgreSQL (pg-boss), two live
// processes share a queue without running any job twice. Real processes, real kill -9.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, migrate } from '../src/adapters/db/database.ts';
import { PG_URL } from './helpers/db.ts';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'support', 'job-child.ts');
const kinds = PG_URL ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);

interface Target {
  url: string;
  states(): Promise<{ state: string; attempts: number }[]>;
  cleanup(): Promise<void>;
}

async function sqliteTarget(dir: string): Promise<Target> {
  const file = path.join(dir, 'jobs.db');
  const db = await openDatabase({ kind: 'sqlite', file });
  await migrate(db.db);
  return {
    url: file,
    states: async () => (await db.db.selectFrom('jobs').select(['state', 'attempts']).where('name', '=', 'crash-test').execute()).map((r) => ({ state: r.state, attempts: r.attempts })),
    cleanup: () => db.close(),
  };
}

async function pgTarget(): Promise<Target> {
  const name = `invigil_jobs_${randomBytes(4).toString('hex')}`;
  const admin = async (q: string) => {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    try {
      return await c.query(q);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL!);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
  return {
    url: url.toString(),
    // pg-boss counts retries; attempts = retries + 1, as the port reports them.
    states: async () => (await pool.query(`SELECT state, retry_count FROM pgboss.job WHERE name = 'crash-test'`)).rows.map((r) => ({ state: r.state, attempts: r.retry_count + 1 })),
    cleanup: async () => {
      await pool.end();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

const children: ChildProcess[] = [];
function child(target: string, log: string, block: string, env: Record<string, string> = {}): ChildProcess {
  const c = spawn(process.execPath, ['--import', 'tsx', CHILD, target, log, block], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  children.push(c);
  return c;
}
const exited = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));
afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await exited(c);
  }
});

async function until(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 45_000) {
  const end = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const lines = (log: string) => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : []);
const count = (log: string, re: RegExp) => lines(log).filter((l) => re.test(l)).length;

describe.each(kinds)('job queue across a kill -9 (%s)', (kind) => {
  it('a job killed mid-run runs again in the next process and completes exactly once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'invigil-jobs-'));
    const t = kind === 'sqlite' ? await sqliteTarget(dir) : await pgTarget();
    try {
      const log = path.join(dir, 'log');
      const block = path.join(dir, 'block');
      fs.writeFileSync(block, '');
      // Process 1 queues three jobs; two start (concurrency 2) and hang; it is killed in the middle of them.
      const first = child(t.url, log, block, { SEND_JOBS: '3' });
      await until('two jobs started', () => count(log, /^start /) >= 2);
      expect(count(log, /^start /)).toBe(2); // bounded: never more than the queue's concurrency at once
      first.kill('SIGKILL');
      await exited(first);
      fs.rmSync(block);

      // Process 2 finds the killed attempts (on SQLite at start; on PostgreSQL once they expire) and the third job.
      const second = child(t.url, log, block);
      await until('all three jobs done', () => count(log, /^done /) >= 3);
      await until('the queue to record it', async () => (await t.states()).every((s) => s.state === 'completed'));
      for (const n of [1, 2, 3]) expect(count(log, new RegExp(`^done ${n} `)), `job ${n}`).toBe(1);
      const states = await t.states();
      expect(states.map((s) => s.state)).toEqual(['completed', 'completed', 'completed']);
      expect(states.map((s) => s.attempts).sort()).toEqual([1, 2, 2]); // the two killed ones were tried again
      second.kill('SIGTERM');
      await exited(second);
    } finally {
      await t.cleanup();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

describe.runIf(PG_URL)('pg-boss with two live processes', () => {
  it('runs each of 20 jobs exactly once between them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'invigil-jobs-'));
    const t = await pgTarget();
    try {
      const log = path.join(dir, 'log');
      const block = path.join(dir, 'block');
      const a = child(t.url, log, block);
      await until('process A ready', () => count(log, /^ready /) >= 1);
      const b = child(t.url, log, block, { SEND_JOBS: '20' });
      await until('20 jobs done', () => count(log, /^done /) >= 20);
      await until('the queue to record it', async () => (await t.states()).filter((s) => s.state === 'completed').length === 20);
      for (let n = 1; n <= 20; n++) expect(count(log, new RegExp(`^done ${n} `)), `job ${n}`).toBe(1);
      a.kill('SIGTERM');
      b.kill('SIGTERM');
      await Promise.all([exited(a), exited(b)]);
    } finally {
      await t.cleanup();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
