// What one assembly costs in CPU time (not wall time: the machine is shared), before and after issue #18, in the
// same run: the Node process's own CPU (process.cpuUsage) plus its children's (ffmpeg, ffprobe: cutime + cstime
// from /proc/self/stat, counted once each child was waited for).
//
//   node --import tsx bench/morning/assembly-cost.ts [--seconds 60] [--segment-seconds 2] [--rounds 5]
//
// Recordings: one run of --seconds, and the same cut into two runs (the concat path). Real VP8/Opus WebM made by
// ffmpeg, cut into chunks the way MediaRecorder emits them (header only in each run's first chunk).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LocalBlobStore } from '../../packages/server/src/adapters/blob/local.ts';
import { assemble as after } from '../../packages/server/src/services/recordings/assemble.ts';
import { assemble as before } from './assemble-before.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' }, 'segment-seconds': { type: 'string', default: '2' }, rounds: { type: 'string', default: '5' } } });
const seconds = Number(values.seconds);
const segSeconds = Number(values['segment-seconds']);
const rounds = Number(values.rounds);
const TICK = 100; // USER_HZ on Linux: /proc times are in 1/100 s

function childrenCpuMs(): number {
  const f = fs.readFileSync('/proc/self/stat', 'utf8');
  const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
  // fields after the name start at 3 (state): cutime is field 16, cstime 17 → indexes 13, 14 here
  return ((Number(rest[13]) + Number(rest[14])) * 1000) / TICK;
}
const ownCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'invigil-assembly-cost-'));
try {
  const blobs = await LocalBlobStore.create(path.join(dir, 'blobs'));
  const live = (name: string, secs: number) => {
    const file = path.join(dir, name);
    execFileSync('sh', [
      '-c',
      `ffmpeg -hide_banner -loglevel error -nostdin -f lavfi -i testsrc=size=640x480:rate=15 -f lavfi -i sine=frequency=440:sample_rate=48000 -map 0:v -map 1:a -t ${secs} -c:v libvpx -b:v 500k -deadline realtime -c:a libopus -f webm pipe:1 > '${file}'`,
    ]);
    return fs.readFileSync(file);
  };
  const storeRun = async (buf: Buffer, runNo: number, firstSeq: number) => {
    const n = Math.max(1, Math.round(seconds / segSeconds / (runNo === -1 ? 1 : 2)));
    const size = Math.ceil(buf.length / n);
    const out = [];
    for (let i = 0; i < n; i++) {
      const body = buf.subarray(i * size, Math.min(buf.length, (i + 1) * size));
      const sha256 = createHash('sha256').update(body).digest('hex');
      const { ref } = await blobs.put(`rec/${runNo}-${firstSeq + i}.webm`, body);
      out.push({ seq: firstSeq + i, sha256, blobRef: ref });
    }
    return out;
  };
  const whole = live('whole.webm', seconds);
  const half1 = live('half1.webm', seconds / 2);
  const half2 = live('half2.webm', seconds / 2);
  const oneRun = [await storeRun(whole, -1, 0)];
  const r0 = await storeRun(half1, 0, 0);
  const twoRuns = [r0, await storeRun(half2, 1, r0.length)];

  const variants = { before, after } as const;
  const rows: string[] = [];
  for (const [label, runs] of [
    ['1 run', oneRun],
    ['2 runs', twoRuns],
  ] as const) {
    const perVariant: Record<string, { own: number[]; children: number[]; seconds: number }> = {};
    for (let r = 0; r < rounds; r++) {
      for (const [name, fn] of Object.entries(variants)) {
        const work = await fsp.mkdtemp(path.join(dir, 'work-'));
        const o0 = ownCpuMs();
        const c0 = childrenCpuMs();
        const res = await fn(blobs, runs, work);
        const o1 = ownCpuMs();
        const c1 = childrenCpuMs();
        await fsp.rm(work, { recursive: true, force: true });
        if (!res.ok) throw new Error(`${name}: assembly failed`);
        const v = (perVariant[name] ??= { own: [], children: [], seconds: res.seconds });
        v.own.push(o1 - o0);
        v.children.push(c1 - c0);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    for (const [name, v] of Object.entries(perVariant))
      rows.push(`| ${label} | ${name} | ${median(v.own).toFixed(0)} | ${median(v.children).toFixed(0)} | ${(median(v.own) + median(v.children)).toFixed(0)} | ${v.seconds.toFixed(2)} |`);
  }
  console.log(`Assembly CPU per recording (${seconds} s of 640×480 VP8 + Opus, ${segSeconds} s segments; median of ${rounds}; ms of CPU)`);
  console.log('| recording | version | Node (in-process) | children (ffmpeg/ffprobe) | total | duration found (s) |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
} finally {
  await fsp.rm(dir, { recursive: true, force: true });
}
