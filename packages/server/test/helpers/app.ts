// A real app (buildApp) on a real database, driven through app.inject() — no port, no mocks.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp, type Deps } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { Clock } from '../../src/services/context.ts';
import { seedDemo } from '../../src/services/demo.ts';
import { freshDb, type DialectName } from './db.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { features } from '../../src/features.ts';
import { LocalBlobStore } from '../../src/adapters/blob/local.ts';
import { LazyFaceEngine } from '../../src/adapters/face/lazy.ts';
import { HumanFaceEngine } from '../../src/adapters/face/human.ts';
import { defaultFaceSettings } from '../../src/services/face/settings.ts';
import { defaultProofSettings } from '../../src/services/proof/index.ts';
import { defaultMonitoringSettings } from '../../src/services/monitoring/index.ts';
import { InProcessJobQueue } from '../../src/adapters/jobs/in-process.ts';

export class TestClock implements Clock {
  constructor(public t = Date.parse('2026-06-25T00:00:00Z')) {}
  now() {
    return this.t;
  }
  advance(ms: number) {
    this.t += ms;
  }
}

export interface TestApp {
  app: FastifyInstance;
  clock: TestClock;
  cleanup(): Promise<void>;
  login(username: string, password: string): Promise<string>;
  candidateLogin(idNumber: string, ticket: string, clientId?: string): Promise<LightMyRequestResponse>;
  req(method: string, url: string, cookie?: string, payload?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
}

export function cookieOf(res: LightMyRequestResponse): string {
  const c = res.cookies.find((x) => x.name === 'invigil_sid');
  if (!c) throw new Error(`no session cookie (status ${res.statusCode}: ${res.body})`);
  return `invigil_sid=${c.value}`;
}

/**
 * The app as main.ts builds it (every feature), on a fresh database and a temp blob directory.
 * `deps` overrides parts (e.g. entryGates) for a test; the face engine only starts if a test uses it.
 */
export async function makeApp(kind: DialectName = 'sqlite', opts: { env?: Record<string, string>; deps?: Partial<Deps> } = {}): Promise<TestApp> {
  const db = await freshDb(kind);
  const clock = new TestClock();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'invigil-app-'));
  const config = loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: dataDir, LOGIN_RATE_LIMIT: '1000', ...opts.env });
  const blobs = await LocalBlobStore.create(path.join(dataDir, 'blobs'));
  const faceEngine = new LazyFaceEngine(() => HumanFaceEngine.create());
  // Recordings are assembled on the job queue, as in main.ts (a short poll: retries come round quickly).
  const jobs = new InProcessJobQueue(db.db, { pollMs: 100 });
  const app = await buildApp(config, {
    db,
    clock,
    ...features({ blobs, faceEngine, faceSettings: defaultFaceSettings(), proofSettings: defaultProofSettings(), monitoringSettings: defaultMonitoringSettings(), jobs }),
    ...opts.deps,
  });
  await app.ready();
  await jobs.start();
  const req: TestApp['req'] = (method, url, cookie, payload, headers = {}) =>
    app.inject({ method: method as 'GET', url, payload: payload as object, headers: { ...(cookie ? { cookie } : {}), ...headers } });
  return {
    app,
    clock,
    req,
    async cleanup() {
      await jobs.stop();
      await app.close();
      await faceEngine.close();
      await db.cleanup();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
    async login(username, password) {
      return cookieOf(await req('POST', '/api/auth/login', undefined, { username, password }));
    },
    candidateLogin(idNumber, ticket, clientId = 'client-aaaaaaaa') {
      return req('POST', '/api/auth/candidate-login', undefined, { idNumber, ticket, clientId });
    },
  };
}

/** The demo exam at the app's clock; startsIn/duration in seconds. */
export function seed(t: TestApp, startsIn = 600, duration = 1500, candidates = 3) {
  return seedDemo(t.app.ctx, { startsInSec: startsIn, durationSec: duration, candidates, kind: 'real', face: false, proof: false, baseUrl: 'http://test' });
}
