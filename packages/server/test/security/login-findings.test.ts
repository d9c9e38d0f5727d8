// Issue #13, candidate login must not reveal whether an ID-number + ticket pair exists. A wrong pair, a right pair
// before login opens and a right pair after the session ended get one answer (same status, code, message, shape),
// do the same database work and count the same towards the lockout; the true reason is in the audit log for staff.
// The login page's countdown reads the PUBLIC schedule instead (times and exam names, nothing about candidates).
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, seed, type TestApp } from '../helpers/app.ts';

let t: TestApp;
let demo: Awaited<ReturnType<typeof seed>>;
const START_IN = 3600; // login opens at start − 60 min; the clock then goes back an hour, so it opens in one
const DURATION = 1500;

beforeEach(async () => {
  t = await makeApp('sqlite');
  demo = await seed(t, START_IN, DURATION, 2);
  t.clock.advance(-3600_000);
});
afterEach(() => t.cleanup());

const right = () => demo.candidates[0]!;
const wrongTicket = () => ({ idNumber: demo.candidates[1]!.idNumber, ticket: 'T-NOT-A-TICKET' });
const attempt = (c: { idNumber: string; ticket: string }, lang = 'zh-CN') =>
  t.req('POST', '/api/auth/candidate-login', undefined, { idNumber: c.idNumber, ticket: c.ticket, clientId: 'client-guesser-1' }, { 'accept-language': lang });
/** Everything a guesser sees of an answer, minus what differs per request anyway. */
const seen = (r: Awaited<ReturnType<typeof attempt>>) => {
  const { date: _d, 'x-ratelimit-remaining': _r, 'x-ratelimit-reset': _s, 'content-length': _l, ...headers } = r.headers;
  return { status: r.statusCode, headers, body: r.body };
};
const toEnd = () => t.clock.advance((3600 + START_IN + DURATION) * 1000 + 1000);

/** The kind and first table of every statement the app sends while `fn` runs. */
async function statements(fn: () => Promise<unknown>): Promise<string[]> {
  const seenQueries: string[] = [];
  const firstTable = (n: unknown): string => {
    if (!n || typeof n !== 'object') return '';
    const o = n as Record<string, unknown>;
    if (o.kind === 'IdentifierNode' && typeof o.name === 'string') return o.name;
    for (const k of ['from', 'froms', 'into', 'table', 'identifier', '0'])
      if (k in o) {
        const found = firstTable(o[k]);
        if (found) return found;
      }
    return '';
  };
  const counter: KyselyPlugin = {
    transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
      seenQueries.push(`${args.node.kind} ${firstTable(args.node)}`);
      return args.node;
    },
    transformResult: (args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => Promise.resolve(args.result),
  };
  const ctx = t.app.ctx as { db: typeof t.app.ctx.db };
  const db = ctx.db;
  ctx.db = db.withPlugin(counter);
  try {
    await fn();
  } finally {
    ctx.db = db;
  }
  return seenQueries;
}

describe('candidate login refusals are uniform', () => {
  it('a wrong pair, a pair before login opens and a pair after the end get the same answer, in both languages', async () => {
    for (const lang of ['zh-CN', 'en']) {
      const notOpen = await attempt(right(), lang);
      const wrongBefore = await attempt(wrongTicket(), lang);
      expect(notOpen.json().error).toEqual({
        code: 'LOGIN_REFUSED',
        message: lang === 'en' ? 'The candidate details are wrong, or login is not open at this time.' : '考生信息有误，或当前不在登录时间内。',
      });
      expect(seen(notOpen)).toEqual(seen(wrongBefore));
    }
    toEnd();
    const ended = await attempt(right());
    const wrongAfter = await attempt(wrongTicket());
    expect(seen(ended)).toEqual(seen(wrongAfter));
    expect(ended.statusCode).toBe(401);
    expect(ended.json().error.code).toBe('LOGIN_REFUSED');
    expect(ended.json().error.details).toBeUndefined();
  });

  it('audits the true reason for staff: no-match, not-open (with the opening) and ended', async () => {
    await attempt(right());
    await attempt(wrongTicket());
    toEnd();
    await attempt(right());
    const rows = await t.app.ctx.db.selectFrom('audit_log').select(['action', 'target', 'data']).where('action', '=', 'candidate.login-refused').orderBy('seq').execute();
    const reasons = rows.map((r) => JSON.parse(r.data) as { reason: string; loginOpensAt?: number });
    expect(reasons.map((r) => r.reason)).toEqual(['not-open', 'no-match', 'ended']);
    expect(reasons[0]!.loginOpensAt).toBe(demo.startsAt - 3600_000);
    expect(rows[0]!.target).toMatch(/^candidate:/);
  });

  it('every refusal sends the same statements to the database (no timing difference to measure)', async () => {
    const notOpen = await statements(() => attempt(right()));
    const wrong = await statements(() => attempt(wrongTicket()));
    const unknownId = await statements(() => attempt({ idNumber: '110101199001011237', ticket: 'T1' }));
    toEnd();
    const ended = await statements(() => attempt(right()));
    expect(notOpen.length).toBeGreaterThanOrEqual(3);
    expect(wrong).toEqual(notOpen);
    expect(unknownId).toEqual(notOpen);
    expect(ended).toEqual(notOpen);
  });

  it('counts a right pair refused before the opening towards the lockout like a wrong one', async () => {
    const codes = async (c: { idNumber: string; ticket: string }) => {
      const out: string[] = [];
      for (let i = 0; i < 7; i++) out.push((await attempt(c)).json().error.code);
      return out;
    };
    expect(await codes(right())).toEqual(await codes(wrongTicket()));
  });
});

describe('GET /api/public/schedule', () => {
  it('is anonymous and lists only opening and start times with the exam name', async () => {
    const res = await t.req('GET', '/api/public/schedule');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.now).toBe(t.clock.now());
    expect(body.sessions).toEqual([{ examName: expect.any(String), loginOpensAt: demo.startsAt - 3600_000, startsAt: demo.startsAt }]);
    for (const c of demo.candidates) for (const secret of [c.idNumber, c.ticket, c.name]) expect(res.body).not.toContain(secret);
    toEnd();
    expect((await t.req('GET', '/api/public/schedule')).json().sessions).toEqual([]);
  });

  it('is rate-limited per address like the other anonymous routes', async () => {
    const limited = await makeApp('sqlite', { env: { LOGIN_RATE_LIMIT: '1' } }); // 20 per minute and address
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 22; i++) statuses.push((await limited.req('GET', '/api/public/schedule')).statusCode);
      expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
      expect(statuses.slice(20)).toEqual([429, 429]);
    } finally {
      await limited.cleanup();
    }
  });
});
