// 求助 from the proctor's side: a candidate (driven through the API, as their browser would) asks for help;
// the proctor logs in at /proctor, sees the thread with an unread badge, answers with a quick reply, and a
// second candidate message arrives live (socket.io) without reloading.
import { test, expect } from '@playwright/test';
import path from 'node:path';
import { ROOT, type Demo } from '../helpers/server.ts';
import { sharedStaffPage } from '../helpers/staff-page.ts';

// E2E_WEB_DIST: point at a development build (readable React errors) while debugging.
const s = sharedStaffPage({ startsIn: 600, duration: 600, candidates: 2 }, process.env.E2E_WEB_DIST ? { WEB_DIST: process.env.E2E_WEB_DIST } : {});

/** A candidate's API session (cookie jar of one), logged in the way the candidate app does. */
async function candidateApi(c: Demo['candidates'][number]) {
  const res = await fetch(`${s.server.baseUrl}/api/auth/candidate-login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ idNumber: c.idNumber, ticket: c.ticket, clientId: 'e2e-help-client-1' }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  return async <T>(method: string, url: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${s.server.baseUrl}${url}`, { method, headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    expect(r.ok, `${method} ${url}: ${r.status}`).toBe(true);
    return (await r.json()) as T;
  };
}

test('proctor answers a help request and receives the next one live', async () => {
  const c = s.demo.candidates[0]!;
  const candidate = await candidateApi(c);
  await candidate('POST', '/api/attempt/help', { body: '老师您好，我的麦克风没有声音。' });

  await s.page.goto(`${s.server.baseUrl}/proctor/help`);
  await expect(s.page).toHaveURL(/\/proctor\/login$/);
  await s.page.getByLabel('用户名').fill(s.demo.proctor.username);
  await s.page.getByLabel('密码').fill(s.demo.proctor.password);
  await s.page.getByRole('button', { name: /登\s*录/ }).click();

  const thread = s.page.getByRole('button', { name: new RegExp(c.name) });
  await expect(thread).toContainText('我的麦克风没有声音');
  await expect(thread.locator('.ant-badge-count')).toHaveText('1');
  await expect(s.page.getByText('实时连接中')).toBeVisible();
  await s.page.screenshot({ path: path.join(ROOT, 'e2e/screenshots/help-proctor-inbox.png') });

  await thread.click();
  await expect(s.page.getByRole('log')).toContainText('我的麦克风没有声音');
  await expect(thread.locator('.ant-badge-count')).toHaveCount(0);
  await s.page.getByRole('button', { name: '已收到，技术人员马上联系您。' }).click();
  await expect(s.page.getByRole('textbox', { name: '回复' })).toHaveValue('已收到，技术人员马上联系您。');
  await s.page.getByRole('textbox', { name: '回复' }).press('Enter');
  await expect(s.page.getByRole('log')).toContainText('已收到，技术人员马上联系您。');
  await expect(s.page.getByRole('textbox', { name: '回复' })).toHaveValue('');

  const seenByCandidate = await candidate<Array<{ from: string; body: string }>>('GET', '/api/attempt/help');
  expect(seenByCandidate.map((m) => m.from)).toEqual(['candidate', 'staff']);
  expect(seenByCandidate[1]!.body).toBe('已收到，技术人员马上联系您。');

  // Live: the session is being watched (learnt from the thread), so no reload and no 15 s poll is needed.
  await candidate('POST', '/api/attempt/help', { body: '现在可以了，谢谢。' });
  await expect(s.page.getByRole('log')).toContainText('现在可以了，谢谢。', { timeout: 5_000 });
  await s.page.screenshot({ path: path.join(ROOT, 'e2e/screenshots/help-proctor-thread.png') });
});
