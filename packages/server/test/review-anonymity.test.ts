// Examiners must not be able to find out who a candidate is. This walks every route an examiner may call — taken
// from the live route table, so a new route is covered the moment it is added — with real ids, and fails on any
// identity field or value in any answer. The same for every socket event an examiner's connection receives.
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { allowedRoles } from '../src/http/access.ts';
import { LocalBlobStore } from '../src/adapters/blob/local.ts';
import { reviewWorld, type ReviewWorld } from './support/review-world.ts';
import { authCookie } from './support/recording-fixtures.ts';

/** Keys that name a person; allowed only where they name the examiner themself (/api/auth/me). */
const IDENTITY_KEYS = [
  'candidateName',
  'idNumber',
  'ticket',
  'photo',
  'photoKey',
  'photoUrl',
  'photoRef',
  'capture',
  'captureRef',
  'faceCapture',
  'evidenceRef',
  'candidateId',
  'username',
  'displayName',
  'staffName',
  'by',
];
const SELF_ROUTES = new Set(['/api/auth/me']);

let w: ReviewWorld;
let identities: string[];

beforeAll(async () => {
  w = await reviewWorld('sqlite', { record: true });
  const c = w.candidates[0]!;
  const db = w.t.app.ctx.db;
  // Data that does carry identity, planted where the examiner's views read from: an event payload, its evidence,
  // a face-check capture and the candidate's registered photo.
  const blobs = await LocalBlobStore.create(path.join(w.t.app.ctx.config.dataDir, 'blobs'));
  const jpeg = await blobs.put(`evidence/${c.attemptId}.jpg`, Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
  const eventId = randomUUID();
  const at = w.t.clock.now() - 30_000;
  await db
    .insertInto('attempt_events')
    .values({ id: eventId, attempt_id: c.attemptId, at, type: 'multiple-faces', data: JSON.stringify({ candidateName: c.name, ticket: c.ticket, evidenceRef: 'local:faces/x.jpg' }), received_at: at })
    .execute();
  await db.insertInto('flag_evidence').values({ event_id: eventId, attempt_id: c.attemptId, blob_ref: jpeg.ref, at }).execute();
  await db.insertInto('warnings').values({ id: randomUUID(), attempt_id: c.attemptId, at, text: '请保持面部在镜头内', user_id: 'u', user_name: '监考员甲', ack_at: null }).execute();
  await db.updateTable('candidates').set({ photo_key: 'local:faces/registered.jpg' }).where('anonymous_number', '=', c.anon).execute();
  const candidateRows = await db.selectFrom('candidates').select(['id', 'name', 'id_number', 'ticket']).where('session_id', '=', w.sessionId).execute();
  identities = candidateRows.flatMap((r) => [r.id, r.name, r.id_number, r.ticket]).concat(['local:faces/registered.jpg', 'local:faces/x.jpg', '监考员甲']);
}, 60_000);
afterAll(() => w?.close());

function leaks(value: unknown, route: string, at = '$'): string[] {
  if (typeof value === 'string') return identities.filter((s) => value.includes(s)).map((s) => `${route} ${at} contains "${s}"`);
  if (Array.isArray(value)) return value.flatMap((v, i) => leaks(v, route, `${at}[${i}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => [
      ...(IDENTITY_KEYS.includes(k) && !SELF_ROUTES.has(route) && v !== null ? [`${route} ${at}.${k} is an identity field`] : []),
      ...leaks(v, route, `${at}.${k}`),
    ]);
  return [];
}

describe('examiner responses carry no identity', () => {
  it('on every route an examiner may call, with real ids and bodies', async () => {
    const c = w.candidates[0]!;
    const a = (await w.t.req('GET', `/api/review/panels/${w.panelId}/candidates/${c.anon}`, w.examiners[0]!.cookie)).json();
    const evidenceEvent = a.events.find((e: { evidenceUrl: string | null }) => e.evidenceUrl);
    expect(evidenceEvent, 'the planted flag is on the timeline').toBeTruthy();
    const params: Record<string, string> = { panelId: w.panelId, anon: c.anon, stream: 'camera', eventId: evidenceEvent.id };
    const bodies: Record<string, unknown> = { PUT: { marks: { [w.criteria[0]!.id]: 10 }, comment: '' }, POST: { marks: { [w.criteria[0]!.id]: 10, [w.criteria[1]!.id]: 5 } } };
    const routes = w.t.app.routeTable.filter((r) => {
      const roles = allowedRoles(r.access);
      return roles === 'public' ? r.url.startsWith('/api/review') : roles.includes('examiner');
    });
    expect(routes.length).toBeGreaterThanOrEqual(7);
    const failures: string[] = [];
    const seen: string[] = [];
    // GETs first, then the draft PUT before the submit; logging out comes last.
    const order = (r: { method: string; url: string }) => (r.url.endsWith('/logout') ? 3 : r.method === 'GET' ? 0 : r.method === 'PUT' ? 1 : 2);
    for (const r of [...routes].sort((x, y) => order(x) - order(y) || x.url.localeCompare(y.url))) {
      const url = r.url.replace(/:(\w+)/g, (_, n: string) => params[n] ?? 'x');
      const res = await w.t.req(r.method, url, w.examiners[0]!.cookie, bodies[r.method]);
      seen.push(`${r.method} ${r.url} ${res.statusCode}`);
      if (res.statusCode >= 500) failures.push(`${r.method} ${r.url} → ${res.statusCode}`);
      const type = String(res.headers['content-type'] ?? '');
      if (type.includes('json')) failures.push(...leaks(res.json(), r.url));
      else if (!/^(video|image)\//.test(type) && res.body) failures.push(...leaks(res.body, r.url));
    }
    expect(failures).toEqual([]);
    // Every route really answered with content (not a 404 that proves nothing).
    expect(seen.filter((s) => !/ 20[06]$/.test(s))).toEqual([]);
  });

  it('in every socket event an examiner’s connection receives', async () => {
    // Sockets check logins against the wall clock: move the test clock there and log in afresh.
    w.t.clock.t = Date.now();
    await w.t.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(w.t.app.server.address() as { port: number }).port}`;
    const open = (cookie: string) =>
      new Promise<Socket>((resolve, reject) => {
        const s = connect(url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie }, reconnection: false });
        s.on('connect', () => resolve(s));
        s.on('connect_error', reject);
      });
    const examiner = await open(await w.t.login(w.examiners[0]!.username, w.examiners[0]!.username === w.demo.examiner.username ? w.demo.examiner.password : 'pass-word-123'));
    const received: Array<[string, unknown]> = [];
    examiner.onAny((event: string, ...args: unknown[]) => received.push([event, args]));
    const watch = await examiner.emitWithAck('staff:watch', { sessionId: w.sessionId });
    expect(watch).toEqual({ ok: false, error: 'FORBIDDEN' });
    // Examiners get no live-view handler at all: no answer is a refusal too.
    const live = await examiner
      .timeout(1000)
      .emitWithAck('live:open', { attemptId: w.candidates[0]!.attemptId, device: 'desktop' })
      .catch(() => ({ ok: false }));
    expect(live.ok).toBe(false);
    examiner.emit('monitor:refresh', { sessionId: w.sessionId });

    // A proctor watching the same session receives the candidate's activity; the examiner must not.
    const proctor = await open(await w.t.login(w.demo.proctor.username, w.demo.proctor.password));
    expect(await proctor.emitWithAck('staff:watch', { sessionId: w.sessionId })).toEqual({ ok: true });
    const c1 = w.candidates[1]!;
    const c1cookie = await authCookie(w.t.app.ctx, {
      kind: 'candidate',
      candidate_id: (await w.t.app.ctx.db.selectFrom('attempts').select('candidate_id').where('id', '=', c1.attemptId).executeTakeFirstOrThrow()).candidate_id,
      attempt_id: c1.attemptId,
    });
    const candidate = await open(c1cookie);
    const proctorGot = new Promise((r) => proctor.once('help:message', r));
    const help = await w.t.req('POST', '/api/attempt/help', c1cookie, { body: '摄像头画面卡住了' });
    expect(help.statusCode, help.body).toBe(200);
    await proctorGot;
    // The examiner's socket has answered everything it was sent so far; a ping round trip flushes it.
    await new Promise((r) => {
      examiner.once('time:pong', r);
      examiner.emit('time:ping', { t0: 2 });
    });
    const failures = received.flatMap(([event, args]) => leaks(args, `socket ${event}`));
    expect(failures).toEqual([]);
    expect(received.map(([e]) => e).filter((e) => e !== 'time:pong')).toEqual([]);
    for (const s of [examiner, proctor, candidate]) s.close();
  });
});
