// Setup for the proctor specs: a fresh web build, the real server with live monitoring, simulated candidates
// (API login + socket with thumbnails, to fill a room to 30+ tiles) and small checks on live video.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { io, type Socket } from 'socket.io-client';
import { ROOT, TestServer, type Demo } from './server.ts';
import { ensureWebBuild } from './web-build.ts';
import { animationsDone } from './waits.ts';

export const SHOTS = path.join(ROOT, 'e2e/screenshots');

/** The real server with live monitoring (wired in packages/server/src/features.ts). */
export async function startProctorServer(env: Record<string, string> = {}): Promise<TestServer> {
  ensureWebBuild();
  return TestServer.start(env);
}

/** Small JPEG frames (ffmpeg's test pattern at different moments) standing in for webcam thumbnails. */
export function thumbnailFrames(n = 8): Buffer[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'invigil-thumbs-'));
  execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=1', '-frames:v', String(n), '-q:v', '6', path.join(dir, '%02d.jpg')]);
  const frames = fs
    .readdirSync(dir)
    .sort()
    .map((f) => fs.readFileSync(path.join(dir, f)));
  fs.rmSync(dir, { recursive: true, force: true });
  return frames;
}

export interface SimulatedCandidate {
  ticket: string;
  socket: Socket;
  call(method: string, url: string, body?: unknown): Promise<unknown>;
}

/**
 * A candidate driven without a browser: logs in, optionally enters and goes to the waiting room, connects the
 * socket and sends a thumbnail every `everyMs` — what the desktop app's monitoring does, minus the camera.
 */
