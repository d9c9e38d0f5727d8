// Binding a phone: single-use codes that expire, are tied to one attempt, resist guessing, and re-pairing
// revokes the previous phone. Every route's auth matrix.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatBindCode } from '@invigil/contracts';
import { cookieOf } from './helpers/app.ts';
import { dialects } from './helpers/db.ts';
import { errorCode, proofWorld, type ProofWorld } from './proof-world.ts';

describe.each(dialects)('binding a proof phone (%s)', (kind) => {
  let w: ProofWorld;
  beforeAll(async () => {
    w = await proofWorld({ kind, settings: { bindCodeTtlSec: 120, bindRateLimit: 1000 } });
  });
  afterAll(() => w.close());

  it('a typed code (any case, with the dash) binds a phone to that candidate’s attempt, once', async () => {
    const desk = w.candidates[0]!;
    const issued = await w.issue(desk.cookie);
    expect(issued.code).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
    expect(issued.url).toBe(`http://exam.test:8080/m/b/${issued.code}`);
    const res = await w.bind(formatBindCode(issued.code).toLowerCase());
    expect(res.statusCode).toBe(200);
    const phone = cookieOf(res);
    const me = (await w.t.req('GET', '/api/auth/me', phone)).json();
    expect(me).toMatchObject({ role: 'phone', attemptId: desk.attemptId });
    expect(res.json()).toMatchObject({ attemptId: desk.attemptId, stage: 'bound', candidate: { ticketTail: w.demo.candidates[0]!.ticket.slice(-4) } });
    const status = (await w.t.req('GET', '/api/proof/status', desk.cookie)).json();
    expect(status).toMatchObject({ connection: 'connected', stage: 'bound', phoneId: res.json().phoneId });
    // The desktop and staff heard about it at once.
    const pushed = w.bus.sent.filter((m) => m.event === 'proof:status' && (m.payload as { attemptId: string }).attemptId === desk.attemptId);
    expect(pushed.at(-1)!.to).toEqual(expect.arrayContaining([`attempt:${desk.attemptId}`, `session:${w.sessionId}`, `room:${w.roomId}`]));

    const again = await w.bind(issued.code);
    expect(again.statusCode).toBe(409);
    expect(errorCode(again)).toBe('BIND_CODE_USED');
    expect(again.json().error.message).toContain('只能使用一次');
  });

  it('an expired code, a code replaced by a newer one, and a wrong code are refused with their own message', async () => {
    const desk = w.candidates[1]!;
    const old = await w.issue(desk.cookie);
    const fresh = await w.issue(desk.cookie);
    const replaced = await w.bind(old.code);
    expect([replaced.statusCode, errorCode(replaced)]).toEqual([410, 'BIND_CODE_EXPIRED']);
    w.t.clock.advance(121_000);
    const expired = await w.t.req('POST', '/api/proof/bind', undefined, { code: fresh.code }, { 'accept-language': 'en' });
    expect([expired.statusCode, errorCode(expired)]).toEqual([410, 'BIND_CODE_EXPIRED']);
    expect(expired.json().error.message).toMatch(/expired.*Refresh the QR code/);
    for (const wrong of ['AAAA-AAAA', '12', 'O0O0O0O0']) {
      const res = await w.bind(wrong);
      expect([res.statusCode, errorCode(res)], wrong).toEqual([404, 'BIND_CODE_INVALID']);
    }
    // None of these bound anything.
    expect((await w.t.req('GET', '/api/proof/status', desk.cookie)).json().connection).toBe('unbound');
  });

  it('binding a new phone revokes the old one: its session ends and everyone is told the new phone id', async () => {
    const desk = w.candidates[1]!;
    const first = await w.bindPhone(1);
    const firstId = (await w.t.req('GET', '/api/proof/phone', first)).json().phoneId;
    w.bus.sent.length = 0;
    const second = await w.bindPhone(1);
    const secondState = (await w.t.req('GET', '/api/proof/phone', second)).json();
    expect(secondState.phoneId).not.toBe(firstId);
    expect((await w.t.req('GET', '/api/proof/phone', first)).statusCode).toBe(401);
    expect((await w.t.req('POST', '/api/proof/heartbeat', first, { recording: true, battery: null, storageFreeMb: null, wakeLock: false })).statusCode).toBe(401);
    const pushed = w.bus.sent.find((m) => m.event === 'proof:status')!;
    expect(pushed.payload).toMatchObject({ attemptId: desk.attemptId, phoneId: secondState.phoneId });
    const events = await w.t.app.ctx.db.selectFrom('attempt_events').select('type').where('attempt_id', '=', desk.attemptId).execute();
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['proof-bound', 'proof-rebound']));
    // The candidate's own session is untouched by the phone's.
    expect((await w.t.req('GET', '/api/attempt', desk.cookie)).statusCode).toBe(200);
  });

  it('refuses to bind in the exam computer’s own browser (it would log the candidate out)', async () => {
    const desk = w.candidates[0]!;
    const { code } = await w.issue(desk.cookie);
    const res = await w.t.req('POST', '/api/proof/bind', desk.cookie, { code });
    expect([res.statusCode, errorCode(res)]).toEqual([409, 'PROOF_SAME_BROWSER']);
    expect((await w.bind(code)).statusCode).toBe(200); // the code was not spent
  });

  it('auth matrix: 401 without login, 403 for each wrong role, 404 outside a proctor’s scope', async () => {
    const desk = w.candidates[0]!.cookie;
    const phone = await w.bindPhone(0);
    const [admin, proctor, examiner, support] = await Promise.all([w.staff('admin'), w.staff('proctor'), w.staff('examiner'), w.staff('support')]);
    const hb = { recording: false, battery: null, storageFreeMb: null, wakeLock: false };
    const routes: Array<{ method: string; url: string; body?: unknown; ok: string[]; forbidden: string[] }> = [
      { method: 'POST', url: '/api/proof/bind-code', ok: [desk], forbidden: [phone, admin, support, proctor] },
      { method: 'GET', url: '/api/proof/status', ok: [desk, phone], forbidden: [admin, support] },
      { method: 'GET', url: '/api/proof/phone', ok: [phone], forbidden: [desk, admin] },
      { method: 'POST', url: '/api/proof/heartbeat', body: hb, ok: [phone], forbidden: [desk, support] },
      { method: 'POST', url: '/api/proof/stage', body: { stage: 'consented' }, ok: [phone], forbidden: [desk, proctor] },
      { method: 'POST', url: '/api/proof/gaps', body: { fromAt: w.t.clock.now() - 5000, toAt: w.t.clock.now(), reason: 'reload' }, ok: [phone], forbidden: [desk, admin] },
      { method: 'GET', url: `/api/sessions/${w.sessionId}/proof`, ok: [admin, support, proctor], forbidden: [desk, phone, examiner] },
    ];
    for (const r of routes) {
      expect((await w.t.req(r.method, r.url, undefined, r.body)).statusCode, `${r.method} ${r.url} anonymous`).toBe(401);
      for (const c of r.forbidden) expect((await w.t.req(r.method, r.url, c, r.body)).statusCode, `${r.method} ${r.url}`).toBe(403);
      for (const c of r.ok) expect((await w.t.req(r.method, r.url, c, r.body)).statusCode, `${r.method} ${r.url} ok`).toBe(200);
    }
    expect((await w.t.req('GET', '/api/sessions/no-such-session/proof', support)).statusCode).toBe(404);
    expect((await w.t.req('POST', '/api/proof/stage', phone, { stage: 'flying' })).statusCode).toBe(400);
  });

  it('a proctor sees only their rooms', async () => {
    const proctor = await w.staff('proctor');
    await w.t.app.ctx.db.deleteFrom('room_proctors').execute();
    expect((await w.t.req('GET', `/api/sessions/${w.sessionId}/proof`, proctor)).statusCode).toBe(404);
  });
});

describe('guessing bind codes', () => {
  let w: ProofWorld;
  beforeAll(async () => {
    w = await proofWorld({ settings: { bindRateLimit: 5 } });
  });
  afterAll(() => w.close());

  it('is rate-limited per address: after the limit even the right code must wait', async () => {
    for (let i = 0; i < 5; i++) expect((await w.bind(`ZZZZ${String(2222 + i)}`)).statusCode).toBe(404);
    const { code } = await w.issue(w.candidates[0]!.cookie);
    const res = await w.bind(code);
    expect([res.statusCode, errorCode(res)]).toEqual([429, 'RATE_LIMITED']);
  });

  it('refuses a code once the candidate’s exam has ended', async () => {
    const desk = w.candidates[1]!;
    await w.t.app.ctx.db.updateTable('attempts').set({ status: 'ended', ended_at: w.t.clock.now() }).where('id', '=', desk.attemptId).execute();
    const res = await w.t.req('POST', '/api/proof/bind-code', desk.cookie);
    expect([res.statusCode, errorCode(res)]).toEqual([409, 'ATTEMPT_ENDED']);
  });
});
