// Login, logout and "who am I" for staff and candidates.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CandidateLoginBody, Me, Ok, PublicSchedule, StaffLoginBody } from '@invigil/contracts';
import type { Ctx } from '../../services/context.ts';
import { candidateLogin, logout, staffLogin, type Principal } from '../../services/auth.ts';
import { publicSchedule } from '../../services/sessions.ts';
import { AppError } from '../errors.ts';
import { checkLockout, loginFailed, loginSucceeded } from '../limits.ts';

export const SESSION_COOKIE = 'invigil_sid';

function meOf(p: Principal) {
  if (p.kind === 'phone') return { role: p.role, userId: null, username: null, displayName: p.displayName, candidateId: p.candidateId, attemptId: p.attemptId, sessionId: p.sessionId };
  return p.kind === 'staff'
    ? { role: p.role, userId: p.userId, username: p.username, displayName: p.displayName, candidateId: null, attemptId: null, sessionId: null }
    : { role: p.role, userId: null, username: null, displayName: p.displayName, candidateId: p.candidateId, attemptId: p.attemptId, sessionId: p.sessionId };
}

export async function authRoutes(app: FastifyInstance, ctx: Ctx) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const cookieOpts = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: ctx.config.cookieSecure };
  // Per real client address, across login names (TRUST_PROXY decides what req.ip is). Candidates get a wider
  // window: a whole exam hall may log in from behind one NAT address within the same minute.
  const perIp = (max: number) => ({ max, timeWindow: '1 minute', hook: 'onRequest' as const, keyGenerator: (req: { ip: string }) => req.ip });
  // Per account as well: repeated failures lock the name out for a growing time (http/limits.ts).
  const guarded = async <T>(account: string, login: () => Promise<T>): Promise<T> => {
    await checkLockout(app.counters, account);
    try {
      const out = await login();
      await loginSucceeded(app.counters, account);
      return out;
    } catch (e) {
      if (e instanceof AppError && (e.code === 'LOGIN_FAILED' || e.code === 'LOGIN_REFUSED')) await loginFailed(app.counters, account);
      throw e;
    }
  };

  r.post('/api/auth/login', { config: { access: 'public', rateLimit: perIp(ctx.config.loginRateLimit * 3) }, schema: { body: StaffLoginBody, response: { 200: Me } } }, async (req, reply) => {
    const { token, principal } = await guarded(`staff:${req.body.username.toLowerCase()}`, () => staffLogin(ctx, req.body.username, req.body.password));
    reply.setCookie(SESSION_COOKIE, token, cookieOpts);
    return meOf(principal);
  });

  r.post(
    '/api/auth/candidate-login',
    { config: { access: 'public', rateLimit: perIp(ctx.config.loginRateLimit * 20) }, schema: { body: CandidateLoginBody, response: { 200: Me } } },
    async (req, reply) => {
      const { token, principal } = await guarded(`candidate:${req.body.idNumber.trim().toUpperCase()}`, () => candidateLogin(ctx, req.body, app.realtime));
      reply.setCookie(SESSION_COOKIE, token, cookieOpts);
      return meOf(principal);
    },
  );

  // Anonymous, like the logins: limited per real address. A refused candidate login says nothing about why; the
  // login page counts down to the next opening from this list instead (issue #13).
  r.get('/api/public/schedule', { config: { access: 'public', rateLimit: perIp(ctx.config.loginRateLimit * 20) }, schema: { response: { 200: PublicSchedule } } }, async () => publicSchedule(ctx));

  r.post('/api/auth/logout', { config: { access: ['admin', 'proctor', 'examiner', 'support', 'candidate', 'phone'] }, schema: { response: { 200: Ok } } }, async (req, reply) => {
    await logout(ctx, req.principal!);
    await app.realtime?.disconnect({ auth: req.principal!.authId });
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true as const };
  });

  r.get('/api/auth/me', { config: { access: ['admin', 'proctor', 'examiner', 'support', 'candidate', 'phone'] }, schema: { response: { 200: Me } } }, async (req) => meOf(req.principal!));
}

export function readSessionCookie(cookies: Record<string, string | undefined>): string | undefined {
  return cookies[SESSION_COOKIE];
}

export { AppError };
