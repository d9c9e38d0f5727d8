// The server serves packages/web/dist. `npm test` builds it before the e2e tier; when a spec is run on its own
// after editing the web sources, rebuild first so the test never drives a stale build.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './server.ts';

function newest(dir: string): number {
  let n = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) n = Math.max(n, e.isDirectory() ? newest(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).mtimeMs);
  return n;
}

export function ensureWebBuild(): void {
  if (process.env.WEB_DIST) return; // the spec serves a build of its own choosing
  const web = path.join(ROOT, 'packages/web');
  const index = path.join(web, 'dist/index.html');
  const built = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
  if (built > Math.max(newest(path.join(web, 'src')), newest(path.join(ROOT, 'packages/contracts/src')))) return;
  execFileSync('npx', ['vite', 'build', 'packages/web'], { cwd: ROOT, stdio: 'ignore' });
}
