// Login, logout and "who am I" for staff and candidates.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CandidateLoginBody, Me, Ok, StaffLoginBody } from '@invigil/contracts';
import type { Ctx } from '../../services/context.ts';
import { candidateLogin, logout, staffLogin, type Principal } from '../../services/auth.ts';
import { AppError } from '../errors.ts';

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
  // Rate limit per IP + login name: a classroom behind one NAT must not lock each other out.
  const loginLimit = (field: 'username' | 'idNumber') => ({
    max: ctx.config.loginRateLimit,
    timeWindow: '1 minute',
    hook: 'preHandler' as const,
    keyGenerator: (req: { ip: string; body?: unknown }) => `${req.ip}:${String((req.body as Record<string, unknown> | undefined)?.[field] ?? '')}`,
  });

  r.post('/api/auth/login', { config: { access: 'public', rateLimit: loginLimit('username') }, schema: { body: StaffLoginBody, response: { 200: Me } } }, async (req, reply) => {
    const { token, principal } = await staffLogin(ctx, req.body.username, req.body.password);
    reply.setCookie(SESSION_COOKIE, token, cookieOpts);
    return meOf(principal);
  });

  r.post('/api/auth/candidate-login', { config: { access: 'public', rateLimit: loginLimit('idNumber') }, schema: { body: CandidateLoginBody, response: { 200: Me } } }, async (req, reply) => {
    const { token, principal } = await candidateLogin(ctx, req.body, app.realtime);
    reply.setCookie(SESSION_COOKIE, token, cookieOpts);
    return meOf(principal);
  });

  r.post('/api/auth/logout', { config: { access: ['admin', 'proctor', 'examiner', 'support', 'candidate', 'phone'] }, schema: { response: { 200: Ok } } }, async (req, reply) => {
    await logout(ctx, req.principal!);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true as const };
  });

  r.get('/api/auth/me', { config: { access: ['admin', 'proctor', 'examiner', 'support', 'candidate', 'phone'] }, schema: { response: { 200: Me } } }, async (req) => meOf(req.principal!));
}

export function readSessionCookie(cookies: Record<string, string | undefined>): string | undefined {
  return cookies[SESSION_COOKIE];
}

export { AppError };
