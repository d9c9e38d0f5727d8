// A hostile world for the security tier: the real app (every feature) listening on a port, the demo exam, and
// one logged-in principal of every kind (each staff role, a candidate's desktop, a bound phone), with helpers to
// open sockets as any of them and to snapshot state (audit head + row counts) around rejected requests.
import { io as connect, type Socket } from 'socket.io-client';
import { sql } from 'kysely';
import { cookieOf, makeApp, seed, type TestApp } from '../helpers/app.ts';
import type { Deps } from '../../src/app.ts';

export type Kind = 'admin' | 'proctor' | 'examiner' | 'support' | 'candidate' | 'phone';
export const KINDS: Kind[] = ['admin', 'proctor', 'examiner', 'support', 'candidate', 'phone'];

export interface World {
  t: TestApp;
  url: string;
  demo: Awaited<ReturnType<typeof seed>>;
  cookies: Record<Kind, string>;
  attemptId: string;
  socket(kind: Kind | string): Promise<Socket>;
  health(): Promise<number>;
  snapshot(): Promise<string>;
  close(): Promise<void>;
}

/** Audit actions that record a refusal: written on purpose when a request is rejected. */
export const REFUSAL_RECORDS = ['staff.login-failed', 'candidate.login-refused', 'candidate.second-login-refused', 'session.start-move-refused'];

/** Tables whose rows a rejected request must never add, remove or change. */
const TABLES = ['sessions', 'exams', 'candidates', 'attempts', 'attempt_events', 'questions', 'users', 'recordings', 'segments', 'rooms', 'auth_sessions'];

export async function world(o: { env?: Record<string, string>; startsIn?: number; duration?: number; deps?: Partial<Deps> } = {}): Promise<World> {
  // The production login limits (the test helper raises them): fuzzed logins are mostly refused cheaply.
  const t = await makeApp('sqlite', { env: { LOGIN_RATE_LIMIT: '10', ...o.env }, deps: o.deps });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  const demo = await seed(t, o.startsIn ?? 600, o.duration ?? 1500, 2);
  const login = await t.candidateLogin(demo.candidates[0]!.idNumber, demo.candidates[0]!.ticket, 'client-sec-00000001');
  const candidate = cookieOf(login);
  const attemptId = (login.json() as { attemptId: string }).attemptId;
  const code = (await t.req('POST', '/api/proof/bind-code', candidate)).json() as { code: string };
  const phone = cookieOf(await t.req('POST', '/api/proof/bind', undefined, { code: code.code }));
  const cookies: Record<Kind, string> = {
    admin: await t.login(demo.admin.username, demo.admin.password),
    proctor: await t.login(demo.proctor.username, demo.proctor.password),
    examiner: await t.login(demo.examiner.username, demo.examiner.password),
    support: await t.login(demo.support.username, demo.support.password),
    candidate,
    phone,
  };
  const open: Socket[] = [];
  const w: World = {
    t,
    url,
    demo,
    cookies,
    attemptId,
    socket(kind) {
      const cookie = kind in cookies ? cookies[kind as Kind] : kind;
      return new Promise((resolve, reject) => {
        const s = connect(url, { path: '/socket.io', transports: ['websocket'], extraHeaders: { cookie }, reconnection: false, forceNew: true });
        open.push(s);
        s.on('connect', () => resolve(s));
        s.on('connect_error', reject);
      });
    },
    async health() {
      return (await t.req('GET', '/api/health')).statusCode;
    },
    async snapshot() {
      const db = t.app.ctx.db;
      // Refusals that are recorded on purpose (a failed login, a refused start move) are not state changes.
      const head = await db.selectFrom('audit_log').select(['seq', 'hash']).where('action', 'not in', REFUSAL_RECORDS).orderBy('seq', 'desc').limit(1).executeTakeFirst();
      const kept = await db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('action', 'not in', REFUSAL_RECORDS)
        .executeTakeFirstOrThrow();
      const counts: string[] = [`audit(kept)=${kept.n}`];
      for (const table of TABLES) {
        const r = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(db).catch(() => ({ rows: [{ n: -1 }] }));
        counts.push(`${table}=${r.rows[0]!.n}`);
      }
      return `${head?.seq}:${head?.hash} ${counts.join(' ')}`;
    },
    async close() {
      for (const s of open) s.disconnect();
      await t.cleanup();
    },
  };
  return w;
}

/** Resolves with the ack, or with 'no-ack' after `ms` (events without an acknowledgement). */
export function emitAck(s: Socket, event: string, args: unknown[], ms = 1000): Promise<unknown> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('no-ack'), ms);
    s.emit(event, ...args, (r: unknown) => {
      clearTimeout(timer);
      resolve(r);
    });
  });
}
