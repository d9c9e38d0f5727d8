// Is analysing the phone's proof video on the server after upload worth it (issue #19 item 4)? This measures the
// cost: a proof-like video (WebM VP8, 15 fps, built at run time from the e2e face fixtures: the man turning his
// head, looped) is decoded at 1 frame/s by ffmpeg and every frame goes through the server's own Human engine
// (HumanFaceEngine, wasm backend, worker threads) — the same path a post-upload job would take.
// Prints: decode ms per minute of video, analyse ms per frame (median, p95), total CPU-seconds per minute of video,
// and what a session of N candidates × D minutes would cost on this machine's cores.
//   node --import tsx bench/monitor/proof-cost.ts [--seconds 60] [--width 640] [--workers 1] [--candidates 300] [--minutes 30]
// Small run (proves it works): --seconds 20. The figure: --seconds 300 on an idle machine.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { buildFaceFixtures } from '../../e2e/fixtures/faces.ts';
import { HumanFaceEngine } from '../../packages/server/src/adapters/face/human.ts';

const { values: a } = parseArgs({ options: { seconds: { type: 'string' }, width: { type: 'string' }, workers: { type: 'string' }, candidates: { type: 'string' }, minutes: { type: 'string' } } });
const SECONDS = Number(a.seconds ?? 60);
const WIDTH = Number(a.width ?? 640);
const HEIGHT = Math.round((WIDTH * 3) / 4 / 2) * 2;
const WORKERS = Number(a.workers ?? 1);
const CANDIDATES = Number(a.candidates ?? 300);
const MINUTES = Number(a.minutes ?? 30);
const pct = (xs: number[], p: number) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'invigil-proof-cost-'));
try {
  const fx = await buildFaceFixtures();
  // 1. A proof-like upload: VP8 WebM at 15 fps (what MediaRecorder on a phone gives), the turning clip looped.
  const video = path.join(tmp, 'proof.webm');
  execFileSync('ffmpeg', [
    '-y',
    '-loglevel',
    'error',
    '-stream_loop',
    '-1',
    '-i',
    fx.turnClip.left,
    '-t',
    String(SECONDS),
    '-vf',
    `scale=${WIDTH}:${HEIGHT},fps=15`,
    '-c:v',
    'libvpx',
    '-b:v',
    '600k',
    '-deadline',
    'realtime',
    '-cpu-used',
    '8',
    video,
  ]);

  // 2. Decode at 1 frame/s to JPEG (what the engine takes).
  const frames = path.join(tmp, 'frames');
  fs.mkdirSync(frames);
  const d0 = performance.now();
  execFileSync('ffmpeg', ['-y', '-loglevel', 'error', '-i', video, '-vf', 'fps=1', '-q:v', '4', path.join(frames, '%05d.jpg')]);
  const decodeMs = performance.now() - d0;
  const files = fs
    .readdirSync(frames)
    .filter((f) => f.endsWith('.jpg'))
    .sort();

  // 3. Every frame through the server's engine; the first one is the warm-up and not counted.
  const engine = await HumanFaceEngine.create({ workers: WORKERS });
  try {
    await engine.analyze(fs.readFileSync(path.join(frames, files[0]!)));
    const infer: number[] = [];
    let withFace = 0;
    const w0 = performance.now();
    await Promise.all(
      files.map(async (f) => {
        const r = await engine.analyze(fs.readFileSync(path.join(frames, f)));
        infer.push(r.inferenceMs);
        if (r.faces.length === 1) withFace++;
      }),
    );
    const wallMs = performance.now() - w0;
    const perMinDecode = (decodeMs / SECONDS) * 60;
    const perMinAnalyse = pct(infer, 50) * 60;
    const cpuSecPerMin = (perMinDecode + perMinAnalyse) / 1000;
    const sessionCoreHours = (cpuSecPerMin * MINUTES * CANDIDATES) / 3600;
    const out = {
      video: { seconds: SECONDS, size: `${WIDTH}x${HEIGHT}`, fps: 15, codec: 'vp8', bytes: fs.statSync(video).size },
      frames: files.length,
      framesWithOneFace: withFace,
      decodeMsPerVideoMinute: Math.round(perMinDecode),
      analyseMsPerFrame: { median: Math.round(pct(infer, 50)), p95: Math.round(pct(infer, 95)) },
      wallMsAllFrames: Math.round(wallMs),
      engine: engine.info(),
      cpuSecondsPerVideoMinute: Number(cpuSecPerMin.toFixed(1)),
      session: {
        candidates: CANDIDATES,
        minutes: MINUTES,
        coreHours: Number(sessionCoreHours.toFixed(1)),
        hoursOnThisMachine: Number((sessionCoreHours / os.availableParallelism()).toFixed(1)),
        cores: os.availableParallelism(),
      },
    };
    console.log(JSON.stringify(out, null, 2));
  } finally {
    await engine.close();
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
