// services/access.ts, per principal kind, on the real database (PostgreSQL too when TEST_DATABASE_URL is set):
// who may see which attempt, session, room and panel, and what the scoped lists return to each of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, freshDb } from './helpers/db.ts';
import { loadConfig } from '../src/config.ts';
import { systemClock, type Ctx } from '../src/services/context.ts';
import type { Principal } from '../src/services/auth.ts';
import { requireAnonymousAttempt, requireAttempt, requirePanel, requireRoom, requireWatch, watchedRoomIds, watchedSessions, watchTargets } from '../src/services/access.ts';
import { sessionAttempts, listEvents } from '../src/services/attempts.ts';
import { listThreads, listMessages } from '../src/services/help.ts';
import { listWarnings } from '../src/services/monitoring/warnings.ts';
import { attemptRow } from '../src/adapters/db/rows.ts';

// Two sessions. S1: rooms R1, R2 and panels P1, P2; candidates C1 (R1, P1) and C2 (R2, P2). S2: room R3, C3.
const T = 1_780_000_000_000;
async function world(ctx: Ctx) {
  const db = ctx.db;
  await db.insertInto('exams').values({ id: 'E', name: 'e', description: '', created_at: T }).execute();
  for (const s of ['S1', 'S2'])
    await db
      .insertInto('sessions')
      .values({
        id: s,
        exam_id: 'E',
        name: s,
        kind: 'real',
        login_opens_at: T,
        entry_opens_at: T,
        waiting_cutoff_at: null,
        starts_at: T,
        duration_sec: 600,
        entry_cutoff_mode: 'none',
        entry_cutoff_minutes: 0,
        face_required: 0,
        proof_required: 0,
        created_at: T,
      })
      .execute();
  for (const [id, s] of [
    ['R1', 'S1'],
    ['R2', 'S1'],
    ['R3', 'S2'],
  ])
    await db.insertInto('rooms').values({ id: id!, session_id: s!, name: id! }).execute();
  for (const [id, s] of [
    ['P1', 'S1'],
    ['P2', 'S1'],
  ])
    await db.insertInto('panels').values({ id: id!, session_id: s!, name: id! }).execute();
  for (const [id, role] of [
    ['proctor1', 'proctor'],
    ['proctor3', 'proctor'],
    ['lonely', 'proctor'],
    ['support', 'support'],
    ['admin', 'admin'],
    ['examiner1', 'examiner'],
  ])
    await db.insertInto('users').values({ id: id!, username: id!, display_name: id!, role: role!, password_hash: 'x', disabled: 0, created_at: T }).execute();
  await db
    .insertInto('room_proctors')
    .values([
      { room_id: 'R1', user_id: 'proctor1' },
      { room_id: 'R3', user_id: 'proctor3' },
    ])
    .execute();
  await db.insertInto('panel_examiners').values({ panel_id: 'P1', user_id: 'examiner1' }).execute();
  for (const [n, s, room, panel] of [
    ['1', 'S1', 'R1', 'P1'],
    ['2', 'S1', 'R2', 'P2'],
    ['3', 'S2', 'R3', null],
  ]) {
    await db
      .insertInto('candidates')
      .values({
        id: `C${n}`,
        session_id: s!,
        room_id: room!,
        panel_id: panel ?? null,
        name: `name${n}`,
        id_number: `id${n}`,
        ticket: `T${n}`,
        anonymous_number: `ANON${n}`,
        photo_key: null,
        created_at: T,
      })
      .execute();
    await db
      .insertInto('attempts')
      .values(
        attemptRow({
          id: `A${n}`,
          candidate_id: `C${n}`,
          session_id: s!,
          status: 'answering',
          logged_in_at: T,
          entered_at: T,
          waiting_at: T,
        }),
      )
      .execute();
    await db
      .insertInto('help_messages')
      .values({ id: `H${n}`, attempt_id: `A${n}`, at: T, from_kind: 'candidate', user_id: null, body: 'help' })
      .execute();
  }
}

const staff = (userId: string, role: 'admin' | 'proctor' | 'examiner' | 'support'): Principal => ({ kind: 'staff', role, userId, username: userId, displayName: userId, authId: 'x' });
const base = { candidateId: 'C1', attemptId: 'A1', sessionId: 'S1', displayName: 'name1', authId: 'x' };

interface Row {
  who: string;
  p: Principal;
  /** Attempts reachable by id. */
  attempts: string[];
  /** Sessions a live watch is allowed on, and the rooms it covers. */
  watch: Record<string, string[] | 'all'>;
  /** Attempts of S1 listed to them (sessionAttempts, help threads). */
  listed: string[];
  /** Anonymous numbers of S1 reachable (examiner review). */
  anonymous: string[];
  rooms: string[];
  panels: string[];
}

