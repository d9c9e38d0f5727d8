// Why a screen recording is shorter than the time it covers on a slow machine (issue #15, item 6): records the
// fake camera and the fake screen with one MediaRecorder each (3 s timeslice, as the app does), on a page whose
// CPU is throttled through CDP, with or without a busy main thread right after start() (what a React re-render
// and the monitor's start-up do on 【进入考试】). Prints, per stream, the wall time from start() to stop(), the
// media duration ffprobe reads from the chunks, and the difference; and when the run's first frame came, as the app
// now records it (packages/web/src/media/first-frame.ts: a MediaStreamTrackProcessor on a clone of the track, read
// in a worker), against stop() − the file's length, the first frame as the file itself shows it.
// Run: npx tsx bench/recorder-start.ts [--rate 4] [--busy-ms 2000] [--seconds 20] [--warm 1000]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const rate = arg('rate', 4);
const busyMs = arg('busy-ms', 0);
const seconds = arg('seconds', 20);
const warm = arg('warm', 0);

const server = http.createServer((_q, r) => r.end('<!doctype html><title>x</title>')).listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const port = (server.address() as { port: number }).port;
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--auto-accept-this-tab-capture', '--autoplay-policy=no-user-gesture-required'],
});
const page = await browser.newPage();
await page.goto(`http://127.0.0.1:${port}/`);
const cdp = await page.context().newCDPSession(page);
await cdp.send('Emulation.setCPUThrottlingRate', { rate });

// Plain JavaScript for the page (tsx would add its own helpers to a function handed to page.evaluate).
const PAGE = `async ({ seconds, busyMs, warm }) => {
  const cam = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
  const scr = await navigator.mediaDevices.getDisplayMedia({ video: true });
  if (warm) await new Promise((r) => setTimeout(r, warm));
  // The app's first-frame watcher (first-frame.ts + first-frame.worker.ts), inlined: this page has no bundler.
  const WORKER = 'onmessage = async (e) => { const { readable } = e.data; const reader = readable.getReader(); let first = null, off = Infinity, n = 0, done = false;' +
    'const fin = () => { if (done) return; done = true; postMessage({ at: first === null ? null : first + off }); reader.cancel().catch(() => 0); };' +
    'for (;;) { const r = await reader.read().catch(() => ({ done: true })); if (r.done) break; const wall = performance.timeOrigin + performance.now(); const ts = r.value.timestamp / 1000; r.value.close();' +
    'if (done) continue; off = Math.min(off, wall - ts); if (first === null) { first = ts; setTimeout(fin, 400); } if (++n >= 6) fin(); } fin(); };';
  const workerUrl = URL.createObjectURL(new Blob([WORKER], { type: 'text/javascript' }));
  const watch = (track) => new Promise((resolve) => {
    const clone = track.clone();
    const readable = new MediaStreamTrackProcessor({ track: clone, maxBufferSize: 4 }).readable;
    const w = new Worker(workerUrl);
    w.onmessage = (e) => { resolve(e.data.at); w.terminate(); clone.stop(); };
    w.postMessage({ readable }, [readable]);
  });
  const rec = (name, s) => {
    const mime = s.getAudioTracks().length ? 'video/webm;codecs=vp8,opus' : 'video/webm;codecs=vp8';
    const r = new MediaRecorder(s, { mimeType: mime, videoBitsPerSecond: name === 'camera' ? 500000 : 300000 });
    const info = { name, startCall: 0, startEvent: 0, firstData: 0, stopAt: 0, chunks: [], firstFrame: null };
    r.onstart = () => (info.startEvent = performance.now());
    r.ondataavailable = (e) => {
      if (!info.firstData) info.firstData = performance.now();
      info.chunks.push(e.data);
    };
    info.startCall = performance.now();
    watch(s.getVideoTracks()[0]).then((at) => (info.firstFrame = at === null ? null : at - performance.timeOrigin));
    r.start(3000);
    return { r, info };
  };
  const a = rec('camera', cam);
  const b = rec('screen', scr);
  if (busyMs) {
    const until = performance.now() + busyMs;
    while (performance.now() < until) Math.sqrt(Math.random());
  }
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const stop = (x) => new Promise((res) => { x.r.onstop = () => res(); x.info.stopAt = performance.now(); x.r.stop(); });
  await Promise.all([stop(a), stop(b)]);
  const enc = async (x) => {
    const buf = new Uint8Array(await new Blob(x.info.chunks).arrayBuffer());
    let s = '';
    for (let i = 0; i < buf.length; i += 0x8000) s += String.fromCharCode(...buf.subarray(i, i + 0x8000));
    return { name: x.info.name, wallMs: x.info.stopAt - x.info.startCall, startEventMs: x.info.startEvent - x.info.startCall, firstDataMs: x.info.firstData - x.info.startCall, firstFrameMs: x.info.firstFrame === null ? null : x.info.firstFrame - x.info.startCall, b64: btoa(s) };
  };
  return [await enc(a), await enc(b)];
}`;
const out = (await page.evaluate(`(${PAGE})(${JSON.stringify({ seconds, busyMs, warm })})`)) as Array<{
  name: string;
  wallMs: number;
  startEventMs: number;
  firstDataMs: number;
  firstFrameMs: number | null;
  b64: string;
}>;
await browser.close();
server.close();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rec-start-'));
for (const o of out) {
  const raw = path.join(dir, `${o.name}.webm`);
  fs.writeFileSync(raw, Buffer.from(o.b64, 'base64'));
  const fixed = path.join(dir, `${o.name}-cues.webm`);
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', raw, '-c', 'copy', fixed]);
  const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration:stream=codec_type,start_time', '-of', 'json', fixed], { encoding: 'utf8' })) as {
    format: { duration: string };
    streams: Array<{ codec_type: string; start_time: string }>;
  };
  const media = Number(probe.format.duration) * 1000;
  const starts = probe.streams.map((s) => `${s.codec_type}@${Number(s.start_time).toFixed(3)}`).join(' ');
  console.log(
    `rate ${rate} busy ${busyMs} warm ${warm} ${o.name.padEnd(6)} wall ${(o.wallMs / 1000).toFixed(2)} s  media ${(media / 1000).toFixed(2)} s  short by ${((o.wallMs - media) / 1000).toFixed(2)} s  start-event +${o.startEventMs.toFixed(0)} ms  first-data +${o.firstDataMs.toFixed(0)} ms  ${starts}`,
  );
  // stop − the file length: the first frame only if no frame was lost at the end (an encoder short of CPU loses them).
  const fileFirst = o.wallMs - media;
  // Where the frames sit in the file: dense at the start and sparse or missing at the end means the encoder fell
  // behind (the file is short at its end), not that the first frame came late.
  const pts = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', fixed], { encoding: 'utf8' }).trim().split('\n').map(Number);
  console.log(
    `  ${o.name.padEnd(6)} ${pts.length} video frames; first at ${pts
      .slice(0, 4)
      .map((t) => t.toFixed(3))
      .join(', ')} … last at ${pts
      .slice(-3)
      .map((t) => t.toFixed(3))
      .join(', ')} s`,
  );
  const watched = o.firstFrameMs;
  console.log(
    `  ${o.name.padEnd(6)} first frame: watcher +${watched === null ? '—' : watched.toFixed(0)} ms, file (stop − length) +${fileFirst.toFixed(0)} ms, watcher − file ${watched === null ? '—' : (watched - fileFirst).toFixed(0)} ms`,
  );
}
