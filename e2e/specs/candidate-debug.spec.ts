import { test } from '@playwright/test';
import { TestServer } from '../helpers/server.ts';
import { launch } from '../helpers/browser.ts';
import { candidatePage, login, passDeviceCheck, readAllDocuments } from '../helpers/candidate.ts';

test('debug', async () => {
  test.setTimeout(120_000);
  const server = await TestServer.start();
  const demo = server.seedDemo({ startsIn: 25, duration: 10, candidates: 1 });
  const browser = await launch();
  try {
    const page = await candidatePage(browser, server.baseUrl);
    page.on('pageerror', (e) => console.log('PAGEERROR', e.message, e.stack));
    page.on('response', (r) => r.status() === 401 && console.log('R401', r.url()));
    await login(page, demo.candidates[0]!);
    await passDeviceCheck(page);
    await readAllDocuments(page);
    await page.getByRole('button', { name: '进入考试' }).click();
    await page.getByRole('button', { name: '进入待考' }).click();
    await page.waitForTimeout(demo.endsAt - Date.now() + 4000);
    await page.screenshot({ path: '/tmp/cdbg/end.png' });
  } finally {
    await browser.close();
    await server.stop();
  }
});
