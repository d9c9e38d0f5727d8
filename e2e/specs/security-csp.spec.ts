// The Content-Security-Policy the server sends (packages/server/src/http/security-headers.ts) must not break the
// apps: the candidate logs in and goes through the device check into the waiting room (camera, screen, recorders), and the
// admin and proctor login pages render — with not a single CSP violation reported on the way.
import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { TestServer, type Demo } from '../helpers/server.ts';
import { launch } from '../helpers/browser.ts';
import { candidatePage, snapshotWebDist, toWaitingRoom } from '../helpers/candidate.ts';

test.describe.configure({ timeout: 60_000 });

let server: TestServer;
let webDist: string;
let demo: Demo;

test.beforeAll(async () => {
  webDist = snapshotWebDist();
  server = await TestServer.start({ WEB_DIST: webDist });
  demo = server.seedDemo({ startsIn: 600, duration: 60, candidates: 1 });
});
test.afterAll(async () => {
  await server?.stop();
  if (webDist) fs.rmSync(webDist, { recursive: true, force: true });
});

/** Collects every CSP violation the page reports: the DOM event and the console message Chromium prints. */
async function watchCsp(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('__cspViolation', (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { __cspViolation(v: string): void }).__cspViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}:${e.columnNumber} ${location.pathname}`),
    );
  });
  page.on('console', (m) => {
    if (/Content[ -]Security[ -]Policy/i.test(m.text())) violations.push(m.text());
  });
  return violations;
}

test('candidate login → device check → waiting room, admin and proctor logins: no CSP violation', async () => {
  const browser = await launch();
  try {
    const page = await candidatePage(browser, server.baseUrl);
    const violations = await watchCsp(page);
    const first = await page.goto('/');
    expect(first?.headers()['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    // Through the device check, documents and 设备确认 into the waiting room: camera, screen share, recorders
    // (blob: chunks), the monitor worker and the socket all run under the policy.
    await toWaitingRoom(page, demo.candidates[0]!);
    for (const path of ['/admin', '/proctor']) {
      await page.goto(path);
      await expect(page.getByRole('button', { name: /登\s*录/ })).toBeVisible();
    }
    expect(violations).toEqual([]);
  } finally {
    await browser.close();
  }
});
