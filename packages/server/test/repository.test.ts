// The data layer on both dialects: migrations, constraints, epoch-ms round trips, cascades and the audit chain.
// PostgreSQL runs when TEST_DATABASE_URL is set (.ci/run sets it); each run uses a throwaway database.
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dialects, freshDb } from './helpers/db.ts';
import { migrate } from '../src/adapters/db/database.ts';
import { appendAudit, verifyAudit } from '../src/services/audit.ts';
import { systemClock, type Ctx } from '../src/services/context.ts';
import { loadConfig } from '../src/config.ts';
import { createExam, createCandidate, listCandidates, saveRoom, createStaff, listRooms } from '../src/services/admin.ts';
import { dashboard } from '../src/services/dashboard.ts';
import { createSession } from '../src/services/sessions.ts';
import { AppError } from '../src/http/errors.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function ctxOn(kind: (typeof dialects)[number]): Promise<Ctx> {
  const db = await freshDb(kind);
  cleanups.push(db.cleanup);
  return { db: db.db, dbKind: db.kind, config: loadConfig({ LOG_LEVEL: 'silent' }), clock: systemClock };
}

const START = Date.parse('2026-12-01T09:00:00+08:00');

describe.each(dialects)('repositories on %s', (kind) => {
  it('migrates idempotently', async () => {
    const ctx = await ctxOn(kind);
    await migrate(ctx.db); // second run is a no-op
    const tables = await ctx.db.introspection.getTables();
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['exams', 'sessions', 'candidates', 'attempts', 'audit_log', 'help_messages']));
  });

  it('stores sessions with epoch-ms times as numbers and candidates with their rooms', async () => {
    const ctx = await ctxOn(kind);
    const exam = await createExam(ctx, 'test', { name: '考试', description: '' });
    const s = await createSession(ctx, 'test', exam.id, { name: '第一场', startsAt: START, durationSec: 1500 });
    expect(s.startsAt).toBe(START);
    expect(s.entryOpensAt).toBe(START - 15 * 60_000);
    expect(s.loginOpensAt).toBe(START - 60 * 60_000);
    const row = await ctx.db.selectFrom('sessions').selectAll().where('id', '=', s.id).executeTakeFirstOrThrow();
    expect(typeof row.starts_at).toBe('number');
    const proctor = await createStaff(ctx, 'test', { username: 'p1', displayName: 'P', role: 'proctor', password: 'password1' });
    const room = await saveRoom(ctx, 'test', s.id, null, { name: '第1考场', proctorIds: [proctor.id] });
    expect((await listRooms(ctx, s.id))[0]).toMatchObject({ name: '第1考场', proctorIds: [proctor.id] });
    await createCandidate(ctx, 'test', s.id, { name: '张三', idNumber: '11010519491231002X', ticket: 'T1', roomId: room.id });
    const list = await listCandidates(ctx, s.id, { offset: 0, limit: 10 });
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({ name: '张三', roomId: room.id, hasPhoto: false });
    expect(list.items[0]!.anonymousNumber).toMatch(/^[2-9A-Z]{6}$/);
    expect(await dashboard(ctx, s.id)).toMatchObject({ candidates: 1, counts: { 'not-logged-in': 1, 'logged-in': 0 }, upload: { bytes: 0, verified: 0, expected: 0 } });
  });

  it('refuses a duplicate ID-card number in a session, and a room with a non-proctor', async () => {
    const ctx = await ctxOn(kind);
    const exam = await createExam(ctx, 'test', { name: 'e' });
    const s = await createSession(ctx, 'test', exam.id, { name: 's', startsAt: START, durationSec: 600 });
    await createCandidate(ctx, 'test', s.id, { name: 'a', idNumber: '11010519491231002X', ticket: 'T1' });
    await expect(createCandidate(ctx, 'test', s.id, { name: 'b', idNumber: '11010519491231002x', ticket: 'T2' })).rejects.toMatchObject({ code: 'DUPLICATE_ID_NUMBER' });
    // The database itself also refuses it (a second process could race the service check).
    const c = await ctx.db.selectFrom('candidates').selectAll().executeTakeFirstOrThrow();
    await expect(
      ctx.db
        .insertInto('candidates')
        .values({ ...c, id: 'other', ticket: 'T9', anonymous_number: 'ZZZZZZ' })
        .execute(),
    ).rejects.toThrow();
    const admin = await createStaff(ctx, 'test', { username: 'a1', displayName: 'A', role: 'admin', password: 'password1' });
    await expect(saveRoom(ctx, 'test', s.id, null, { name: 'r', proctorIds: [admin.id] })).rejects.toBeInstanceOf(AppError);
  });

  it('deletes a session’s rooms and candidates with it', async () => {
    const ctx = await ctxOn(kind);
    const exam = await createExam(ctx, 'test', { name: 'e' });
    const s = await createSession(ctx, 'test', exam.id, { name: 's', startsAt: START, durationSec: 600 });
    await saveRoom(ctx, 'test', s.id, null, { name: 'r' });
    await createCandidate(ctx, 'test', s.id, { name: 'a', idNumber: '11010519491231002X', ticket: 'T1' });
    await ctx.db.deleteFrom('exams').where('id', '=', exam.id).execute();
    expect(await ctx.db.selectFrom('candidates').selectAll().execute()).toEqual([]);
    expect(await ctx.db.selectFrom('rooms').selectAll().execute()).toEqual([]);
  });

  it('chains the audit log and finds the first tampered row', async () => {
    const ctx = await ctxOn(kind);
    for (let i = 0; i < 5; i++) await appendAudit(ctx.db, { actor: 'test', action: 'x.do', target: `t:${i}`, data: { i } });
    expect(await verifyAudit(ctx.db)).toEqual({ ok: true, checked: 5, firstBrokenSeq: null });
    const rows = await ctx.db.selectFrom('audit_log').select('seq').orderBy('seq').execute();
    await ctx.db.updateTable('audit_log').set({ data: '{"i":99}' }).where('seq', '=', rows[2]!.seq).execute();
    expect(await verifyAudit(ctx.db)).toEqual({ ok: false, checked: 2, firstBrokenSeq: rows[2]!.seq, reason: 'chain' });
  });

  it('keeps the chain intact under concurrent writers', async () => {
    const ctx = await ctxOn(kind);
    await Promise.all(Array.from({ length: 20 }, (_, i) => ctx.db.transaction().execute((trx) => appendAudit(trx, { actor: 'test', action: 'c', target: `t:${i}` }))));
    expect(await verifyAudit(ctx.db)).toMatchObject({ ok: true, checked: 20 });
    const n = await sql<{ n: number }>`select count(*) as n from audit_log`.execute(ctx.db);
    expect(Number(n.rows[0]!.n)).toBe(20);
  });
});
