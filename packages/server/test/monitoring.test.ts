// Live monitoring through the real app on a real port: the grid and flag feed over REST, reviews and warnings
// audited, ending an exam for a violation, and the socket relays (thumbnails, presence, WebRTC signalling,
// evidence frames) — including what must NOT be relayed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { socketOf } from './helpers/socket.ts';
import type { Flag, MonitorTile, Warning } from '@invigil/contracts';
import { cookieOf, makeApp, seed, type TestApp } from './helpers/app.ts';
import { allowedRoles } from '../src/http/access.ts';
import { LocalBlobStore } from '../src/adapters/blob/local.ts';
import { monitoringRoutes } from '../src/http/routes/monitoring.ts';
import { proofRoutes } from '../src/http/routes/proof.ts';
import { monitoringSocketHandler, socketSnapshots } from '../src/realtime/monitoring.ts';
import { defaultMonitoringSettings, EvidenceCollector } from '../src/services/monitoring/index.ts';

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0xff, 0xd9]);
const ENTER = { singleMonitor: true, displaySurface: 'monitor' };

let t: TestApp;
let demo: Awaited<ReturnType<typeof seed>>;
let blobs: LocalBlobStore;
let blobDir: string;
let url: string;
const cookies: Record<string, string> = {};
const attempts: string[] = [];
const sockets: Socket[] = [];

beforeAll(async () => {
  blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'invigil-mon-'));
  blobs = await LocalBlobStore.create(blobDir);
  const settings = { ...defaultMonitoringSettings(), thumbMinIntervalMs: 0, iceServers: [{ urls: 'stun:stun.example.org:3478' }] };
  t = await makeApp('sqlite', {
    deps: { plugins: [(a, ctx) => monitoringRoutes(a, ctx, { blobs }), (a, ctx) => proofRoutes(a, ctx, { bus: a.realtime })], socketHandlers: [monitoringSocketHandler(settings)] },
  });
  demo = await seed(t, 600, 1500, 3);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  for (const r of ['admin', 'proctor', 'support', 'examiner'] as const) cookies[r] = await t.login(demo[r].username, demo[r].password);
  for (const [i, c] of demo.candidates.slice(0, 2).entries()) {
    const cookie = cookieOf(await t.candidateLogin(c.idNumber, c.ticket, `client-mon-000${i}`));
    cookies[`c${i}`] = cookie;
    attempts.push((await t.req('GET', '/api/attempt', cookie)).json().attemptId);
  }
});
afterAll(async () => {
  sockets.forEach((s) => s.disconnect());
  await t.cleanup();
  fs.rmSync(blobDir, { recursive: true, force: true });
});

const socket = (cookie: string) => socketOf(url, cookie, sockets);
const next = <T>(s: Socket, event: string, ms = 2000) =>
  new Promise<T | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    s.once(event, (p: T) => {
      clearTimeout(timer);
      resolve(p);
    });
  });
const json = async <T>(method: string, u: string, who: string, body?: unknown) => {
  const res = await t.req(method, u, cookies[who], body);
  expect(res.statusCode, `${method} ${u} as ${who}: ${res.body}`).toBe(200);
  return res.json() as T;
};
const audit = async (action: string) => t.app.ctx.db.selectFrom('audit_log').select(['actor', 'target', 'data']).where('action', '=', action).execute();

async function enter(who: string) {
  const state = await json<{ documents: Array<{ id: string }> }>('GET', '/api/attempt', who);
  for (const d of state.documents) await json('POST', `/api/attempt/documents/${d.id}/read`, who);
  await json('POST', '/api/attempt/enter', who, ENTER);
  await json('POST', '/api/attempt/ready', who);
}

