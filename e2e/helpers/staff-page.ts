// One server, one seeded session and one 1366×768 page shared by the tests of a spec, as the staff consoles'
// specs use them. Uncaught page errors fail the test that caused them: a crashed React tree shows a blank page,
// so the failure says why instead of timing out on a missing element.
import { test, expect, type Browser, type Page } from '@playwright/test';
import { TestServer, type Demo } from './server.ts';
import { launch } from './browser.ts';

export interface SharedPage {
  server: TestServer;
  demo: Demo;
  browser: Browser;
  page: Page;
}

/** Registers the spec's beforeAll/afterEach/afterAll hooks; the returned object is filled in beforeAll. */
export function sharedStaffPage(seed: Parameters<TestServer['seedDemo']>[0], env: Record<string, string> = {}): SharedPage {
  const shared = {} as SharedPage;
  const pageErrors: string[] = [];
  test.beforeAll(async () => {
    shared.server = await TestServer.start(env);
    shared.demo = shared.server.seedDemo(seed);
    shared.browser = await launch();
    shared.page = await shared.browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
    shared.page.on('pageerror', (e) => pageErrors.push(e.stack ?? e.message));
  });
  test.afterEach(() => {
    expect(pageErrors, pageErrors.join('\n')).toEqual([]);
  });
  test.afterAll(async () => {
    await shared.browser?.close();
    await shared.server?.stop();
  });
  return shared;
}
