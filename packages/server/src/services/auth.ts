// Logins and sessions. Staff: username + password (argon2). Candidates: ID-card number + admission ticket,
// then (when the session requires it) face verification — see `loginSteps` — and one live client at a time.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import { normalizeIdNumber, phaseAt, type Role, type StaffRole } from '@invigil/contracts';
import type { Ctx } from './context.ts';
import { AppError } from './errors.ts';
import { appendAudit, withAudit } from './audit.ts';
import type { Bus } from './bus.ts';
import { pushEvents, recordEvents } from './events.ts';
import { loginTimeline } from './sessions.ts';
import { compiledOnce } from '../adapters/db/compiled-once.ts';
import { dashboardChanged } from './dashboard.ts';
import { attemptRow } from '../adapters/db/rows.ts';

export type Principal =
  | { kind: 'staff'; role: StaffRole; userId: string; username: string; displayName: string; authId: string }
  | { kind: 'candidate'; role: 'candidate'; candidateId: string; attemptId: string; sessionId: string; displayName: string; clientId: string; authId: string }
  | { kind: 'phone'; role: 'phone'; candidateId: string; attemptId: string; sessionId: string; displayName: string; phoneId: string; authId: string };

const STAFF_TTL_MS = 12 * 3600_000;
const CANDIDATE_TTL_AFTER_END_MS = 6 * 3600_000;

export const hashPassword = (pw: string) => argonHash(pw);
const tokenId = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(32).toString('base64url');

// A fixed hash to verify against when the username does not exist, so timing does not reveal usernames.
let dummyHash: Promise<string> | null = null;

export async function staffLogin(ctx: Ctx, username: string, password: string): Promise<{ token: string; principal: Principal }> {
  const user = await ctx.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  dummyHash ??= argonHash('invigil-dummy-password');
  const ok = await argonVerify(user?.password_hash ?? (await dummyHash), password).catch(() => false);
  if (!user || !ok || user.disabled) {
    await withAudit(ctx.db, async () => ({ result: null, audit: { actor: 'anonymous', action: 'staff.login-failed', target: `username:${username}` } }));
    throw new AppError('LOGIN_FAILED');
  }
  const now = ctx.clock.now();
  const token = newToken();
  const authId = tokenId(token);
  await withAudit(
    ctx.db,
    async (trx) => {
      await trx
        .insertInto('auth_sessions')
        .values({ id: authId, kind: 'staff', user_id: user.id, candidate_id: null, attempt_id: null, client_id: null, created_at: now, expires_at: now + STAFF_TTL_MS, last_seen_at: now })
        .execute();
      return { result: null, audit: { actor: `user:${user.id}`, action: 'staff.login', target: `user:${user.id}` } };
    },
    now,
  );
  return { token, principal: { kind: 'staff', role: user.role as StaffRole, userId: user.id, username: user.username, displayName: user.display_name, authId } };
}

