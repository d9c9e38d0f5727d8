// Issue #13, critical findings: one socket.io message from any logged-in principal crashed the server for
// everyone. Each finding is a named test; the server must answer on the ack (or stay silent) and keep serving.
// Also: a revoked login (logout, staff disabled, password changed) loses its open sockets at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { emitAck, world, type World } from './world.ts';

let w: World;
beforeAll(async () => {
  w = await world();
});
afterAll(() => w?.close());

const closed = (s: Socket, ms = 3000) =>
  new Promise<boolean>((resolve) => {
    if (!s.connected) return resolve(true);
    const timer = setTimeout(() => resolve(false), ms);
    s.once('disconnect', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });

describe('socket payloads are validated before any handler (issue #13, critical)', () => {
  it('time:ping with no payload or null does not crash the server', async () => {
    const s = await w.socket('candidate');
    s.emit('time:ping');
    s.emit('time:ping', null);
    s.emit('time:ping', 'x');
    // A valid ping still answers: the same socket and the server are alive.
    const pong = new Promise((r) => s.once('time:pong', r));
    s.emit('time:ping', { t0: 5 });
    expect(await pong).toMatchObject({ t0: 5 });
    expect(await w.health()).toBe(200);
  });

  it('staff:watch with no payload or null is answered VALIDATION_FAILED, not an unhandled rejection', async () => {
    const s = await w.socket('admin');
    expect(await emitAck(s, 'staff:watch', [])).toEqual({ ok: false, error: 'VALIDATION_FAILED' });
    expect(await emitAck(s, 'staff:watch', [null])).toEqual({ ok: false, error: 'VALIDATION_FAILED' });
    expect(await emitAck(s, 'staff:watch', [{ sessionId: w.demo.sessionId }])).toEqual({ ok: true });
    expect(await w.health()).toBe(200);
  });

  it('a proctor sending a non-string sessionId (object, array) is refused before it reaches the database', async () => {
    const s = await w.socket('proctor');
    expect(await emitAck(s, 'staff:watch', [{ sessionId: { a: 1 } }])).toEqual({ ok: false, error: 'VALIDATION_FAILED' });
    expect(await emitAck(s, 'staff:watch', [{ sessionId: [1, 2] }])).toEqual({ ok: false, error: 'VALIDATION_FAILED' });
    expect(await emitAck(s, 'staff:watch', [{ sessionId: w.demo.sessionId }])).toEqual({ ok: true });
    expect(await w.health()).toBe(200);
  });

  it('an event not in the table, or from a principal not allowed to send it, is refused with a stable code', async () => {
    const c = await w.socket('candidate');
    expect(await emitAck(c, 'staff:watch', [{ sessionId: w.demo.sessionId }])).toEqual({ ok: false, error: 'FORBIDDEN' });
    expect(await emitAck(c, 'no:such-event', [{}])).toEqual({ ok: false, error: 'UNKNOWN_EVENT' });
    const e = await w.socket('examiner');
    expect(await emitAck(e, 'live:open', [{ attemptId: w.attemptId, device: 'desktop' }])).toEqual({ ok: false, error: 'FORBIDDEN' });
  });
});

describe('revoked logins lose their sockets (issue #13, medium)', () => {
  it('logout disconnects that login’s open sockets', async () => {
    const cookie = await w.t.login(w.demo.support.username, w.demo.support.password);
    const s = await w.socket(cookie);
    const gone = closed(s);
    expect((await w.t.req('POST', '/api/auth/logout', cookie)).statusCode).toBe(200);
    expect(await gone).toBe(true);
  });

  it('disabling a staff user disconnects every socket of theirs; a password change does too', async () => {
    const created = (await w.t.req('POST', '/api/staff', w.cookies.admin, { username: 'proctor-x', displayName: 'X', role: 'proctor', password: 'pw-proctor-x-1' })).json() as { id: string };
    const s1 = await w.socket(await w.t.login('proctor-x', 'pw-proctor-x-1'));
    const gone1 = closed(s1);
    expect((await w.t.req('PATCH', `/api/staff/${created.id}`, w.cookies.admin, { password: 'pw-proctor-x-2' })).statusCode).toBe(200);
    expect(await gone1).toBe(true);
    const s2 = await w.socket(await w.t.login('proctor-x', 'pw-proctor-x-2'));
    const gone2 = closed(s2);
    expect((await w.t.req('PATCH', `/api/staff/${created.id}`, w.cookies.admin, { disabled: true })).statusCode).toBe(200);
    expect(await gone2).toBe(true);
  });
});
