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

function cpuTicks(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

/** CPU (% of one core, averaged) and peak RSS of a process over a measured window. */
export function sampleProcess(pid: number) {
  const t0 = Date.now();
  const c0 = cpuTicks(pid);
  let peakRss = rssMb(pid);
  const timer = setInterval(() => (peakRss = Math.max(peakRss, rssMb(pid))), 500);
  return {
    stop() {
      clearInterval(timer);
      peakRss = Math.max(peakRss, rssMb(pid));
      const seconds = (Date.now() - t0) / 1000;
      return { cpuPercent: ((cpuTicks(pid) - c0) / TICKS / seconds) * 100, peakRssMb: peakRss };
    },
  };
}