export async function candidateLogin(ctx: Ctx, input: { idNumber: string; ticket: string; clientId: string }, bus: Bus): Promise<{ token: string; principal: Principal }> {
  const now = ctx.clock.now();
  const idNumber = normalizeIdNumber(input.idNumber);
  const rows = await ctx.db
    .selectFrom('candidates')
    .innerJoin('sessions', 'sessions.id', 'candidates.session_id')
    .select(['candidates.id as candidateId', 'candidates.name', 'sessions.id as sessionId', 'sessions.starts_at'])
    .where('candidates.id_number', '=', idNumber)
    .where('candidates.ticket', '=', input.ticket.trim())
    .execute();
  // The same person may sit several sessions (mock and real): take the one open now, else the next one.
  const withTimeline = await Promise.all(
    rows.map(async (r) => {
      const { timeline: tl, openUntil } = await loginTimeline(ctx, r.sessionId, now);
      return { ...r, info: phaseAt(tl, now), tl, openUntil };
    }),
  );
  // A wrong pair runs loginTimeline's session read too (it finds nothing), so every refusal does the same work.
  if (!rows.length) await ctx.db.selectFrom('sessions').selectAll().where('id', '=', '').executeTakeFirst();
  const candidateRow = withTimeline.find((r) => r.info.canLogin) ?? withTimeline.filter((r) => r.info.phase === 'not-open').sort((a, b) => a.starts_at - b.starts_at)[0] ?? withTimeline[0] ?? null;
  // One answer for a wrong pair, a pair whose login is not open yet and a pair whose session has ended: the
  // answer must not tell a guesser that an ID-number + ticket pair exists (issue #13). The opening times are
  // public (GET /api/public/schedule); the true reason is audited for staff.
  const reason = !candidateRow ? 'no-match' : candidateRow.info.phase === 'not-open' ? 'not-open' : candidateRow.info.phase === 'ended' ? 'ended' : null;
  if (reason) {
    await withAudit(
      ctx.db,
      async () => ({
        result: null,
        audit: {
          actor: 'anonymous',
          action: 'candidate.login-refused',
          target: candidateRow ? `candidate:${candidateRow.candidateId}` : `ticket:${input.ticket.slice(0, 64)}`,
          data: { reason, idNumber: idNumber.slice(0, 32), ...(reason === 'not-open' && candidateRow ? { loginOpensAt: candidateRow.tl.loginOpensAt } : {}) },
        },
      }),
      now,
    );
    throw new AppError('LOGIN_REFUSED');
  }
  const chosen = candidateRow!; // reason is null only when a row was found

  const token = newToken();
  const authId = tokenId(token);
  const attemptId = await ctx.db.transaction().execute(async (trx) => {
    // The current attempt (a 自助试测 keeps its earlier practice attempts as replaced ones).
    let attempt = await trx.selectFrom('attempts').selectAll().where('candidate_id', '=', chosen.candidateId).where('replaced_at', 'is', null).executeTakeFirst();
    if (!attempt) {
      const id = randomUUID();
      await trx
        .insertInto('attempts')
        .values(
          attemptRow({
            id,
            candidate_id: chosen.candidateId,
            session_id: chosen.sessionId,
            status: 'not-started',
          }),
        )
        .execute();
      attempt = await trx.selectFrom('attempts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    }
    const liveElsewhere = attempt.live_client_id && attempt.live_client_id !== input.clientId && attempt.live_seen_at !== null && now - attempt.live_seen_at < ctx.config.heartbeatTimeoutMs;
    if (liveElsewhere) {
      const waitSec = Math.ceil((ctx.config.heartbeatTimeoutMs - (now - attempt.live_seen_at!)) / 1000);
      const flagged = await recordEvents(trx, [{ attemptId: attempt.id, type: 'second-login', at: now, data: { clientId: input.clientId } }], now, {
        actor: `candidate:${chosen.candidateId}`,
        action: 'candidate.second-login-refused',
        target: `attempt:${attempt.id}`,
      });
      return { refused: waitSec, flagged } as const;
    }
    const resumed = attempt.live_client_id !== null && attempt.live_client_id !== input.clientId;
    // One live client: sessions of any previous client are revoked so it cannot keep acting.
    // (Only desktop sessions: the bound phone keeps recording across a desktop reload or resume.)
    await trx.deleteFrom('auth_sessions').where('candidate_id', '=', chosen.candidateId).where('kind', '=', 'candidate').execute();
    await trx
      .insertInto('auth_sessions')
      .values({
        id: authId,
        kind: 'candidate',
        user_id: null,
        candidate_id: chosen.candidateId,
        attempt_id: attempt.id,
        client_id: input.clientId,
        created_at: now,
        expires_at: Math.max(chosen.info.endsAt, chosen.openUntil) + CANDIDATE_TTL_AFTER_END_MS,
        last_seen_at: now,
      })
      .execute();
    await trx
      .updateTable('attempts')
      .set({ live_client_id: input.clientId, live_seen_at: now, logged_in_at: attempt.logged_in_at ?? now, status: attempt.status === 'not-started' ? 'logged-in' : attempt.status })
      .where('id', '=', attempt.id)
      .execute();
    await appendAudit(trx, { actor: `candidate:${chosen.candidateId}`, action: resumed ? 'candidate.login-resume' : 'candidate.login', target: `attempt:${attempt.id}` }, now);
    return { attemptId: attempt.id } as const;
  });
  if ('refused' in attemptId && attemptId.refused !== undefined) {
    // Someone else may be answering: the room's proctors see it live.
    await pushEvents(ctx, bus, attemptId.flagged);
    throw new AppError('ALREADY_LOGGED_IN_ELSEWHERE', { seconds: attemptId.refused ?? 0 });
  }
  dashboardChanged(ctx, bus, chosen.sessionId);
  return {
    token,
    principal: {
      kind: 'candidate',
      role: 'candidate',
      candidateId: chosen.candidateId,
      attemptId: attemptId.attemptId,
      sessionId: chosen.sessionId,
      displayName: chosen.name,
      clientId: input.clientId,
      authId,
    },
  };
}

// One query per request, compiled once: this runs on every API call, segment uploads included.
const sessionByTokenId = compiledOnce((db, p: { authId: string }) =>
  db
    .selectFrom('auth_sessions')
    .leftJoin('users', 'users.id', 'auth_sessions.user_id')
    .leftJoin('candidates', 'candidates.id', 'auth_sessions.candidate_id')
    .select([
      'auth_sessions.kind',
      'auth_sessions.expires_at',
      'auth_sessions.attempt_id',
      'auth_sessions.client_id',
      'users.id as u_id',
      'users.role as u_role',
      'users.username as u_username',
      'users.display_name as u_name',
      'users.disabled as u_disabled',
      'candidates.id as c_id',
      'candidates.name as c_name',
      'candidates.session_id as c_session',
    ])
    .where('auth_sessions.id', '=', p.authId),
);

export async function resolveToken(ctx: Ctx, token: string | undefined): Promise<Principal | null> {
  if (!token) return null;
  const now = ctx.clock.now();
  const authId = tokenId(token);
  const s = await sessionByTokenId.first(ctx.db, { authId });
  if (!s || s.expires_at <= now) return null;
  if (s.kind === 'staff') {
    if (!s.u_id || s.u_disabled) return null;
    return { kind: 'staff', role: s.u_role as StaffRole, userId: s.u_id, username: s.u_username!, displayName: s.u_name!, authId };
  }
  if ((s.kind === 'candidate' || s.kind === 'phone') && s.c_id && s.attempt_id) {
    const base = { candidateId: s.c_id, attemptId: s.attempt_id, sessionId: s.c_session!, displayName: s.c_name!, authId };
    if (s.kind === 'phone') return { kind: 'phone', role: 'phone', ...base, phoneId: s.client_id ?? '' };
    return { kind: 'candidate', role: 'candidate', ...base, clientId: s.client_id ?? '' };
  }
  return null;
}

export async function logout(ctx: Ctx, p: Principal): Promise<void> {
  await withAudit(ctx.db, async (trx) => {
    await trx.deleteFrom('auth_sessions').where('id', '=', p.authId).execute();
    if (p.kind === 'candidate') await trx.updateTable('attempts').set({ live_client_id: null, live_seen_at: null }).where('id', '=', p.attemptId).execute();
    return { result: null, audit: { actor: actorOf(p), action: 'logout', target: p.kind === 'staff' ? `user:${p.userId}` : `attempt:${p.attemptId}` } };
  });
}

export function actorOf(p: Principal): string {
  return p.kind === 'staff' ? `user:${p.userId}` : p.kind === 'phone' ? `phone:${p.phoneId}` : `candidate:${p.candidateId}`;
}

export type { Role };
