// Who may call what. Every /api route declares `config.access`: 'public' or a list of roles.
// A route without a declaration makes the app refuse to start, so none can be forgotten.
// The check runs at onRequest, before body validation: 401/403 are never hidden behind a 400.
import type { FastifyInstance, FastifyRequest, FastifySchema } from 'fastify';
import type { Role } from '@invigil/contracts';
import { AppError } from './errors.ts';
import type { Principal } from '../services/auth.ts';

export type Access = 'public' | 'any-staff' | readonly Role[];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export interface RouteEntry {
  method: string;
  url: string;
  access: Access;
  /** The route's zod schemas, so the web's route table (contracts/api.ts) can be proved against them. */
  schema?: FastifySchema;
}

export const STAFF_ROLES: readonly Role[] = ['admin', 'proctor', 'examiner', 'support'];

export function allowedRoles(access: Access): readonly Role[] | 'public' {
  if (access === 'public') return 'public';
  if (access === 'any-staff') return STAFF_ROLES;
  return access;
}

export function registerAccessControl(app: FastifyInstance, resolve: (req: FastifyRequest) => Promise<Principal | null>): RouteEntry[] {
  const table: RouteEntry[] = [];
  app.decorateRequest('principal', null);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
    const access = route.config?.access;
    if (!access) throw new Error(`Route ${String(route.method)} ${route.url} declares no access (config.access)`);
    for (const m of [route.method].flat()) if (m !== 'HEAD') table.push({ method: String(m), url: route.url, access, schema: route.schema });
  });
  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config?.access;
    if (!access) return;
    req.principal = await resolve(req);
    const roles = allowedRoles(access);
    if (roles === 'public') return;
    if (!req.principal) throw new AppError('UNAUTHENTICATED');
    if (!roles.includes(req.principal.role)) throw new AppError('FORBIDDEN');
  });
  return table;
}

export function staff(req: FastifyRequest) {
  const p = req.principal;
  if (!p || p.kind !== 'staff') throw new AppError('FORBIDDEN');
  return p;
}

export function phone(req: FastifyRequest) {
  const p = req.principal;
  if (!p || p.kind !== 'phone') throw new AppError('FORBIDDEN');
  return p;
}

/** The attempt a candidate's desktop or bound phone acts for. */
export function ownAttempt(req: FastifyRequest): string {
  const p = req.principal;
  if (!p || (p.kind !== 'candidate' && p.kind !== 'phone')) throw new AppError('FORBIDDEN');
  return p.attemptId;
}

export function candidate(req: FastifyRequest) {
  const p = req.principal;
  if (!p || p.kind !== 'candidate') throw new AppError('FORBIDDEN');
  return p;
}
