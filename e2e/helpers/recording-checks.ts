// What the recording specs check on the server side, as staff would: the recording's segment list (no hole,
// status complete), its completeness report, and the assembled file itself (downloaded like a reviewer does,
// measured with ffprobe and fully decoded with ffmpeg).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, request, type APIRequestContext } from '@playwright/test';
import type { CompletenessReport, Recording } from '../../packages/contracts/src/recordings.ts';

export async function staffApi(baseUrl: string, login: { username: string; password: string }): Promise<APIRequestContext> {
  const api = await request.newContext({ baseURL: baseUrl });
  const r = await api.post('/api/auth/login', { data: login });
  if (!r.ok()) throw new Error(`staff login: ${r.status()} ${await r.text()}`);
  return api;
}

/** The recording as the server holds it; once verified (上传成功), after its assembly job has finished — upload
 *  done ≠ assembled, and the assembly follows within seconds as a background job. */
export async function getRecording(api: APIRequestContext, recordingId: string, assemblyTimeoutMs = 60_000): Promise<Recording> {
  const until = Date.now() + assemblyTimeoutMs;
  for (;;) {
    const r = await api.get(`/api/recordings/${recordingId}`);
    if (!r.ok()) throw new Error(`GET recording: ${r.status()} ${await r.text()}`);
    const rec = (await r.json()) as Recording;
    const pending = rec.status === 'verified' && (rec.assembly?.state === 'queued' || rec.assembly?.state === 'assembling');
    if (!pending || Date.now() > until) return rec;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export interface FileFacts {
  seconds: number;
  codecs: string[]; // e.g. ['video:vp8', 'audio:opus']
  videoFrames: number; // shown on failure: few frames per second means the encoder was starved of CPU
  decodeErrors: string;
}

/** Downloads the assembled WebM, measures its duration and decodes every frame (a hidden corruption fails here). */
export async function probeAssembled(api: APIRequestContext, recordingId: string): Promise<FileFacts> {
  const r = await api.get(`/api/recordings/${recordingId}/file`);
  if (!r.ok()) throw new Error(`GET file: ${r.status()} ${await r.text()}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'invigil-rec-'));
  const file = path.join(dir, `${recordingId}.webm`);
  try {
    fs.writeFileSync(file, await r.body());
    const json = JSON.parse(
      execFileSync('ffprobe', ['-v', 'error', '-count_packets', '-show_entries', 'format=duration:stream=codec_type,codec_name,nb_read_packets', '-of', 'json', file], { encoding: 'utf8' }),
    ) as {
      format: { duration: string };
      streams: Array<{ codec_type: string; codec_name: string; nb_read_packets: string }>;
    };
    const decode = spawnSync('ffmpeg', ['-v', 'error', '-nostdin', '-i', file, '-f', 'null', '-'], { encoding: 'utf8' });
    // The null muxer's complaint about a repeated timestamp where two runs were joined is about timestamps, not
    // about damaged media; every other line is a decoding error.
    const decodeErrors = decode.stderr
      .split('\n')
      .filter((l) => l.trim() && !/non monotonically increasing dts|Last message repeated/.test(l))
      .join('\n');
    const videoFrames = Number(json.streams.find((s) => s.codec_type === 'video')?.nb_read_packets ?? 0);
    return { seconds: Number(json.format.duration), codecs: json.streams.map((s) => `${s.codec_type}:${s.codec_name}`), videoFrames, decodeErrors };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * 2 % is the promise. On a machine starved of CPU (other jobs on the same 2 cores) the browser's software
 * encoder drops frames and lags, and files come out shorter for that reason alone; E2E_DURATION_TOLERANCE lets a
 * person check the rest of the behaviour there, and the measured numbers are printed either way.
 */
const DURATION_TOLERANCE = Number(process.env.E2E_DURATION_TOLERANCE ?? 0.02);

/**
 * A run ended by a reload, a closed browser or a crash never gets the recorder's final flush: the frames its
 * encoder still held (a backlog that grows when the CPU is starved: 1.5 s measured with one core busy) are gone
 * with the page, and no web page can save them. Every chunk the journal held still has to arrive (the segment
 * checks), and a lost chunk (3 s) is more than this.
 */
const INTERRUPTED_RUN_SHORTFALL_S = 2;

/**
 * A WebM's timeline starts at the first frame its recorder receives, and a screen capture sends frames only when
 * something changes: its first frame came 0.5–0.7 s after start() in these specs on an idle machine (up to ~3 s on a
 * busy page, bench/recorder-start.ts; issue #15 item 6). Nothing is lost — there was no frame to record — but the
 * screen file of each run is that much shorter than the browser's clock, which 2 % of a 20 s test cannot absorb.
 */
const SCREEN_FIRST_FRAME_S = 1;

export interface Expectation {
  /** What the browser actually recorded, measured by the test from its own clock (seconds). */
  browserSeconds: number;
  runs: number;
  tolerance?: number; // relative; default DURATION_TOLERANCE
  audio: boolean;
}

export interface Verified {
  recording: Recording;
  report: CompletenessReport;
  file: FileFacts;
}

/**
 * The promise, checked: the recording is complete, segments 0..lastSeq are all there, the report counts the
 * expected runs, and the assembled file lasts as long as the browser recorded (within the tolerance), decodes
 * without error and carries the expected codecs.
 */
export async function expectVerified(api: APIRequestContext, stream: string, recordingId: string, e: Expectation): Promise<Verified> {
  const recording = await getRecording(api, recordingId);
  expect(recording.status, 'recording status').toBe('complete');
  expect(recording.lastSeq, 'a last segment was declared').not.toBeNull();
  expect(
    recording.segments.map((s) => s.seq),
    'no missing segment',
  ).toEqual(Array.from({ length: recording.lastSeq! + 1 }, (_, i) => i));
  const report = recording.report!;
  expect(report, 'completeness report').toBeTruthy();
  expect(report.runs, 'runs').toBe(e.runs);
  expect(report.gaps.length, 'one gap between each pair of runs').toBe(e.runs - 1);
  const file = await probeAssembled(api, recordingId);
  console.log(describe(stream, { recording, report, file }, e.browserSeconds)); // the measured numbers, pass or fail
  const tol = e.tolerance ?? DURATION_TOLERANCE;
  // Each run but the last was ended by the interruption itself, without the recorder's final flush.
  const cutShort = INTERRUPTED_RUN_SHORTFALL_S * (e.runs - 1) + (stream === 'screen' ? SCREEN_FIRST_FRAME_S * e.runs : 0);
  expect(Math.abs(file.seconds - e.browserSeconds), `file ${file.seconds.toFixed(2)} s (${(file.videoFrames / file.seconds).toFixed(1)} fps) vs browser ${e.browserSeconds.toFixed(2)} s`).toBeLessThan(
    tol * e.browserSeconds + cutShort,
  );
  const perRun = report.perRun ?? [];
  expect(perRun.length, 'figures for each run').toBe(e.runs);
  for (const [i, r] of perRun.entries()) {
    const slack = tol * r.secondsRecorded + (i < perRun.length - 1 ? INTERRUPTED_RUN_SHORTFALL_S : 0) + (stream === 'screen' ? SCREEN_FIRST_FRAME_S : 0);
    expect(Math.abs(r.secondsReceived - r.secondsRecorded), `run ${r.run}: file ${r.secondsReceived} s vs declared ${r.secondsRecorded} s`).toBeLessThan(slack);
  }
  expect(Math.abs(report.secondsRecorded - e.browserSeconds) / e.browserSeconds, `declared ${report.secondsRecorded} s vs browser ${e.browserSeconds.toFixed(2)} s`).toBeLessThan(tol);
  expect(Math.abs(report.secondsReceived - file.seconds), 'report matches the file').toBeLessThan(0.05);
  expect(file.decodeErrors, 'the file decodes cleanly').toBe('');
  expect(
    file.codecs.some((c) => /^video:vp[89]$/.test(c)),
    `video codec in ${file.codecs}`,
  ).toBe(true);
  expect(file.codecs.includes('audio:opus'), `audio in ${file.codecs}`).toBe(e.audio);
  return { recording, report, file };
}

/** One line per stream for the test log: the measured numbers the report to the lead quotes. */
export function describe(stream: string, v: Verified, browserSeconds: number): string {
  const gaps = v.report.gaps.map((g) => `${g.seconds}s`).join(',') || 'none';
  const runs = (v.report.perRun ?? []).map((r) => `run ${r.run}: ${r.secondsRecorded} → ${r.secondsReceived} s`).join('; ');
  return `${stream}: [${runs}] browser ${browserSeconds.toFixed(2)} s, file ${v.file.seconds.toFixed(2)} s at ${(v.file.videoFrames / v.file.seconds).toFixed(1)} fps (${(((v.file.seconds - browserSeconds) / browserSeconds) * 100).toFixed(2)} %), declared ${v.report.secondsRecorded} s, ${v.report.segments} segments, ${v.report.runs} run(s), gaps ${gaps}`;
}
