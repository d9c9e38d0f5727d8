// Every /api route, every role: 401 without a session, 403 for each role the route does not declare.
// The route table comes from the app itself, so a new route is covered the moment it is added.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@invigil/contracts';
import { allowedRoles } from '../src/http/access.ts';
import { cookieOf, makeApp, seed, type TestApp } from './helpers/app.ts';

const ROLES: Role[] = ['admin', 'proctor', 'examiner', 'support', 'candidate', 'phone'];
const DUMMY = '00000000-0000-4000-8000-000000000000';

let t: TestApp;
const cookies = {} as Record<Role, string>;

beforeAll(async () => {
  t = await makeApp('sqlite');
  const demo = await seed(t);
  for (const r of ['admin', 'proctor', 'examiner', 'support'] as const) cookies[r] = await t.login(demo[r].username, demo[r].password);
  const c = demo.candidates[0]!;
  cookies.candidate = cookieOf(await t.candidateLogin(c.idNumber, c.ticket));
  cookies.phone = await phoneSession(cookies.candidate);
});

/** A bound phone's session, made the real way: the desktop asks for a bind code, the phone binds with it. */
async function phoneSession(candidateCookie: string): Promise<string> {
  const issued = await t.req('POST', '/api/proof/bind-code', candidateCookie);
  expect(issued.statusCode, issued.body).toBe(200);
  const bound = await t.req('POST', '/api/proof/bind', undefined, { code: issued.json().code }, { 'user-agent': 'Mozilla/5.0 (Linux; Android 14; Pixel 7) Mobile' });
  expect(bound.statusCode, bound.body).toBe(200);
  const cookie = cookieOf(bound);
  expect((await t.req('GET', '/api/auth/me', cookie)).json().role).toBe('phone');
  return cookie;
}

afterAll(() => t.cleanup());

const fill = (url: string) => url.replace(/:(\w+)/g, (_, name: string) => (name === 'seq' ? '0' : DUMMY));

describe('auth matrix', () => {
  it('knows every route and each declares its access', () => {
    expect(t.app.routeTable.length).toBeGreaterThan(30);
    for (const r of t.app.routeTable) expect(r.access, `${r.method} ${r.url}`).toBeTruthy();
  });

  it('answers 401 without a session on every non-public route', async () => {
    const failures: string[] = [];
    for (const r of t.app.routeTable) {
      if (allowedRoles(r.access) === 'public') continue;
      const res = await t.req(r.method, fill(r.url));
      if (res.statusCode !== 401 || res.json().error.code !== 'UNAUTHENTICATED') failures.push(`${r.method} ${r.url} → ${res.statusCode}`);
    }
    expect(failures).toEqual([]);
  });

  it('answers 403 to every role a route does not declare', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const r of t.app.routeTable) {
      const allowed = allowedRoles(r.access);
      if (allowed === 'public') continue;
      for (const role of ROLES) {
        if (allowed.includes(role)) continue;
        checked++;
        const res = await t.req(r.method, fill(r.url), cookies[role]);
        if (res.statusCode !== 403 || res.json().error.code !== 'FORBIDDEN') failures.push(`${role}: ${r.method} ${r.url} → ${res.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });

  it('lets declared roles past the gate (no 401/403 on a well-formed request)', async () => {
    const failures: string[] = [];
    for (const r of t.app.routeTable) {
      const allowed = allowedRoles(r.access);
      if (allowed === 'public' || r.method !== 'GET') continue;
      for (const role of allowed) {
        const res = await t.req(r.method, fill(r.url), cookies[role]);
        if ([401, 403].includes(res.statusCode) && res.json().error.code !== 'QUESTION_NOT_RELEASED') failures.push(`${role}: ${r.method} ${r.url} → ${res.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers errors in the caller’s language with a stable code', async () => {
    const zh = await t.req('GET', '/api/exams');
    const en = await t.req('GET', '/api/exams', undefined, undefined, { 'accept-language': 'en-US,en;q=0.9' });
    expect(zh.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: '请先登录。' } });
    expect(en.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'Please log in first.' } });
  });

  it('validates ids and bodies after the access check (400 with a message)', async () => {
    const res = await t.req('POST', '/api/exams', cookies.admin, { name: '' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });
});
