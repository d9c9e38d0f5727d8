// Issue #13, 5xx on bad input and the sealed question: each finding as a named test. Bad input gets a stable
// 4xx code and writes nothing; the server keeps answering.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { world, type World } from './world.ts';

let w: World;
beforeAll(async () => {
  w = await world();
});
afterAll(() => w?.close());
const code = (res: { json(): unknown }) => (res.json() as { error?: { code: string } }).error?.code;
const sessionBody = (startsAt: number) => ({ name: 'S', kind: 'real', startsAt, durationSec: 600, entryCutoff: { mode: 'at-start' }, faceRequired: false, proofRequired: false });

describe('5xx on bad input', () => {
  it('a session starting below 3,600,000 ms is refused before anything is written (no 500, sessions list still answers)', async () => {
    const before = await w.snapshot();
    const res = await w.t.req('POST', `/api/exams/${w.demo.examId}/sessions`, w.cookies.admin, sessionBody(1000));
    expect([res.statusCode, code(res)]).toEqual([400, 'TIMELINE_INVALID']);
    expect(await w.snapshot()).toBe(before);
    expect((await w.t.req('GET', `/api/exams/${w.demo.examId}/sessions`, w.cookies.admin)).statusCode).toBe(200);
  });

  it('a broken multipart body on the candidate import is a 4xx, not a busboy 500', async () => {
    const before = await w.snapshot();
    for (const payload of ['--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nid,name', '--x\r\ngarbage', '']) {
      const res = await w.t.app.inject({
        method: 'POST',
        url: `/api/sessions/${w.demo.sessionId}/candidates/import`,
        headers: { cookie: w.cookies.admin, 'content-type': 'multipart/form-data; boundary=x' },
        payload,
      });
      expect(res.statusCode, payload).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, payload).toBeLessThan(500);
    }
    expect(await w.snapshot()).toBe(before);
  });

  it('deeply nested JSON is a 400, not a stack overflow', async () => {
    const deep = `{"signals":[{"type":"window-blur","at":1,"data":{"x":${'['.repeat(20_000)}${']'.repeat(20_000)}}}]}`;
    const res = await w.t.app.inject({ method: 'POST', url: '/api/attempt/events', headers: { cookie: w.cookies.candidate, 'content-type': 'application/json' }, payload: deep });
    expect([res.statusCode, code(res)]).toEqual([400, 'VALIDATION_FAILED']);
    expect(await w.health()).toBe(200);
  });

  it('413 and 415 have their own codes', async () => {
    const big = await w.t.app.inject({
      method: 'POST',
      url: '/api/attempt/events',
      headers: { cookie: w.cookies.candidate, 'content-type': 'application/json' },
      payload: `{"signals":[],"pad":"${'x'.repeat(3 * 1024 * 1024)}"}`,
    });
    expect([big.statusCode, code(big)]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const odd = await w.t.app.inject({ method: 'POST', url: '/api/attempt/events', headers: { cookie: w.cookies.candidate, 'content-type': 'application/x-weird' }, payload: 'x' });
    expect([odd.statusCode, code(odd)]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
  });
});

describe('sealed questions', () => {
  it('refuses to move a session start into the past once it has a question, and audits the refusal', async () => {
    const s = (await w.t.req('GET', `/api/sessions/${w.demo.sessionId}`, w.cookies.admin)).json() as Record<string, unknown>;
    const { id: _i, examId: _e, candidateCount: _c, ...input } = s;
    const res = await w.t.req('PUT', `/api/sessions/${w.demo.sessionId}`, w.cookies.admin, {
      ...input,
      loginOpensAt: w.t.clock.now() - 7200_000,
      entryOpensAt: w.t.clock.now() - 3600_000,
      startsAt: w.t.clock.now() - 1000,
    });
    expect([res.statusCode, code(res)]).toEqual([409, 'START_MOVE_REFUSED']);
    const qs = (await w.t.req('GET', `/api/sessions/${w.demo.sessionId}/questions`, w.cookies.admin)).json() as Array<{ body: string | null; sealed: boolean }>;
    expect(qs.length).toBeGreaterThan(0);
    expect(qs.every((q) => q.sealed && q.body === null)).toBe(true);
    const audit = await w.t.app.ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'session.start-move-refused').execute();
    expect(audit).toHaveLength(1);
    // Moving it later (still in the future) is fine.
    expect((await w.t.req('PUT', `/api/sessions/${w.demo.sessionId}`, w.cookies.admin, { ...input, startsAt: (s.startsAt as number) + 60_000 })).statusCode).toBe(200);
  });
});

describe('storage trouble is reported, not a 500', () => {
  it('a full database answers events with 507 STORAGE_FULL', async () => {
    const { sql } = await import('kysely');
    const db = w.t.app.ctx.db;
    const pages = await sql<{ page_count: number }>`pragma page_count`.execute(db);
    // SQLite's own cap on the file size: the next pages it needs are "disk full", exactly as on a full disk.
    await sql.raw(`pragma max_page_count = ${pages.rows[0]!.page_count}`).execute(db);
    try {
      const signals = Array.from({ length: 50 }, (_, i) => ({ type: 'window-blur', at: i + 1, data: { pad: 'x'.repeat(2000) } }));
      const res = await w.t.req('POST', '/api/attempt/events', w.cookies.candidate, { signals });
      expect([res.statusCode, code(res)]).toEqual([507, 'STORAGE_FULL']);
    } finally {
      await sql.raw('pragma max_page_count = 1073741823').execute(db);
    }
  });

  it('health says so when DATA_DIR takes no writes', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const t2 = await import('../helpers/app.ts').then((m) => m.makeApp('sqlite'));
    try {
      const probeDir = path.join(t2.app.ctx.config.dataDir, 'tmp');
      fs.rmSync(probeDir, { recursive: true, force: true });
      fs.writeFileSync(probeDir, 'not a directory'); // nothing can be written under DATA_DIR/tmp now
      const res = await t2.req('GET', '/api/health');
      expect([res.statusCode, (res.json() as { status: string }).status]).toEqual([503, 'storage-unwritable']);
    } finally {
      await t2.cleanup();
    }
  });
});
