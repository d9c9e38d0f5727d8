// A server asked to stop (SIGTERM from systemd, a deploy, the e2e harness) stops while browsers are connected.
// Fastify closes its HTTP server before the app's onClose hooks run, and that close waits for every connection to
// end — including the candidates' and proctors' WebSockets, which only the realtime layer's own close ends. With a
// live socket, `app.close()` therefore never returned (found 7 Dec: an e2e SIGTERM with a browser attached still had
// not exited after 3 minutes; systemd would SIGKILL after TimeoutStopSec instead of a clean stop).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase, migrate } from '../src/adapters/db/database.ts';
import { seedDemo } from '../src/services/demo.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'invigil-shutdown-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('closes within seconds while a candidate socket and a proctor socket are connected, and tells them', async () => {
  const db = await openDatabase({ kind: 'sqlite', file: path.join(dir, 'db.sqlite') });
  await migrate(db.db);
  const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: dir }), { db });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const demo = await seedDemo(
    { db: db.db, dbKind: 'sqlite', config: app.ctx.config, clock: { now: () => Date.now() } },
    { startsInSec: 600, durationSec: 600, candidates: 1, kind: 'real', face: false, proof: false, baseUrl: url },
  );
  const cookieOf = async (p: string, body: unknown) => {
    const r = await fetch(url + p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(r.status).toBe(200);
    return r.headers.getSetCookie()[0]!.split(';')[0]!;
  };
  const c = demo.candidates[0]!;
  const cookies = [await cookieOf('/api/auth/candidate-login', { idNumber: c.idNumber, ticket: c.ticket, clientId: 'client-shutdown-01' }), await cookieOf('/api/auth/login', demo.proctor)];
  const sockets: Socket[] = await Promise.all(
    cookies.map(
      (cookie) =>
        new Promise<Socket>((resolve, reject) => {
          const s = connect(url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie }, reconnection: false });
          s.on('connect', () => resolve(s));
          s.on('connect_error', reject);
        }),
    ),
  );
  const told = sockets.map((s) => new Promise<string>((resolve) => s.on('disconnect', (reason) => resolve(reason))));
  try {
    const started = Date.now();
    const closed = await Promise.race([app.close().then(() => 'closed'), new Promise((r) => setTimeout(() => r('still open after 5 s'), 5000))]);
    expect(closed).toBe('closed');
    expect(Date.now() - started).toBeLessThan(5000);
    // The browsers see the server go (and reconnect to another process or the restarted one), not a silent hang.
    expect(await Promise.all(told)).toEqual(['io server disconnect', 'io server disconnect']);
  } finally {
    sockets.forEach((s) => s.close());
    await db.close();
  }
});
