// A world for the proof camera tests: the real app with the proof routes, the demo exam with proof required,
// logged-in candidates, staff, and phones bound through the real routes.
import type { LightMyRequestResponse } from 'fastify';
import { MemoryBus } from '../src/realtime/bus.ts';
import { proofRoutes } from '../src/http/routes/proof.ts';
import { defaultProofSettings, type ProofSettings } from '../src/services/proof/index.ts';
import { cookieOf, makeApp, seed, type TestApp } from './helpers/app.ts';
import type { DialectName } from './helpers/db.ts';

export interface ProofWorld {
  t: TestApp;
  bus: MemoryBus;
  settings: ProofSettings;
  sessionId: string;
  roomId: string;
  demo: Awaited<ReturnType<typeof seed>>;
  candidates: Array<{ cookie: string; attemptId: string }>;
  staff(role: 'admin' | 'proctor' | 'examiner' | 'support'): Promise<string>;
  issue(cookie: string): Promise<{ code: string; url: string; expiresAt: number }>;
  bind(code: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** Issues a code on the desktop and binds a new phone with it; returns the phone's cookie. */
  bindPhone(i?: number): Promise<string>;
  close(): Promise<void>;
}

export async function proofWorld(o: { kind?: DialectName; settings?: Partial<ProofSettings>; candidates?: number; startsIn?: number; duration?: number } = {}): Promise<ProofWorld> {
  const bus = new MemoryBus();
  const settings = { ...defaultProofSettings(), ...o.settings };
  const t = await makeApp(o.kind ?? 'sqlite', { env: { PUBLIC_URL: 'http://exam.test:8080' }, deps: { plugins: [(app, ctx) => proofRoutes(app, ctx, { bus, settings })] } });
  const demo = await seed(t, o.startsIn ?? 600, o.duration ?? 1500, o.candidates ?? 2);
  await t.app.ctx.db.updateTable('sessions').set({ proof_required: 1 }).where('id', '=', demo.sessionId).execute();
  const candidates: Array<{ cookie: string; attemptId: string }> = [];
  for (const [i, c] of demo.candidates.entries()) {
    const res = await t.candidateLogin(c.idNumber, c.ticket, `client-${i}-aaaaaaaa`);
    const cookie = cookieOf(res);
    candidates.push({ cookie, attemptId: (res.json() as { attemptId: string }).attemptId });
  }
  const staffPw: Record<string, { username: string; password: string }> = { admin: demo.admin, proctor: demo.proctor, examiner: demo.examiner, support: demo.support };
  const w: ProofWorld = {
    t,
    bus,
    settings,
    demo,
    candidates,
    sessionId: demo.sessionId,
    roomId: demo.roomId,
    staff: (role) => t.login(staffPw[role]!.username, staffPw[role]!.password),
    async issue(cookie) {
      const res = await t.req('POST', '/api/proof/bind-code', cookie);
      if (res.statusCode !== 200) throw new Error(`bind-code: ${res.statusCode} ${res.body}`);
      return res.json();
    },
    bind: (code, headers = {}) => t.req('POST', '/api/proof/bind', undefined, { code }, headers),
    async bindPhone(i = 0) {
      const { code } = await w.issue(candidates[i]!.cookie);
      return cookieOf(await w.bind(code));
    },
    close: () => t.cleanup(),
  };
  return w;
}

export const errorCode = (res: LightMyRequestResponse) => (res.json() as { error?: { code: string } }).error?.code;