describe('access', () => {
  // The shared auth matrix covers these once main.ts wires monitoring; until then, the same rule here.
  it('answers 401 without a session and 403 to every role a monitoring route does not declare', async () => {
    const mine = t.app.routeTable.filter((r) => /\/(monitor|flags|warnings|support)\b|^\/api\/attempts\/:attemptId\/end$/.test(r.url));
    expect(mine.length).toBe(10);
    const failures: string[] = [];
    for (const r of mine) {
      const url = r.url.replace(/:(\w+)/g, '00000000-0000-4000-8000-000000000000');
      if ((await t.req(r.method, url)).statusCode !== 401) failures.push(`anonymous ${r.method} ${r.url}`);
      const allowed = allowedRoles(r.access);
      for (const role of ['admin', 'proctor', 'support', 'examiner', 'c0'] as const) {
        const declared = allowed !== 'public' && allowed.includes(role === 'c0' ? 'candidate' : role);
        const status = (await t.req(r.method, url, cookies[role], {})).statusCode;
        if (declared === (status === 403)) failures.push(`${role} ${r.method} ${r.url} → ${status}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

describe('grid and flag feed', () => {
  it('shows every candidate of the room with phase and open flags; a review updates counts and is audited', async () => {
    await json('POST', '/api/attempt/events', 'c0', {
      signals: [
        { type: 'page-hidden', at: t.clock.now(), data: {} },
        { type: 'page-visible', at: t.clock.now() + 1, data: {} },
      ],
    });
    const grid = await json<{ tiles: MonitorTile[] }>('GET', `/api/sessions/${demo.sessionId}/monitor`, 'proctor');
    expect(grid.tiles.map((x) => x.phase)).toEqual(['logged-in', 'logged-in', 'absent']);
    expect(grid.tiles[2]!.attemptId).toBeNull();
    // This session does not require the proof camera and no phone is bound: no phone state to show on the tile.
    expect(grid.tiles[0]!.proof).toBeNull();
    expect(grid.tiles[0]!.flags).toMatchObject({ total: 1, open: 1, worst: 'medium' }); // page-visible is not a flag

    const feed = await json<Flag[]>('GET', `/api/sessions/${demo.sessionId}/flags`, 'proctor');
    expect(feed.map((f) => [f.type, f.severity])).toEqual([['page-hidden', 'medium']]);
    expect((await json<Flag[]>('GET', `/api/sessions/${demo.sessionId}/flags?all=1`, 'proctor')).map((f) => f.type).sort()).toEqual(['page-hidden', 'page-visible']);

    const reviewed = await json<Flag>('POST', `/api/flags/${feed[0]!.id}/review`, 'proctor', { decision: 'confirmed', note: '切换到其他窗口约 5 秒' });
    expect(reviewed.review).toMatchObject({ decision: 'confirmed', note: '切换到其他窗口约 5 秒', by: '监考员' });
    const after = await json<{ tiles: MonitorTile[] }>('GET', `/api/sessions/${demo.sessionId}/monitor`, 'proctor');
    expect(after.tiles[0]!.flags).toMatchObject({ total: 1, open: 0 });
    expect(await audit('flag.confirm')).toEqual([expect.objectContaining({ target: `attempt:${attempts[0]}`, data: expect.stringContaining('切换到其他窗口') })]);

    await json('POST', `/api/flags/${feed[0]!.id}/review`, 'admin', { decision: 'dismissed', note: '' });
    expect((await json<{ tiles: MonitorTile[] }>('GET', `/api/sessions/${demo.sessionId}/monitor`, 'proctor')).tiles[0]!.flags.total).toBe(0);
    // Incremental reads: nothing arrived after the newest one.
    expect(await json<Flag[]>('GET', `/api/sessions/${demo.sessionId}/flags?since=${feed[0]!.receivedAt}`, 'proctor')).toEqual([]);
  });

  it('keeps roles apart: support reads but may not review; an unknown session is 404', async () => {
    expect((await t.req('GET', `/api/sessions/${demo.sessionId}/monitor`, cookies.support)).statusCode).toBe(200);
    expect((await t.req('GET', `/api/sessions/${demo.sessionId}/support`, cookies.proctor)).statusCode).toBe(403);
    expect((await t.req('POST', '/api/flags/x/review', cookies.support, { decision: 'confirmed' })).statusCode).toBe(403);
    expect((await t.req('GET', `/api/sessions/${demo.sessionId}/monitor`, cookies.examiner)).statusCode).toBe(403);
    expect((await t.req('GET', '/api/sessions/00000000-0000-4000-8000-000000000000/monitor', cookies.proctor)).statusCode).toBe(404);
    const rows = await json<Array<{ ticket: string; phase: string; deviceCheck: unknown }>>('GET', `/api/sessions/${demo.sessionId}/support`, 'support');
    expect(rows.map((r) => r.phase)).toEqual(['logged-in', 'logged-in', 'absent']);
  });
});

describe('warnings and ending an exam', () => {
  it('shows a warning on the candidate’s socket, keeps it pending until acknowledged, tells staff of the ack', async () => {
    const candidate = await socket(cookies.c1!);
    const proctor = await socket(cookies.proctor!);
    expect(await proctor.emitWithAck('staff:watch', { sessionId: demo.sessionId })).toEqual({ ok: true });
    const shown = next<Warning>(candidate, 'warning:show');
    const w = await json<Warning>('POST', `/api/attempts/${attempts[1]}/warnings`, 'proctor', { text: '请将脸部保持在摄像头画面内。' });
    expect(await shown).toMatchObject({ id: w.id, text: '请将脸部保持在摄像头画面内。', ackAt: null });
    expect((await json<Warning[]>('GET', '/api/attempt/warnings', 'c1')).map((x) => x.id)).toEqual([w.id]);
    expect((await t.req('POST', `/api/attempt/warnings/${w.id}/ack`, cookies.c0)).statusCode).toBe(404); // not theirs

    const acked = next<Warning>(proctor, 'warning:changed');
    await json('POST', `/api/attempt/warnings/${w.id}/ack`, 'c1');
    expect((await acked)?.ackAt).toEqual(expect.any(Number));
    expect(await json<Warning[]>('GET', '/api/attempt/warnings', 'c1')).toEqual([]);
    expect((await json<Warning[]>('GET', `/api/attempts/${attempts[1]}/warnings`, 'support'))[0]!.ackAt).not.toBeNull();
    expect((await audit('warning.send')).length).toBe(1);
    expect((await audit('warning.ack')).length).toBe(1);
  });

  it('ends an entered candidate’s exam with the reason in the audit log, and the candidate hears it', async () => {
    expect((await t.req('POST', `/api/attempts/${attempts[1]}/end`, cookies.proctor, { reason: '他人代考' })).json().error.code).toBe('NOT_ENTERED');
    await enter('c1');
    const candidate = await socket(cookies.c1!);
    const changed = next<{ status: string; reason: string }>(candidate, 'attempt:changed');
    await json('POST', `/api/attempts/${attempts[1]}/end`, 'proctor', { reason: '他人代考，经核实' });
    expect(await changed).toMatchObject({ status: 'ended', reason: 'proctor' });
    expect((await json<{ status: string; endReason: string }>('GET', '/api/attempt', 'c1')).endReason).toBe('proctor');
    expect(await audit('attempt.end')).toEqual([expect.objectContaining({ actor: expect.stringMatching(/^user:/), data: expect.stringContaining('他人代考，经核实') })]);
    expect((await t.req('POST', `/api/attempts/${attempts[1]}/warnings`, cookies.proctor, { text: 'x' })).json().error.code).toBe('ATTEMPT_ENDED');
  });
});

describe('socket relays', () => {
  it('passes JPEG thumbnails and status to the room’s proctor, drops anything else', async () => {
    const proctor = await socket(cookies.proctor!);
    await proctor.emitWithAck('staff:watch', { sessionId: demo.sessionId });
    const online = next<{ attemptId: string; online: boolean }>(proctor, 'monitor:presence');
    const candidate = await socket(cookies.c0!);
    expect(await online).toMatchObject({ attemptId: attempts[0], online: true });

    const thumb = next<{ attemptId: string; jpeg: Buffer }>(proctor, 'monitor:thumb');
    candidate.emit('monitor:thumb', { at: 1, jpeg: JPEG });
    const got = await thumb;
    expect(got?.attemptId).toBe(attempts[0]);
    expect(Buffer.from(got!.jpeg)).toEqual(JPEG);

    const notJpeg = next(proctor, 'monitor:thumb', 500);
    candidate.emit('monitor:thumb', { at: 2, jpeg: Buffer.from('<svg onload=alert(1)>') });
    expect(await notJpeg).toBeNull();

    const status = next<{ backlogBytes: number; camera: boolean }>(proctor, 'monitor:status');
    candidate.emit('monitor:status', { backlogBytes: 2048, backlogSegments: 1, camera: true, screen: true });
    expect(await status).toMatchObject({ attemptId: attempts[0], backlogBytes: 2048, camera: true });

    // A proctor opening the grid asks every desktop of the room for a frame now.
    const want = next(candidate, 'monitor:want');
    proctor.emit('monitor:refresh', { sessionId: demo.sessionId });
    expect(await want).not.toBeNull();

    const offline = next<{ online: boolean }>(proctor, 'monitor:presence');
    candidate.disconnect();
    expect(await offline).toMatchObject({ online: false });
  });

  it('signals a live view between the proctor and that one device only', async () => {
    const proctor = await socket(cookies.proctor!);
    const candidate = await socket(cookies.c0!);
    const other = await socket(cookies.c1!);
    expect(await proctor.emitWithAck('live:open', { attemptId: attempts[0], device: 'phone' })).toEqual({ ok: false, error: 'DEVICE_OFFLINE' });
    expect(await proctor.emitWithAck('live:open', { attemptId: 'nope', device: 'desktop' })).toEqual({ ok: false, error: 'NOT_FOUND' });

    const request = next<{ viewId: string; from: string; iceServers: unknown[] }>(candidate, 'live:request');
    const otherHears = next(other, 'live:request', 500);
    const opened = await proctor.emitWithAck('live:open', { attemptId: attempts[0], device: 'desktop' });
    expect(opened).toMatchObject({ ok: true, iceServers: [{ urls: 'stun:stun.example.org:3478' }] });
    const req = (await request)!;
    expect(req).toMatchObject({ viewId: opened.viewId, from: proctor.id });
    expect(await otherHears).toBeNull();

    const offer = next<{ viewId: string; description: { type: string }; from: string; streams: unknown }>(proctor, 'live:signal');
    candidate.emit('live:signal', { viewId: req.viewId, to: req.from, description: { type: 'offer', sdp: 'v=0' }, streams: { s1: 'camera', s2: 'screen' }, evil: 'x' });
    expect(await offer).toEqual({ viewId: req.viewId, description: { type: 'offer', sdp: 'v=0' }, streams: { s1: 'camera', s2: 'screen' }, from: candidate.id });

    // Another candidate cannot talk to the proctor by guessing the view, nor to another candidate's socket.
    const spoof = next(proctor, 'live:signal', 500);
    other.emit('live:signal', { viewId: req.viewId, to: req.from, description: { type: 'offer', sdp: 'spoof' } });
    expect(await spoof).toBeNull();
    const sideways = next(candidate, 'live:signal', 500);
    other.emit('live:signal', { viewId: req.viewId, to: candidate.id, description: { type: 'offer', sdp: 'x' } });
    expect(await sideways).toBeNull();

    const answer = next<{ description: { type: string } }>(candidate, 'live:signal');
    proctor.emit('live:signal', { viewId: req.viewId, description: { type: 'answer', sdp: 'v=0' } });
    expect((await answer)?.description.type).toBe('answer');
    const closed = next<{ viewId: string; reason: string }>(candidate, 'live:closed');
    proctor.emit('live:close', { viewId: req.viewId });
    expect(await closed).toEqual({ viewId: req.viewId, reason: 'proctor-closed' });
    [proctor, candidate, other].forEach((s) => s.disconnect());
  });

  it('keeps a desktop view and a phone view of one candidate apart while both devices are connected', async () => {
    // The bound phone is in the attempt's channel too: requests, signals and closes must still reach one device.
    const { code } = await json<{ code: string }>('POST', '/api/proof/bind-code', 'c0');
    const bound = await t.req('POST', '/api/proof/bind', undefined, { code });
    expect(bound.statusCode, bound.body).toBe(200);
    const proctor = await socket(cookies.proctor!);
    const desktop = await socket(cookies.c0!);
    const phone = await socket(cookieOf(bound));

    type Request = { viewId: string; from: string };
    const desktopReq = next<Request>(desktop, 'live:request');
    const phoneReq = next<Request>(phone, 'live:request');
    const [d, p] = await Promise.all([proctor.emitWithAck('live:open', { attemptId: attempts[0], device: 'desktop' }), proctor.emitWithAck('live:open', { attemptId: attempts[0], device: 'phone' })]);
    expect([d.ok, p.ok]).toEqual([true, true]);
    expect((await desktopReq)?.viewId).toBe(d.viewId);
    expect((await phoneReq)?.viewId).toBe(p.viewId);
    const extraDesktop = next(desktop, 'live:request', 500);
    const extraPhone = next(phone, 'live:request', 500);
    expect([await extraDesktop, await extraPhone]).toEqual([null, null]);

    // Each device offers on its own view; neither can speak on the other's.
    const offers: Array<{ viewId: string; from: string }> = [];
    proctor.on('live:signal', (m) => offers.push(m));
    desktop.emit('live:signal', { viewId: d.viewId, to: proctor.id, description: { type: 'offer', sdp: 'desktop' }, streams: { s1: 'camera', s2: 'screen' } });
    phone.emit('live:signal', { viewId: p.viewId, to: proctor.id, description: { type: 'offer', sdp: 'phone' }, streams: { s3: 'phone' } });
    phone.emit('live:signal', { viewId: d.viewId, to: proctor.id, description: { type: 'offer', sdp: 'phone on the desktop view' } });
    desktop.emit('live:signal', { viewId: p.viewId, to: proctor.id, description: { type: 'offer', sdp: 'desktop on the phone view' } });
    await new Promise((r) => setTimeout(r, 500));
    expect(offers.map((o) => [o.viewId, o.from])).toEqual(
      expect.arrayContaining([
        [d.viewId, desktop.id],
        [p.viewId, phone.id],
      ]),
    );
    expect(offers).toHaveLength(2);

    // The proctor's answers go to the device of each view only.
    const desktopAnswers: unknown[] = [];
    const phoneAnswers: unknown[] = [];
    desktop.on('live:signal', (m) => desktopAnswers.push(m.viewId));
    phone.on('live:signal', (m) => phoneAnswers.push(m.viewId));
    proctor.emit('live:signal', { viewId: d.viewId, description: { type: 'answer', sdp: 'v=0' } });
    proctor.emit('live:signal', { viewId: p.viewId, description: { type: 'answer', sdp: 'v=0' } });
    await new Promise((r) => setTimeout(r, 500));
    expect([desktopAnswers, phoneAnswers]).toEqual([[d.viewId], [p.viewId]]);

    // Closing the desktop view leaves the phone view open; the phone leaving ends the phone view.
    const desktopClosed = next<{ viewId: string }>(desktop, 'live:closed');
    const phoneHearsClose = next(phone, 'live:closed', 500);
    proctor.emit('live:close', { viewId: d.viewId });
    expect((await desktopClosed)?.viewId).toBe(d.viewId);
    expect(await phoneHearsClose).toBeNull();
    const phoneGone = next<{ viewId: string; reason: string }>(proctor, 'live:closed');
    phone.disconnect();
    expect(await phoneGone).toEqual({ viewId: p.viewId, reason: 'device-left' });
    [proctor, desktop].forEach((s) => s.disconnect());
  });

  it('keeps a fresh camera frame as evidence of a flag, readable by staff and audited', async () => {
    const candidate = await socket(cookies.c0!);
    candidate.on('monitor:snapshot', (_p: unknown, ack: (b: Buffer) => void) => ack(JPEG));
    const collector = new EvidenceCollector(t.app.ctx, blobs, socketSnapshots(t.app.realtime.io, 1000));
    t.clock.advance(1000);
    await json('POST', '/api/attempt/events', 'c0', {
      signals: [
        { type: 'second-monitor', at: t.clock.now(), data: {} },
        { type: 'window-focus', at: t.clock.now(), data: {} },
      ],
    });
    expect(await collector.tick()).toBeGreaterThan(0);
    expect(await collector.tick()).toBe(0); // nothing twice
    const all = await json<Flag[]>('GET', `/api/sessions/${demo.sessionId}/flags?all=1`, 'proctor');
    const flag = all.find((f) => f.type === 'second-monitor')!;
    expect(flag).toMatchObject({ severity: 'high', evidence: true });
    expect(all.find((f) => f.type === 'window-focus')).toMatchObject({ severity: 'info', evidence: false });
    const img = await t.req('GET', `/api/flags/${flag.id}/evidence`, cookies.proctor);
    expect(img.headers['content-type']).toBe('image/jpeg');
    expect(img.rawPayload).toEqual(JPEG);
    expect((await audit('flag.evidence-read')).length).toBe(1);
  });
});
