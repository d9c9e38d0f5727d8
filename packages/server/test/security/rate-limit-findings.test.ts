// Issue #13, rate limits: keyed on the real client address (a forged X-Forwarded-For no longer buys new tries),
// per address across login names, per account with a growing lockout, per attempt on signals (count and bytes,
// none after the end), and shared across server processes through Redis when REDIS_URL is set.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieOf, makeApp, seed, type TestApp } from '../helpers/app.ts';
import { EVENT_LIMITS } from '../../src/http/limits.ts';

const REDIS = process.env.TEST_REDIS_URL;
if (!REDIS) console.warn('[tests] shared rate limits through Redis skipped: TEST_REDIS_URL is not set (.ci/run sets it)');
const code = (res: { json(): unknown }) => (res.json() as { error?: { code: string } }).error?.code;
const login = (t: TestApp, username: string, headers: Record<string, string> = {}) => t.req('POST', '/api/auth/login', undefined, { username, password: 'wrong-password' }, headers);

describe('login limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeApp('sqlite', { env: { LOGIN_RATE_LIMIT: '2' } }); // staff: 6 per minute and address
  });
  afterAll(() => t?.cleanup());

  it('a changing X-Forwarded-For does not reset the limit when no proxy is trusted', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 10; i++) codes.push((await login(t, `user${i}`, { 'x-forwarded-for': `10.0.${i}.1` })).statusCode);
    expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(4);
  });

  it('many login names from one address are limited together', async () => {
    const t2 = await makeApp('sqlite', { env: { LOGIN_RATE_LIMIT: '2' } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 8; i++) codes.push((await login(t2, `name-${i}`)).statusCode);
      expect(codes.slice(0, 6).every((c) => c === 401)).toBe(true);
      expect(codes.slice(6)).toEqual([429, 429]);
    } finally {
      await t2.cleanup();
    }
  });

  it('behind a trusted proxy (TRUST_PROXY) each client address has its own budget', async () => {
    const t3 = await makeApp('sqlite', { env: { LOGIN_RATE_LIMIT: '2', TRUST_PROXY: '127.0.0.1' } });
    try {
      for (let i = 0; i < 8; i++) expect((await login(t3, `p-${i}`, { 'x-forwarded-for': `203.0.113.${i}` })).statusCode).toBe(401);
    } finally {
      await t3.cleanup();
    }
  });

  it('locks a staff account after five failures, even for the right password, from any address', async () => {
    const t4 = await makeApp('sqlite', { env: { TRUST_PROXY: '127.0.0.1' } });
    try {
      const demo = await seed(t4);
      for (let i = 0; i < 5; i++) expect((await login(t4, demo.admin.username, { 'x-forwarded-for': `198.51.100.${i}` })).statusCode).toBe(401);
      const right = await t4.req('POST', '/api/auth/login', undefined, demo.admin, { 'x-forwarded-for': '198.51.100.99' });
      expect([right.statusCode, code(right)]).toEqual([429, 'LOCKED_OUT']);
      // Another account is not affected.
      expect((await t4.req('POST', '/api/auth/login', undefined, demo.proctor)).statusCode).toBe(200);
    } finally {
      await t4.cleanup();
    }
  });
});

describe('signals per attempt', () => {
  let t: TestApp;
  let cookie: string;
  beforeAll(async () => {
    t = await makeApp();
    const demo = await seed(t);
    cookie = cookieOf(await t.candidateLogin(demo.candidates[0]!.idNumber, demo.candidates[0]!.ticket));
  });
  afterAll(() => t?.cleanup());

  it('caps the count and the bytes of signals per attempt and minute', async () => {
    const batch = (n: number, pad = 0) => ({ signals: Array.from({ length: n }, (_, i) => ({ type: 'window-blur', at: t.clock.now() + i, data: pad ? { pad: 'x'.repeat(pad) } : {} })) });
    let accepted = 0;
    let last = 0;
    for (let i = 0; i < 5; i++) {
      const res = await t.req('POST', '/api/attempt/events', cookie, batch(100));
      last = res.statusCode;
      if (res.statusCode === 200) accepted += 100;
      else expect(code(res)).toBe('EVENTS_QUOTA');
    }
    expect(accepted).toBeLessThanOrEqual(EVENT_LIMITS.perMinute);
    expect(last).toBe(429);
    const stored = await t.app.ctx.db
      .selectFrom('attempt_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBeLessThanOrEqual(EVENT_LIMITS.perMinute);
    // A minute later the budget is back; a fat payload is refused by bytes.
    const demo2 = await seed(t);
    const c2 = cookieOf(await t.candidateLogin(demo2.candidates[0]!.idNumber, demo2.candidates[0]!.ticket));
    const fat = await t.req('POST', '/api/attempt/events', c2, batch(10, 60_000));
    expect([fat.statusCode, code(fat)]).toEqual([429, 'EVENTS_QUOTA']);
  });

  it('takes no signals after the attempt ended', async () => {
    const demo = await seed(t);
    const c = cookieOf(await t.candidateLogin(demo.candidates[1]!.idNumber, demo.candidates[1]!.ticket));
    const me = (await t.req('GET', '/api/auth/me', c)).json() as { attemptId: string };
    await t.app.ctx.db.updateTable('attempts').set({ status: 'ended', ended_at: t.clock.now() }).where('id', '=', me.attemptId).execute();
    const res = await t.req('POST', '/api/attempt/events', c, { signals: [{ type: 'window-blur', at: t.clock.now(), data: {} }] });
    expect([res.statusCode, code(res)]).toEqual([409, 'ATTEMPT_ENDED']);
  });
});

describe.skipIf(!REDIS)('limits shared across processes through Redis', () => {
  it('two server processes count one address together', async () => {
    const env = { LOGIN_RATE_LIMIT: '2', REDIS_URL: REDIS!, TRUST_PROXY: '127.0.0.1' };
    const a = await makeApp('sqlite', { env });
    const b = await makeApp('sqlite', { env });
    // A fresh address per run: the counters outlive the test in Redis for their window.
    const ip = `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
    try {
      const codes: number[] = [];
      for (let i = 0; i < 8; i++) codes.push((await login(i % 2 ? b : a, `r-${i}`, { 'x-forwarded-for': ip })).statusCode);
      expect(codes.slice(0, 6).every((c) => c === 401)).toBe(true);
      expect(codes.slice(6)).toEqual([429, 429]);
    } finally {
      await a.cleanup();
      await b.cleanup();
    }
  });
});
