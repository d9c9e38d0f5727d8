// Turns verified segments into one seekable WebM: each run's segments are piped in order into `ffmpeg -c copy`
// (only a run's first segment has the WebM header; ffmpeg writes duration and cues), and several runs are joined
// with ffmpeg's concat demuxer. ffmpeg runs as a child process at a lower CPU priority than the server (ingest
// keeps the cores it needs; assembly takes what is left) and bytes are streamed, so a two-hour recording never
// sits in memory or blocks the event loop. Every segment's SHA-256 is checked again on the way: bytes that rotted
// or vanished in storage are reported, never assembled. Durations are read in-process from the WebM's own
// Duration element — no ffprobe process per probe (its start-up was ~40 % of an assembly, issue #18).
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { Writable } from 'node:stream';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { BlobNotFoundError, type BlobStore } from '../../adapters/blob/port.ts';
import { lowerPriority } from '../../priority.ts';

export interface StoredSegment {
  seq: number;
  sha256: string;
  blobRef: string;
}

/** A run ffmpeg could not read (a garbage run start that slipped past the PUT check): left out of the file, its
 *  segments kept in storage so the recording stays recoverable, and reported as a gap with this reason. */
export interface ExcludedRun {
  index: number; // position in `runs`
  reason: string;
}

export type AssemblyResult =
  // runSeconds: one figure per run, in order; 0 for an excluded run (it holds no time of the file)
  | { ok: true; file: string; sha256: string; bytes: number; seconds: number; runSeconds: number[]; excluded: ExcludedRun[] }
  // lostSeqs: segments whose stored bytes are gone or no longer match their hash; none when every run was unreadable
  | { ok: false; lostSeqs: number[]; excluded: ExcludedRun[] };

export class AssemblyError extends Error {
  /** ffmpeg ran and refused the input (as opposed to not starting, or failing to write). */
  constructor(
    message: string,
    readonly unreadable = false,
  ) {
    super(message);
  }
}

/**
 * Assembles into `workDir` (created and owned by the caller, who deletes it). How many run at once is the job
 * queue's business (ASSEMBLY_CONCURRENCY per process).
 */
export async function assemble(blobs: BlobStore, runs: readonly StoredSegment[][], workDir: string): Promise<AssemblyResult> {
  const lostSeqs: number[] = [];
  const remuxed: string[] = [];
  const runSeconds: number[] = [];
  const excluded: ExcludedRun[] = [];
  for (const [i, run] of runs.entries()) {
    const out = path.join(workDir, `run-${i}.webm`);
    // Video first, then audio, by type: MediaRecorder does not keep the track order from run to run, and the
    // concat demuxer joins runs by stream index — mixed orders would splice audio packets into video.
    const remux = ffmpegFromStdin(['-f', 'matroska', '-i', 'pipe:0', '-map', '0:v:0', '-map', '0:a:0?', '-c', 'copy', '-f', 'webm', out]);
    const lost = await feedRun(blobs, run, remux.stdin).catch((e) => {
      remux.abort();
      throw e;
    });
    lostSeqs.push(...lost);
    if (lostSeqs.length) {
      remux.abort();
      continue; // keep checking the other runs, so one answer names every lost segment
    }
    // Hashes matched, so these are the bytes the recorder sent: a run ffmpeg cannot read is the recorder's garbage,
    // not a storage fault. Leave it out (the others are assembled) rather than fail the whole recording.
    const unreadable = await remux.done
      .then(() => webmSeconds(out))
      .then(
        (seconds) => {
          runSeconds.push(seconds);
          return null;
        },
        (e: unknown) => {
          if (!(e instanceof AssemblyError) || !e.unreadable) throw e; // ffmpeg missing, disk full…: retried
          return e.message;
        },
      );
    if (unreadable === null) remuxed.push(out);
    else {
      excluded.push({ index: i, reason: unreadable.slice(0, 500) });
      runSeconds.push(0);
    }
  }
  if (lostSeqs.length || !remuxed.length) return { ok: false, lostSeqs, excluded };

  let file = remuxed[0]!;
  if (remuxed.length > 1) {
    const list = path.join(workDir, 'runs.txt');
    await fsp.writeFile(list, remuxed.map((f) => `file '${f.replaceAll("'", "'\\''")}'\n`).join(''));
    file = path.join(workDir, `assembled-${randomUUID()}.webm`);
    await ffmpeg(['-f', 'concat', '-safe', '0', '-i', list, '-map', '0', '-c', 'copy', '-f', 'webm', file]);
  }
  const [{ sha256, bytes }, seconds] = await Promise.all([hashFile(file), webmSeconds(file)]);
  return { ok: true, file, sha256, bytes, seconds, runSeconds: remuxed.length > 1 ? runSeconds : runSeconds.map((s) => (s ? seconds : 0)), excluded };
}

/** Until `out` takes more, or is gone (ffmpeg exited: its exit code carries the reason). */
function drained(out: Writable): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
  });
}

