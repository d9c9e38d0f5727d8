// The proctor's console shows a pushed flag at once and reviews it without a refetch: for that the push must carry
// the flag's id, the same one the feed (GET /flags) and the review route use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import type { Flag } from '@invigil/contracts';
import { cookieOf, makeApp, seed, type TestApp } from './helpers/app.ts';
import { monitoringRoutes } from '../src/http/routes/monitoring.ts';
import { monitoringSocketHandler } from '../src/realtime/monitoring.ts';
import { defaultMonitoringSettings } from '../src/services/monitoring/index.ts';
import { LocalBlobStore } from '../src/adapters/blob/local.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let t: TestApp;
let demo: Awaited<ReturnType<typeof seed>>;
let blobDir: string;
let url: string;
let proctor: string;
let candidate: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  blobDir = fs.mkdtempSync(path.join(os.tmpdir(), 'invigil-push-'));
  const blobs = await LocalBlobStore.create(blobDir);
  t = await makeApp('sqlite', { deps: { plugins: [(a, ctx) => monitoringRoutes(a, ctx, { blobs })], socketHandlers: [monitoringSocketHandler(defaultMonitoringSettings())] } });
  demo = await seed(t, 600, 1500, 1);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  proctor = await t.login(demo.proctor.username, demo.proctor.password);
  const c = demo.candidates[0]!;
  candidate = cookieOf(await t.candidateLogin(c.idNumber, c.ticket, 'client-push-0000'));
});
afterAll(async () => {
  sockets.forEach((s) => s.disconnect());
  await t.cleanup();
  fs.rmSync(blobDir, { recursive: true, force: true });
});

function socket(cookie: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie }, reconnection: false });
    sockets.push(s);
    s.on('connect', () => resolve(s));
    s.on('connect_error', reject);
  });
}

describe("the 'attempt:signal' push", () => {
  it('carries the id of the flag the feed lists and the review route accepts', async () => {
    const s = await socket(proctor);
    expect(await s.emitWithAck('staff:watch', { sessionId: demo.sessionId })).toMatchObject({ ok: true });
    const pushed: Array<{ id?: string; type: string }> = [];
    s.on('attempt:signal', (p: { id?: string; type: string }) => pushed.push(p));
    const at = t.clock.now();
    const res = await t.req('POST', '/api/attempt/events', candidate, {
      signals: [
        { type: 'page-hidden', at, data: {} },
        { type: 'page-visible', at: at + 1, data: {} },
      ],
    });
    expect(res.statusCode).toBe(200);
    for (let i = 0; i < 100 && pushed.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    const feed = (await t.req('GET', `/api/sessions/${demo.sessionId}/flags?all=1`, proctor)).json() as Flag[];
    const byType = new Map(feed.map((f) => [f.type, f.id]));
    expect(pushed.map((p) => [p.type, p.id])).toEqual([
      ['page-hidden', byType.get('page-hidden')],
      ['page-visible', byType.get('page-visible')],
    ]);
    const review = await t.req('POST', `/api/flags/${pushed[0]!.id}/review`, proctor, { decision: 'dismissed', note: '' });
    expect(review.statusCode).toBe(200);
  });
});
