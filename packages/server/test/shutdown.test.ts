// A server asked to stop (SIGTERM from systemd, a deploy, the e2e harness) stops while browsers are connected.
// Fastify closes its HTTP server before the app's onClose hooks run, and that close waits for every connection to
// end — including the candidates' and proctors' WebSockets, which only the realtime layer's own close ends. With a
// live socket, `app.close()` therefore never returned (found 7 Dec: an e2e SIGTERM with a browser attached still had
// not exited after 3 minutes; systemd would SIGKILL after TimeoutStopSec instead of a clean stop).
import { expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { cookieOf, makeApp, seed } from './helpers/app.ts';
import { socketOf } from './helpers/socket.ts';

it('closes within seconds while a candidate socket and a proctor socket are connected, and tells them', async () => {
  const t = await makeApp();
  const sockets: Socket[] = [];
  try {
    const demo = await seed(t, 600, 600, 1);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
    const c = demo.candidates[0]!;
    const cookies = [cookieOf(await t.candidateLogin(c.idNumber, c.ticket, 'client-shutdown-01')), await t.login(demo.proctor.username, demo.proctor.password)];
    for (const cookie of cookies) await socketOf(url, cookie, sockets);
    const told = sockets.map((s) => new Promise<string>((resolve) => s.on('disconnect', (reason) => resolve(reason))));
    const started = Date.now();
    const closed = await Promise.race([t.app.close().then(() => 'closed'), new Promise((r) => setTimeout(() => r('still open after 5 s'), 5000))]);
    expect(closed).toBe('closed');
    expect(Date.now() - started).toBeLessThan(5000);
    // The browsers see the server go (and reconnect to another process or the restarted one), not a silent hang.
    expect(await Promise.all(told)).toEqual(['io server disconnect', 'io server disconnect']);
  } finally {
    sockets.forEach((s) => s.close());
    await t.cleanup();
  }
});