/** Writes the run's segments in order into `out` (ffmpeg's stdin), re-checking each hash. Returns the seqs that failed. */
async function feedRun(blobs: BlobStore, run: readonly StoredSegment[], out: Writable): Promise<number[]> {
  const lost: number[] = [];
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
        // Once a segment is lost the output is discarded: keep reading (to check the others), stop writing.
        if (!lost.length && !out.destroyed && !out.write(chunk)) await drained(out);
      }
      if (hash.digest('hex') !== seg.sha256) lost.push(seg.seq);
    }
  } finally {
    if (!out.destroyed) out.end();
  }
  return lost;
}

function start(cmd: string, args: string[], stdin: 'ignore' | 'pipe') {
  const child = spawn(cmd, args, { stdio: [stdin, 'pipe', 'pipe'] });
  if (child.pid) lowerPriority(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const done = new Promise<string>((resolve, reject) => {
    child.on('error', (e) => reject(new AssemblyError(`${cmd} could not start: ${e.message}`)));
    // Killed by a signal (code null) or short of space is not the input's fault; any other exit is ffmpeg refusing it.
    child.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new AssemblyError(`${cmd} exited with ${code}: ${stderr.trim()}`, code !== null && !/No space left|Permission denied|Cannot allocate/i.test(stderr))),
    );
  });
  return { child, done };
}

const run = (cmd: string, args: string[]) => start(cmd, args, 'ignore').done;
const ffmpegArgs = (args: string[]) => ['-hide_banner', '-loglevel', 'error', '-y', ...args];
const ffmpeg = (args: string[]) => run('ffmpeg', ['-nostdin', ...ffmpegArgs(args)]);

/** ffmpeg reading its input from stdin; `abort()` kills it and swallows its failure (the output is discarded). */
function ffmpegFromStdin(args: string[]) {
  const { child, done } = start('ffmpeg', ffmpegArgs(args), 'pipe');
  const stdin = child.stdin!;
  stdin.on('error', () => undefined); // EPIPE when ffmpeg gave up: its exit code carries the reason
  let aborted = false;
  const finished = done.then(() => undefined);
  finished.catch(() => undefined); // an aborted run is never awaited; an awaited one still sees the failure
  return {
    stdin,
    done: finished,
    abort: () => {
      if (aborted) return;
      aborted = true;
      stdin.destroy();
      child.kill('SIGKILL');
    },
  };
}

/** The file's duration from its WebM Segment Info (read in-process: the same figure ffprobe prints). */
export async function webmSeconds(file: string): Promise<number> {
  const fh = await fsp.open(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const seconds = readWebmDuration(buf.subarray(0, bytesRead));
    if (seconds === null) throw new AssemblyError(`no duration in the header of ${path.basename(file)}`, true);
    return seconds;
  } finally {
    await fh.close();
  }
}

// EBML ids (Matroska): the Segment holds Info, which holds TimecodeScale (ns per tick) and Duration (ticks, float).
const EBML_HEADER = 0x1a45dfa3;
const SEGMENT = 0x18538067;
const INFO = 0x1549a966;
const TIMECODE_SCALE = 0x2ad7b1;
const DURATION = 0x4489;

/** Duration in seconds from the start of a WebM file (ffmpeg writes Info before the clusters), or null. */
export function readWebmDuration(b: Buffer): number | null {
  const vint = (at: number, keepMarker: boolean): { value: number; len: number; unknown: boolean } | null => {
    if (at >= b.length) return null;
    const first = b[at]!;
    let len = 1;
    while (len <= 8 && !(first & (0x80 >> (len - 1)))) len++;
    if (len > 8 || at + len > b.length) return null;
    let value = keepMarker ? first : first & (0xff >> len);
    let allOnes = value === 0xff >> len;
    for (let i = 1; i < len; i++) {
      value = value * 256 + b[at + i]!;
      if (b[at + i] !== 0xff) allOnes = false;
    }
    return { value, len, unknown: !keepMarker && allOnes };
  };
  const children = function* (from: number, to: number) {
    let at = from;
    while (at < to) {
      const id = vint(at, true);
      if (!id) return;
      const size = vint(at + id.len, false);
      if (!size) return;
      const body = at + id.len + size.len;
      yield { id: id.value, body, end: size.unknown ? to : Math.min(to, body + size.value), size: size.value, unknown: size.unknown };
      if (size.unknown) return;
      at = body + size.value;
    }
  };
  for (const top of children(0, b.length)) {
    if (top.id === EBML_HEADER) continue;
    if (top.id !== SEGMENT) return null;
    for (const el of children(top.body, top.end)) {
      if (el.id !== INFO) continue;
      let scale = 1_000_000;
      let duration: number | null = null;
      for (const f of children(el.body, el.end)) {
        if (f.id === TIMECODE_SCALE) scale = b.readUIntBE(f.body, Math.min(6, f.size));
        if (f.id === DURATION) duration = f.size === 4 ? b.readFloatBE(f.body) : f.size === 8 ? b.readDoubleBE(f.body) : null;
      }
      return duration === null || !Number.isFinite(duration) ? null : (duration * scale) / 1e9;
    }
  }
  return null;
}

/** ffprobe's view of a file's duration (kept for tools and tests; assembly reads the header in-process). */
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
