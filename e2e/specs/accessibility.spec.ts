// WCAG 2.2 AA with axe-core (issue #15, item 10): no serious or critical violation, zh-CN and en. Every screen of
// the ordinary journey — login to upload on the computer, bind to stopped on the phone, with the offline banner,
// 继续考试 and the refused bind code — is checked where the as-a-person journey reaches it (as-a-person.spec.ts);
// walking the journey twice cost CI minutes. Here: the one screen that journey does not reach, a proctor-ended
// exam (item 9), in a session without a proof camera (item 5: no proof-video note). Pictures: a11y-*.png.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { launch } from '../helpers/browser.ts';
import { attemptIdOf, login, passDeviceCheck, readAllDocuments, SHOTS, staffApi, VIEWPORT } from '../helpers/candidate.ts';
import { startPhoneServer } from '../helpers/phone-fixture.ts';
import { axeSerious, type AxeFinding } from '../helpers/person.ts';
import { ROOT, type Demo, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let plain: Demo;
let browser: Browser;
const found: AxeFinding[] = [];

test.beforeAll(async () => {
  server = await startPhoneServer({});
  plain = server.seedDemo({ startsIn: 900, duration: 600, candidates: 1, face: false, proof: false });
  browser = await launch();
});
test.afterAll(async () => {
  fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
  fs.writeFileSync(path.join(ROOT, 'test-results/axe-findings-ended.json'), JSON.stringify(found, null, 1));
  await browser?.close();
  await server?.stop();
});

/** axe in zh-CN and en, with a picture of each; the page is left in zh-CN. Under an open modal the header's
 *  language button is behind the mask, so such a screen is checked in the language it is in. */
async function check(page: Page, screen: string, o: { modal?: boolean } = {}) {
  await page.waitForTimeout(450); // antd animations settle (contrast is measured on the final colours)
  for (const lang of o.modal ? ['zh'] : ['zh', 'en']) {
    found.push(...(await axeSerious(page, screen)));
    await page.screenshot({ path: path.join(SHOTS, `a11y-${screen}-${lang}.png`) });
    if (o.modal) break;
    await page.getByRole('button', { name: 'language' }).first().click();
    await page.waitForTimeout(300);
  }
}

test('an exam a proctor ended: said plainly, 开始答题 not ticked; no proof-video note without a proof camera', async () => {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN', baseURL: server.baseUrl });
  const page = await context.newPage();
  const c = plain.candidates[0]!;
  await login(page, c);
  await passDeviceCheck(page);
  await readAllDocuments(page);
  await page.getByRole('button', { name: '进入考试' }).click();
  await expect(page.getByRole('button', { name: '进入待考' })).toBeVisible();
  const staff = await staffApi(server.baseUrl, plain.admin);
  const r = await staff.post(`/api/attempts/${await attemptIdOf(staff, plain.sessionId, c.ticket)}/end`, { data: { reason: '考生离开座位' } });
  expect(r.ok(), await r.text()).toBeTruthy();
  await expect(page.getByTestId('ended-by-staff')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('ended-by-staff')).toHaveAttribute('role', 'alert');
  // The 开始答题 step shows as failed, not finished.
  await expect(page.locator('.ant-steps-item').nth(6)).toHaveClass(/ant-steps-item-error/);
  await expect(page.locator('.ant-steps-item').nth(6)).not.toHaveClass(/ant-steps-item-finish/);
  await expect(page.getByTestId('upload-phone')).toHaveCount(0);
  // Neither the old note (如使用手机佐证，请手动停止手机端录制…) nor the new one: this session has no proof camera.
  await expect(page.getByText(/手机端录制|停止录制/)).toHaveCount(0);
  await check(page, 'ended-by-staff');
  expect(
    found.filter((f) => f.screen === 'ended-by-staff'),
    JSON.stringify(found, null, 1),
  ).toEqual([]);
});
