// The assembly as it was before issue #18 (raw temp file per run, ffprobe per probe), kept only so that
// assembly-cost.ts can measure before and after in the same run. Not used by the server.
// Turns verified segments into one seekable WebM: each run's segments are concatenated into a temp file (only a
// run's first segment has the WebM header), remuxed with `ffmpeg -c copy` (which writes duration and cues), and
// several runs are joined with ffmpeg's concat demuxer. ffmpeg runs as a child process and files are streamed,
// so a two-hour recording never sits in memory or blocks the event loop. Every segment's SHA-256 is checked
// again on the way: bytes that rotted or vanished in storage are reported, never assembled.
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BlobNotFoundError, type BlobStore } from '../../packages/server/src/adapters/blob/port.ts';

export interface StoredSegment {
  seq: number;
  sha256: string;
  blobRef: string;
}

export type AssemblyResult = { ok: true; file: string; sha256: string; bytes: number; seconds: number; runSeconds: number[] } | { ok: false; lostSeqs: number[] }; // segments whose stored bytes are gone or no longer match their hash

export class AssemblyError extends Error {}

// ffmpeg remuxing is cheap per recording but a whole session finishes at once: bound the parallelism.
const MAX_PARALLEL = Math.max(1, Math.min(4, os.availableParallelism() - 1));
let running = 0;
const waiting: (() => void)[] = [];

async function slot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_PARALLEL) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** Assembles into `workDir` (created and owned by the caller, who deletes it). */
export function assemble(blobs: BlobStore, runs: readonly StoredSegment[][], workDir: string): Promise<AssemblyResult> {
  return slot(async () => {
    const lostSeqs: number[] = [];
    const runFiles: string[] = [];
    for (const [i, run] of runs.entries()) {
      const raw = path.join(workDir, `run-${i}.raw.webm`);
      lostSeqs.push(...(await concatenateRun(blobs, run, raw)));
      runFiles.push(raw);
    }
    if (lostSeqs.length) return { ok: false, lostSeqs };

    const remuxed: string[] = [];
    const runSeconds: number[] = [];
    for (const [i, raw] of runFiles.entries()) {
      const out = path.join(workDir, `run-${i}.webm`);
      // Video first, then audio, by type: MediaRecorder does not keep the track order from run to run, and the
      // concat demuxer joins runs by stream index — mixed orders would splice audio packets into video.
      await ffmpeg(['-i', raw, '-map', '0:v:0', '-map', '0:a:0?', '-c', 'copy', '-f', 'webm', out]);
      await fsp.rm(raw);
      remuxed.push(out);
      runSeconds.push(runFiles.length > 1 ? await probeSeconds(out) : NaN); // one run: the whole file's figure
    }
    let file = remuxed[0]!;
    if (remuxed.length > 1) {
      const list = path.join(workDir, 'runs.txt');
      await fsp.writeFile(list, remuxed.map((f) => `file '${f.replaceAll("'", "'\\''")}'\n`).join(''));
      file = path.join(workDir, `assembled-${randomUUID()}.webm`);
      await ffmpeg(['-f', 'concat', '-safe', '0', '-i', list, '-map', '0', '-c', 'copy', '-f', 'webm', file]);
    }
    const [{ sha256, bytes }, seconds] = await Promise.all([hashFile(file), probeSeconds(file)]);
    return { ok: true, file, sha256, bytes, seconds, runSeconds: runSeconds.map((x) => (Number.isNaN(x) ? seconds : x)) };
  });
}

/** Appends the run's segments to `dest` in order, re-checking each hash. Returns the seqs that failed. */
async function concatenateRun(blobs: BlobStore, run: readonly StoredSegment[], dest: string): Promise<number[]> {
  const lost: number[] = [];
  const out = fs.createWriteStream(dest);
  try {
    for (const seg of run) {
      let body;
      try {
        body = await blobs.get(seg.blobRef);
      } catch (e) {
        if (e instanceof BlobNotFoundError) {
          lost.push(seg.seq);
          continue;
        }
        throw e;
      }
      const hash = createHash('sha256');
      for await (const chunk of body) {
        hash.update(chunk as Buffer);
        if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      }
      if (hash.digest('hex') !== seg.sha256) lost.push(seg.seq);
    }
  } finally {
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
  return lost;
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
    child.on('error', (e) => reject(new AssemblyError(`${cmd} could not start: ${e.message}`)));
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new AssemblyError(`${cmd} exited with ${code}: ${stderr.trim()}`))));
  });
}

const ffmpeg = (args: string[]) => run('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args]);

export async function probeSeconds(file: string): Promise<number> {
  const out = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=noprint_wrappers=1:nokey=1', file]);
  const seconds = Number(out.trim());
  if (!Number.isFinite(seconds)) throw new AssemblyError(`ffprobe found no duration in ${path.basename(file)}: ${out.trim()}`);
  return seconds;
}

async function hashFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}
