// Who used the CPU during a window: the whole machine (/proc/stat) and each process of this run (/proc/<pid>/stat:
// utime + stime) — the server, this process (the simulated candidates), Chromium's renderer and its other
// processes. On a 2-core machine that runs all of them, a page can be slow because it gets no core, not because of
// its own work: this tells the two apart.
import fs from 'node:fs';

const TICK = 100; // USER_HZ, jiffies per second (100 on Linux)

function machine(): { busy: number; total: number } {
  const [, ...n] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  const total = n.reduce((a, b) => a + b, 0);
  return { busy: total - n[3]! - (n[4] ?? 0), total };
}

function processes(): Map<number, { ppid: number; jiffies: number; cmd: string }> {
  const out = new Map<number, { ppid: number; jiffies: number; cmd: string }>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ');
      out.set(Number(d), { ppid: Number(f[1]), jiffies: Number(f[11]) + Number(f[12]), cmd });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Groups this process's descendants: the server (its pid), Chromium's renderers, the rest of Chromium, this process. */
function byGroup(serverPid: number | undefined): Map<string, number> {
  const ps = processes();
  const mine = (pid: number): boolean => {
    for (let p = pid, i = 0; p > 1 && i < 50; p = ps.get(p)?.ppid ?? 0, i++) if (p === process.pid) return true;
    return false;
  };
  const groups = new Map<string, number>();
  const add = (g: string, j: number) => groups.set(g, (groups.get(g) ?? 0) + j);
  for (const [pid, p] of ps) {
    if (pid === process.pid) add('this process (simulated candidates)', p.jiffies);
    else if (pid === serverPid) add('server', p.jiffies);
    else if (!mine(pid)) continue;
    else if (p.cmd.includes('--type=renderer')) add('Chromium renderer', p.jiffies);
    else if (p.cmd.includes('chrom')) add('Chromium, other processes', p.jiffies);
  }
  return groups;
}

export function startCpuWindow(serverPid: number | undefined) {
  const [m0, g0, t0] = [machine(), byGroup(serverPid), Date.now()];
  return () => {
    const [m1, g1, secs] = [machine(), byGroup(serverPid), (Date.now() - t0) / 1000];
    const pct = (j: number) => ((100 * j) / TICK / secs).toFixed(0);
    const parts = [...g1].map(([g, j]) => `${g} ${pct(j - (g0.get(g) ?? 0))} %`);
    return `CPU over the measured window, % of one core: machine ${((100 * (m1.busy - m0.busy)) / (m1.total - m0.total)).toFixed(0)} % of all cores; ${parts.join(', ')}`;
  };
}
