// Issue #13, cross-site and headers: every state-changing route (from the live route table) refuses a foreign
// Origin — JSON, text/plain and multipart alike — and changes nothing; so does the socket.io handshake. Security
// headers (CSP, frame-ancestors, nosniff, referrer, permissions) everywhere, `no-store` on the API, HSTS and
// Secure cookies on HTTPS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import { cookieOf, makeApp, type TestApp } from '../helpers/app.ts';
import { world, type World } from './world.ts';
import { helmetHeaders } from '../../src/http/security-headers.ts';

const EVIL = 'https://evil.example';
const code = (res: { json(): unknown }) => (res.json() as { error?: { code: string } }).error?.code;
const concrete = (url: string, w: World) => url.replace(/:(\w+)/g, (_m, name: string) => (name === 'attemptId' ? w.attemptId : name === 'seq' ? '0' : w.demo.sessionId));

let w: World;
beforeAll(async () => {
  w = await world();
});
afterAll(() => w?.close());

describe('Origin check on every state-changing route (built from the route table)', () => {
  it('refuses a foreign Origin with ORIGIN_REFUSED and changes nothing — JSON, text/plain and multipart', async () => {
    const unsafe = w.t.app.routeTable.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method));
    expect(unsafe.length).toBeGreaterThan(30);
    const before = await w.snapshot();
    const bodies: Array<{ type: string; payload: string }> = [
      { type: 'application/json', payload: '{"ok":true}' },
      { type: 'text/plain', payload: '{"signals":[]}' },
      { type: 'multipart/form-data; boundary=x', payload: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n' },
    ];
    for (const r of unsafe)
      for (const b of bodies)
        for (const cookie of [w.cookies.admin, w.cookies.candidate, w.cookies.phone]) {
          const res = await w.t.app.inject({ method: r.method as 'POST', url: concrete(r.url, w), headers: { cookie, origin: EVIL, 'content-type': b.type }, payload: b.payload });
          expect([res.statusCode, code(res)], `${r.method} ${r.url} ${b.type}`).toEqual([403, 'ORIGIN_REFUSED']);
        }
    expect(await w.snapshot()).toBe(before);
  });

  it('refuses Sec-Fetch-Site cross-site/same-site without an Origin; lets same-origin pages and non-browser clients through', async () => {
    const hb = (headers: Record<string, string>) => w.t.req('POST', '/api/attempt/heartbeat', w.cookies.candidate, undefined, headers);
    expect(code(await hb({ 'sec-fetch-site': 'cross-site' }))).toBe('ORIGIN_REFUSED');
    expect(code(await hb({ 'sec-fetch-site': 'same-site' }))).toBe('ORIGIN_REFUSED');
    expect(code(await hb({ origin: 'null' }))).toBe('ORIGIN_REFUSED');
    expect((await hb({ origin: 'http://localhost:80', 'sec-fetch-site': 'same-origin' })).statusCode).toBe(200);
    expect((await hb({})).statusCode).toBe(200);
  });

  it('refuses the socket.io handshake from a foreign page', async () => {
    const tryConnect = (origin: string) =>
      new Promise<string>((resolve) => {
        const s = connect(w.url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie: w.cookies.candidate, origin }, reconnection: false, forceNew: true });
        s.on('connect', () => {
          s.disconnect();
          resolve('connected');
        });
        s.on('connect_error', () => resolve('refused'));
      });
    expect(await tryConnect(EVIL)).toBe('refused');
    expect(await tryConnect(w.url)).toBe('connected');
  });
});

describe('security headers', () => {
  it('sends CSP, frame-ancestors, nosniff, referrer and permissions policies; no-store on the API', async () => {
    for (const url of ['/api/health', '/api/attempt', '/api/attempt/question']) {
      const res = await w.t.req('GET', url, w.cookies.candidate);
      expect(res.headers['content-security-policy'], url).toMatch(/frame-ancestors 'none'/);
      expect(res.headers['content-security-policy']).toMatch(/script-src 'self' 'wasm-unsafe-eval'/);
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['permissions-policy']).toMatch(/camera=\(self\)/);
      expect(res.headers['cache-control'], url).toBe('no-store');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });
  it('every header helmet sets for our options, on API answers, pages and unknown paths alike', async () => {
    const fixed = helmetHeaders();
    expect(fixed.length).toBeGreaterThan(8);
    for (const url of ['/api/health', '/api/nope', '/candidate/']) {
      const res = await w.t.req('GET', url, w.cookies.candidate);
      for (const [k, v] of fixed) expect(res.headers[k], `${url} ${k}`).toBe(v);
    }
  });
});

describe('HTTPS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp('sqlite', { env: { TRUST_PROXY: '127.0.0.1' } });
  });
  afterAll(() => t?.cleanup());

  it('sends HSTS and marks every cookie Secure on an HTTPS request', async () => {
    const { seedDemo } = await import('../../src/services/demo.ts');
    const demo = await seedDemo(t.app.ctx, { startsInSec: 600, durationSec: 600, candidates: 1, kind: 'real', face: false, proof: false, baseUrl: 'https://x' });
    const res = await t.req('POST', '/api/auth/login', undefined, demo.admin, { 'x-forwarded-proto': 'https' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(String(res.headers['set-cookie'])).toMatch(/; Secure/);
    expect(cookieOf(res)).toMatch(/^invigil_sid=/);
    const plain = await t.req('POST', '/api/auth/login', undefined, demo.admin);
    expect(String(plain.headers['set-cookie'])).not.toMatch(/Secure/);
  });
});