export async function simulateCandidate(baseUrl: string, c: Demo['candidates'][number], o: { enter: boolean; frame: Buffer; everyMs: number }): Promise<SimulatedCandidate> {
  const login = await fetch(`${baseUrl}/api/auth/candidate-login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ idNumber: c.idNumber, ticket: c.ticket, clientId: `sim-${c.ticket}` }),
  });
  expect(login.status, await login.clone().text()).toBe(200);
  const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
  const call = async (method: string, url: string, body?: unknown) => {
    const r = await fetch(`${baseUrl}${url}`, { method, headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    expect(r.ok, `${method} ${url}: ${r.status} ${await r.clone().text()}`).toBe(true);
    return r.json();
  };
  if (o.enter) {
    const state = (await call('GET', '/api/attempt')) as { documents: Array<{ id: string }> };
    for (const d of state.documents) await call('POST', `/api/attempt/documents/${d.id}/read`, {});
    await call('POST', '/api/attempt/enter', { singleMonitor: true, displaySurface: 'monitor' });
    await call('POST', '/api/attempt/ready', {});
  }
  const socket = io(baseUrl, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie } });
  const send = () => socket.emit('monitor:thumb', { at: Date.now(), jpeg: o.frame });
  socket.on('connect', send);
  socket.on('monitor:want', send);
  const timer = setInterval(send, o.everyMs);
  socket.on('disconnect', () => clearInterval(timer));
  return { ticket: c.ticket, socket, call };
}

/**
 * Keeps the page's WebRTC peer connections and WebSockets, so a spec can prove that a live view really ends (or
 * is opened again) on every end, and cut the sockets as a network blip would. Call before the page's first
 * navigation; it only observes (the app is unchanged) until a spec calls dropWebSockets().
 */
export async function watchConnections(page: Page) {
  await page.addInitScript(() => {
    // Each native constructor replaced by a proxy that remembers its instances (statics and instanceof kept).
    function kept<C extends new (...args: never[]) => object>(Native: C): { Kept: C; all: InstanceType<C>[] } {
      const all: InstanceType<C>[] = [];
      const Kept = new Proxy(Native, {
        construct(target, args, newTarget) {
          const made = Reflect.construct(target, args, newTarget) as InstanceType<C>;
          all.push(made);
          return made;
        },
      });
      return { Kept, all };
    }
    const pcs = kept(window.RTCPeerConnection);
    const sockets = kept(window.WebSocket);
    window.RTCPeerConnection = pcs.Kept;
    window.WebSocket = sockets.Kept;
    const w = window as unknown as { peerConnections: () => PeerConnections; dropWebSockets: () => number; inboundVideo: () => Promise<InboundVideo[]> };
    w.peerConnections = () => ({ created: pcs.all.length, open: pcs.all.filter((pc) => pc.connectionState !== 'closed').length });
    w.inboundVideo = async () => {
      const out: InboundVideo[] = [];
      for (const pc of pcs.all.filter((x) => x.connectionState !== 'closed'))
        (await pc.getStats()).forEach((r: Record<string, unknown>) => {
          if (r.type === 'inbound-rtp' && r.kind === 'video')
            out.push({
              connection: pc.connectionState,
              mid: String(r.mid),
              bytesReceived: Number(r.bytesReceived ?? 0),
              framesReceived: Number(r.framesReceived ?? 0),
              framesDecoded: Number(r.framesDecoded ?? 0),
              keyFramesDecoded: Number(r.keyFramesDecoded ?? 0),
              frameHeight: Number(r.frameHeight ?? 0),
              pliCount: Number(r.pliCount ?? 0),
            });
        });
      return out;
    };
    w.dropWebSockets = () => {
      const open = sockets.all.filter((ws) => ws.readyState === WebSocket.OPEN);
      open.forEach((ws) => ws.close());
      return open.length;
    };
  });
}

/** One incoming video of an open peer connection, from getStats(): where a live picture stops on its way. */
export interface InboundVideo {
  connection: string;
  mid: string;
  bytesReceived: number;
  framesReceived: number;
  framesDecoded: number;
  keyFramesDecoded: number;
  frameHeight: number;
  pliCount: number;
}

/** The page's incoming videos (see watchConnections). */
export function inboundVideo(page: Page): Promise<InboundVideo[]> {
  return page.evaluate(() => (window as unknown as { inboundVideo: () => Promise<InboundVideo[]> }).inboundVideo());
}

export interface PeerConnections {
  created: number;
  /** Not closed yet. */
  open: number;
}

export function peerConnections(page: Page): Promise<PeerConnections> {
  return page.evaluate(() => (window as unknown as { peerConnections: () => PeerConnections }).peerConnections());
}

/** Closes the page's open WebSockets (see watchConnections); returns how many. */
export function dropWebSockets(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { dropWebSockets: () => number }).dropWebSockets());
}

/** Frames the <video> has decoded (not merely received): the proof that live media really arrives. */
export async function decodedFrames(video: Locator): Promise<number> {
  return video.evaluate((v: HTMLVideoElement) => (v.videoWidth > 0 ? v.getVideoPlaybackQuality().totalVideoFrames : 0));
}

/** Lines of the picture the <video> receives now (0 before the first frame). */
export async function videoHeight(video: Locator): Promise<number> {
  return video.evaluate((v: HTMLVideoElement) => v.videoHeight);
}

/**
 * Frames the <video> decodes from now until its next presented frame, waiting at most `withinMs`: above 0 as soon
 * as the live stream shows one more frame (no fixed wait), 0 when none came in time.
 */
export async function framesAdvance(video: Locator, withinMs = 1500): Promise<number> {
  return video.evaluate(
    (v: HTMLVideoElement, ms: number) =>
      new Promise<number>((resolve) => {
        const frames = () => (v.videoWidth > 0 ? v.getVideoPlaybackQuality().totalVideoFrames : 0);
        const before = frames();
        const timer = setTimeout(() => resolve(frames() - before), ms);
        v.requestVideoFrameCallback(() => {
          clearTimeout(timer);
          resolve(Math.max(1, frames() - before)); // a presented frame is a decoded one
        });
      }),
    withinMs,
  );
}

export async function staffLogin(page: Page, baseUrl: string, user: { username: string; password: string }) {
  await page.goto(`${baseUrl}/proctor/login`);
  await page.getByLabel('用户名').fill(user.username);
  await page.getByLabel('密码').fill(user.password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  // Logged in once the console has left its login page: a goto before that aborts the login request on a slow
  // machine, and the next page finds no session (CI: mock-self-test landed on the login page).
  await expect(page).not.toHaveURL(/\/proctor\/login/, { timeout: 15_000 });
}

/** antd's open/close animations have ended (see waits.ts). */
export async function settle(page: Page) {
  await animationsDone(page);
}
