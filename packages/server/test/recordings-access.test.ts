// Who may touch which recording: the auth matrix of every recording route.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, openRec, putSegment, finalize, type World } from './support/recording-fixtures.ts';

let w: World;
let recB: string;
beforeAll(async () => {
  w = await createWorld({ candidates: 2 });
  recB = (await openRec(w.app, w.candidates[1]!.cookie, w.candidates[1]!.attemptId)).id;
});
afterAll(() => w.close());

// Starts with the EBML magic: a run's first segment must look like WebM (issue #13).
const seg = { seq: 0, run: 0, body: Buffer.from('\x1a\x45\xdf\xa3 not really webm', 'latin1'), recordedAt: Date.now(), durationMs: 1000 };

describe('recording access', () => {
  it('candidate A cannot open, read, write or finalize candidate B’s recording', async () => {
    const a = w.candidates[0]!;
    const b = w.candidates[1]!;
    const open = await w.app.inject({ method: 'POST', url: `/api/attempts/${b.attemptId}/recordings`, headers: { cookie: a.cookie }, payload: { stream: 'camera', mimeType: 'video/webm' } });
    expect(open.statusCode).toBe(403);
    expect((await w.app.inject({ method: 'GET', url: `/api/recordings/${recB}`, headers: { cookie: a.cookie } })).statusCode).toBe(404);
    expect((await putSegment(w.app, a.cookie, recB, seg)).statusCode).toBe(404);
    expect((await finalize(w.app, a.cookie, recB, 0)).statusCode).toBe(404);
    expect(await w.ctx.db.selectFrom('segments').selectAll().execute()).toEqual([]);
    // …while B can.
    expect((await putSegment(w.app, b.cookie, recB, seg)).statusCode).toBe(200);
  });

  it('needs a login (401) and the right role (403) everywhere; a candidate never gets the staff views', async () => {
    const proctor = await w.staff('proctor');
    const support = await w.staff('support');
    const cand = w.candidates[1]!.cookie;
    const routes: { method: 'GET' | 'POST' | 'PUT'; url: string; ok: string[]; forbidden: string[] }[] = [
      { method: 'GET', url: `/api/recordings/${recB}`, ok: [support, cand], forbidden: [proctor] },
      { method: 'GET', url: `/api/sessions/${w.sessionId}/recordings`, ok: [support], forbidden: [proctor, cand] },
      { method: 'GET', url: `/api/recordings/${recB}/file`, ok: [], forbidden: [proctor, cand] },
      { method: 'POST', url: `/api/recordings/${recB}/finalize`, ok: [], forbidden: [proctor, support] },
      { method: 'PUT', url: `/api/recordings/${recB}/segments/1`, ok: [], forbidden: [proctor, support] },
      { method: 'POST', url: `/api/attempts/${w.candidates[1]!.attemptId}/recordings`, ok: [], forbidden: [support] },
    ];
    for (const r of routes) {
      expect((await w.app.inject({ method: r.method, url: r.url })).statusCode, `${r.method} ${r.url} anonymous`).toBe(401);
      for (const cookie of r.forbidden) expect((await w.app.inject({ method: r.method, url: r.url, headers: { cookie } })).statusCode, `${r.method} ${r.url}`).toBe(403);
      for (const cookie of r.ok) expect((await w.app.inject({ method: r.method, url: r.url, headers: { cookie } })).statusCode, `${r.method} ${r.url}`).toBe(200);
    }
    // Not assembled yet: the file does not exist for anyone.
    expect((await w.app.inject({ method: 'GET', url: `/api/recordings/${recB}/file`, headers: { cookie: support } })).statusCode).toBe(404);
  });

  it('validates the upload: missing hash header, bad seq, wrong content type → 400, not a stored segment', async () => {
    const b = w.candidates[1]!;
    const url = `/api/recordings/${recB}/segments/5`;
    const headers = { cookie: b.cookie, 'content-type': 'application/octet-stream', 'x-segment-run': '0', 'x-segment-recorded-at': '1', 'x-segment-duration-ms': '1000' };
    expect((await w.app.inject({ method: 'PUT', url, headers, payload: Buffer.from('x') })).statusCode).toBe(400);
    const sha = 'a'.repeat(64);
    expect((await w.app.inject({ method: 'PUT', url: `/api/recordings/${recB}/segments/-1`, headers: { ...headers, 'x-segment-sha256': sha }, payload: Buffer.from('x') })).statusCode).toBe(400);
    expect((await w.app.inject({ method: 'PUT', url, headers: { ...headers, 'x-segment-sha256': sha, 'content-type': 'application/json' }, payload: '{}' })).statusCode).toBe(400);
    const segs = await w.ctx.db.selectFrom('segments').select('seq').where('recording_id', '=', recB).execute();
    expect(segs.map((s) => s.seq)).not.toContain(5);
  });
});
