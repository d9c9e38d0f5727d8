// Child server processes for the bench: start one (it reports its base URL over IPC), sample its CPU and RSS
// from /proc while the load runs, stop it.
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

export interface ServerProc {
  base: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startServer(entry: string, env: Record<string, string>): Promise<ServerProc> {
  const child = fork(entry, [], {
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const base = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { base?: string }) => (m.base ? resolve(m.base) : reject(new Error(`unexpected message ${JSON.stringify(m)}`))));
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code} before it was ready`)));
  });
  return {
    base,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

const TICKS = 100; // USER_HZ on Linux

/** utime and stime of a process (/proc/PID/stat) or of one of its threads (/proc/PID/task/TID/stat), in ticks. */
function ticks(statFile: string): { user: number; sys: number } {
  const stat = fs.readFileSync(statFile, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]), sys: Number(fields[12]) };
}

function cpuTicks(pid: number): number {
  const t = ticks(`/proc/${pid}/stat`);
  return t.user + t.sys;
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

/**
 * Which part of the server a thread is. Every thread of a Node process is called "node", except those that name
 * themselves (the blob store's file writer threads: blob-writer, blob-syncer); the main thread's id is the pid.
 */
function threadGroup(pid: number, tid: string): string {
  if (tid === String(pid)) return 'event loop';
  const comm = fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
  return comm === 'node' ? 'V8 + libuv' : comm;
}

/** CPU ticks per thread group, summed over the threads alive now (a thread that ended is no longer counted). */
function threadTicks(pid: number): Map<string, { user: number; sys: number; threads: number }> {
  const out = new Map<string, { user: number; sys: number; threads: number }>();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const g = threadGroup(pid, tid);
      const t = ticks(`/proc/${pid}/task/${tid}/stat`);
      const sum = out.get(g) ?? { user: 0, sys: 0, threads: 0 };
      out.set(g, { user: sum.user + t.user, sys: sum.sys + t.sys, threads: sum.threads + 1 });
    } catch {
      /* the thread ended while being read */
    }
  }
  return out;
}

export interface ThreadShare {
  group: string;
  threads: number;
  /** % of one core, user and system time. */
  user: number;
  sys: number;
}

/** CPU (% of one core, averaged, also per thread group) and peak RSS of a process over a measured window. */
export function sampleProcess(pid: number) {
  const t0 = Date.now();
  const c0 = cpuTicks(pid);
  const th0 = threadTicks(pid);
  let peakRss = rssMb(pid);
  const timer = setInterval(() => (peakRss = Math.max(peakRss, rssMb(pid))), 500);
  return {
    stop() {
      clearInterval(timer);
      peakRss = Math.max(peakRss, rssMb(pid));
      const seconds = (Date.now() - t0) / 1000;
      const pct = (t: number) => (t / TICKS / seconds) * 100;
      const threads: ThreadShare[] = [...threadTicks(pid)].map(([group, t]) => {
        const before = th0.get(group) ?? { user: 0, sys: 0 };
        return { group, threads: t.threads, user: pct(t.user - before.user), sys: pct(t.sys - before.sys) };
      });
      return { cpuPercent: pct(cpuTicks(pid) - c0), peakRssMb: peakRss, threads };
    },
  };
}
