// Starts the real Invigil server as a child process on a free port with its own DATA_DIR,
// and seeds demo data through the real CLI — the same path a person uses.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Demo {
  baseUrl: string;
  examId: string;
  sessionId: string;
  roomId: string;
  startsAt: number;
  endsAt: number;
  admin: { username: string; password: string };
  proctor: { username: string; password: string };
  examiner: { username: string; password: string };
  support: { username: string; password: string };
  candidates: Array<{ name: string; idNumber: string; ticket: string; anonymousNumber: string }>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

export class TestServer {
  private child: ChildProcess | null = null;
  readonly log: string[] = [];
  private constructor(
    readonly port: number,
    readonly dataDir: string,
    readonly env: Record<string, string>,
  ) {}

  get baseUrl() {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(extraEnv: Record<string, string> = {}): Promise<TestServer> {
    const port = await freePort();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'invigil-e2e-'));
    const env = { DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', PUBLIC_URL: `http://127.0.0.1:${port}`, ...extraEnv };
    const s = new TestServer(port, dataDir, env);
    await s.spawn();
    return s;
  }

  /** (Re)start the process on the same port and data — used by tests that kill the server. */
  async spawn(): Promise<void> {
    const child = spawn('bash', ['scripts/server.sh'], { cwd: ROOT, env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    const keep = (b: Buffer) => {
      this.log.push(b.toString());
      if (this.log.length > 500) this.log.shift();
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`server exited early:\n${this.log.join('')}`);
      try {
        const r = await fetch(`${this.baseUrl}/api/health`);
        if (r.ok) return;
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error(`server did not start in 30 s:\n${this.log.join('')}`);
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      c.once('exit', () => resolve());
      c.kill(signal);
    });
  }

  /** Runs `invigil <args>` against this server's data and returns the last line parsed as JSON (or the raw stdout). */
  cli(args: string[]): string {
    return execFileSync(process.execPath, ['--import', 'tsx', 'packages/server/src/cli.ts', ...args], { cwd: ROOT, env: { ...process.env, ...this.env }, encoding: 'utf8' });
  }

  seedDemo(opts: { startsIn: number; duration: number; candidates?: number; face?: boolean; proof?: boolean; kind?: string }): Demo {
    const args = ['seed-demo', '--starts-in', String(opts.startsIn), '--duration', String(opts.duration), '--candidates', String(opts.candidates ?? 2)];
    if (opts.face !== undefined) args.push('--face', opts.face ? 'on' : 'off');
    if (opts.proof !== undefined) args.push('--proof', opts.proof ? 'on' : 'off');
    if (opts.kind) args.push('--kind', opts.kind);
    const out = this.cli(args).trim().split('\n');
    return JSON.parse(out[out.length - 1]!) as Demo;
  }

  async stop(): Promise<void> {
    await this.kill('SIGTERM');
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}
