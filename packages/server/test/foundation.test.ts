// Health, config validation, OpenAPI, cookies, rate limiting and staff accounts.
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, ConfigError } from '../src/config.ts';
import { cookieOf, makeApp, seed, type TestApp } from './helpers/app.ts';

let t: TestApp | null = null;
afterEach(async () => {
  await t?.cleanup();
  t = null;
});

describe('config', () => {
  it('defaults to SQLite + local disk under ./data on port 8080', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8080);
    expect(c.database.kind).toBe('sqlite');
    expect(c.blob.kind).toBe('local');
    expect(c.dataDir.endsWith('/data')).toBe(true);
  });
  it('names the bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL.*postgres/);
    expect(() => loadConfig({ S3_ENDPOINT: 'http://127.0.0.1:9000' })).toThrow(/S3_BUCKET/);
  });
  it('chooses PostgreSQL from DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).database).toEqual({ kind: 'postgres', url: 'postgres://u@h/db' });
  });
});

describe('server basics', () => {
  it('reports health with the database kind and version', async () => {
    t = await makeApp();
    const res = await t.req('GET', '/api/health');
    expect(res.json()).toMatchObject({ status: 'ok', db: 'sqlite', version: expect.any(String) });
  });

  it('serves an OpenAPI document listing the routes', async () => {
    t = await makeApp();
    const doc = (await t.req('GET', '/api/docs/json')).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/auth/login', '/api/attempt/question', '/api/sessions/{id}/candidates/import']));
  });

  it('answers unknown API paths with a NOT_FOUND code', async () => {
    t = await makeApp();
    const res = await t.req('GET', '/api/nope');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('NOT_FOUND');
  });

  it('sets an httpOnly, SameSite=Strict session cookie and logs out', async () => {
    t = await makeApp();
    const demo = await seed(t);
    const res = await t.req('POST', '/api/auth/login', undefined, { username: demo.admin.username, password: demo.admin.password });
    const c = res.cookies.find((x) => x.name === 'invigil_sid')!;
    expect(c).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const cookie = cookieOf(res);
    expect((await t.req('GET', '/api/auth/me', cookie)).json()).toMatchObject({ role: 'admin', username: demo.admin.username });
    expect((await t.req('POST', '/api/auth/logout', cookie)).statusCode).toBe(200);
    expect((await t.req('GET', '/api/auth/me', cookie)).statusCode).toBe(401);
  });

  it('rate-limits logins per account (lockout) and per IP across login names', async () => {
    t = await makeApp('sqlite', { env: { LOGIN_RATE_LIMIT: '3' } }); // 9 staff logins per minute and address
    const demo = await seed(t);
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await t.req('POST', '/api/auth/login', undefined, { username: 'admin', password: 'wrong' })).statusCode);
    // Five failures lock the account; the lock is per name, so another user still gets in.
    expect(codes).toEqual([401, 401, 401, 401, 401, 429]);
    expect((await t.req('POST', '/api/auth/login', undefined, { username: 'admin', password: 'wrong' })).json().error.code).toBe('LOCKED_OUT');
    expect((await t.req('POST', '/api/auth/login', undefined, { username: demo.proctor.username, password: demo.proctor.password })).statusCode).toBe(200);
    // The address's budget (9) is spent whichever names it tries.
    expect((await t.req('POST', '/api/auth/login', undefined, { username: 'someone', password: 'wrong' })).statusCode).toBe(401);
    const limited = await t.req('POST', '/api/auth/login', undefined, { username: 'someone-else', password: 'wrong' });
    expect(limited.json().error.code).toBe('RATE_LIMITED');
  });

  it('refuses a disabled staff user and ends their sessions', async () => {
    t = await makeApp();
    const demo = await seed(t);
    const admin = await t.login(demo.admin.username, demo.admin.password);
    const proctor = await t.login(demo.proctor.username, demo.proctor.password);
    const staff = (await t.req('GET', '/api/staff', admin)).json();
    const p = staff.find((u: { username: string }) => u.username === demo.proctor.username);
    expect((await t.req('PATCH', `/api/staff/${p.id}`, admin, { disabled: true })).json().disabled).toBe(true);
    expect((await t.req('GET', '/api/auth/me', proctor)).statusCode).toBe(401);
    const again = await t.req('POST', '/api/auth/login', undefined, { username: demo.proctor.username, password: demo.proctor.password });
    expect(again.json().error.code).toBe('LOGIN_FAILED');
  });

  it('audits every change and the chain verifies', async () => {
    t = await makeApp();
    const demo = await seed(t);
    const admin = await t.login(demo.admin.username, demo.admin.password);
    await t.req('POST', '/api/exams', admin, { name: '新项目' });
    const rows = await t.app.ctx.db.selectFrom('audit_log').select(['action']).execute();
    expect(rows.map((r) => r.action)).toEqual(expect.arrayContaining(['exam.create', 'session.create', 'staff.create', 'staff.login', 'candidate.seed']));
    expect((await t.req('GET', '/api/audit/verify', admin)).json()).toMatchObject({ ok: true, firstBrokenSeq: null });
  });
});