const table: Row[] = [
  { who: 'candidate', p: { kind: 'candidate', role: 'candidate', clientId: 'c', ...base }, attempts: ['A1'], watch: {}, listed: [], anonymous: [], rooms: [], panels: [] },
  { who: 'phone', p: { kind: 'phone', role: 'phone', phoneId: 'ph', ...base }, attempts: ['A1'], watch: {}, listed: [], anonymous: [], rooms: [], panels: [] },
  { who: 'proctor of R1', p: staff('proctor1', 'proctor'), attempts: ['A1'], watch: { S1: ['R1'] }, listed: ['A1'], anonymous: [], rooms: ['R1'], panels: [] },
  { who: 'proctor of R3 (other session)', p: staff('proctor3', 'proctor'), attempts: ['A3'], watch: { S2: ['R3'] }, listed: [], anonymous: [], rooms: ['R3'], panels: [] },
  { who: 'proctor without rooms', p: staff('lonely', 'proctor'), attempts: [], watch: {}, listed: [], anonymous: [], rooms: [], panels: [] },
  { who: 'support', p: staff('support', 'support'), attempts: ['A1', 'A2', 'A3'], watch: { S1: 'all', S2: 'all' }, listed: ['A1', 'A2'], anonymous: [], rooms: ['R1', 'R2', 'R3'], panels: [] },
  {
    who: 'admin',
    p: staff('admin', 'admin'),
    attempts: ['A1', 'A2', 'A3'],
    watch: { S1: 'all', S2: 'all' },
    listed: ['A1', 'A2'],
    anonymous: ['ANON1', 'ANON2'],
    rooms: ['R1', 'R2', 'R3'],
    panels: ['P1', 'P2'],
  },
  { who: 'examiner of P1', p: staff('examiner1', 'examiner'), attempts: [], watch: {}, listed: [], anonymous: ['ANON1'], rooms: [], panels: ['P1'] },
];

const reachable = async (f: () => Promise<unknown>) =>
  f().then(
    () => true,
    (e: { code?: string }) => {
      if (e.code !== 'NOT_FOUND') throw e;
      return false;
    },
  );

describe.each(dialects)('access on %s', (kind) => {
  let ctx: Ctx;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const db = await freshDb(kind);
    cleanup = db.cleanup;
    ctx = { db: db.db, dbKind: db.kind, config: loadConfig({ LOG_LEVEL: 'silent' }), clock: systemClock };
    await world(ctx);
  });
  afterAll(() => cleanup());

  it.each(table)('$who reaches exactly their attempts by id, and the lists that take an id agree', async (row) => {
    for (const a of ['A1', 'A2', 'A3', 'missing']) {
      const may = row.attempts.includes(a);
      expect(await reachable(() => requireAttempt(ctx, row.p, a)), `requireAttempt ${a}`).toBe(may);
      // Lists by attempt id check for themselves: a caller that forgot cannot leak.
      expect(await reachable(() => listMessages(ctx, row.p, a)), `listMessages ${a}`).toBe(may);
      expect(await reachable(() => listEvents(ctx, row.p, a)), `listEvents ${a}`).toBe(may);
      expect(await reachable(() => listWarnings(ctx, row.p, a)), `listWarnings ${a}`).toBe(may);
    }
  });

  it.each(table)('$who watches only their sessions and rooms live', async (row) => {
    for (const s of ['S1', 'S2', 'missing']) {
      const want = row.watch[s];
      expect(await reachable(() => requireWatch(ctx, row.p, s)), `requireWatch ${s}`).toBe(!!want);
      const targets = await watchTargets(ctx, row.p, s);
      expect(targets, `watchTargets ${s}`).toEqual(want === undefined ? null : want === 'all' ? [{ session: s }] : want.map((room) => ({ room })));
      const rooms = await watchedRoomIds(ctx, row.p, s);
      expect(rooms.sort(), `watchedRoomIds ${s}`).toEqual(want === undefined ? [] : want === 'all' ? (s === 'S1' ? ['R1', 'R2'] : ['R3']) : want);
    }
    expect((await watchedSessions(ctx, row.p)).map((s) => s.id).sort()).toEqual(Object.keys(row.watch).sort());
  });

  it.each(table)('$who gets only their candidates in the session lists', async (row) => {
    expect((await sessionAttempts(ctx, row.p, 'S1')).map((a) => a.attemptId).sort()).toEqual(row.listed);
    expect((await listThreads(ctx, row.p, 'S1')).map((t) => t.attemptId).sort()).toEqual(row.listed);
  });

  it.each(table)('$who reaches anonymous numbers, rooms and panels only through membership', async (row) => {
    for (const n of ['ANON1', 'ANON2', 'ANON3', 'nope']) {
      const got = await requireAnonymousAttempt(ctx, row.p, 'S1', n).catch(() => null);
      expect(!!got, `anonymous ${n}`).toBe(row.anonymous.includes(n));
      // What an examiner gets back names no candidate.
      if (got) expect(Object.keys(got).sort()).toEqual(['anonymousNumber', 'attemptId', 'panelId', 'sessionId']);
    }
    for (const r of ['R1', 'R2', 'R3']) expect(await reachable(() => requireRoom(ctx, row.p, r)), `room ${r}`).toBe(row.rooms.includes(r));
    for (const pn of ['P1', 'P2']) expect(await reachable(() => requirePanel(ctx, row.p, pn)), `panel ${pn}`).toBe(row.panels.includes(pn));
  });
});
