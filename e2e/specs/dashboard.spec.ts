// The live session dashboard (#17 item 5): a scripted candidate (through the API, as their browser would) logs in,
// checks devices, enters, waits, answers, ends and uploads; the admin's 概览 in real Chromium shows each step
// within 2 s — no reload, no poll (the server pushes 'dashboard:changed'). Support's console shows the same in English.
import { test, expect, type Browser, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestServer, ROOT, type Demo } from '../helpers/server.ts';
import { launch } from '../helpers/browser.ts';

let server: TestServer;
let demo: Demo;
let browser: Browser;
const pageErrors: string[] = [];
/** A screenshot once nothing moves (a drawer sliding in) and the pointer hovers nothing. */
async function shot(page: Page, name: string) {
  await page.mouse.move(0, 0);
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  await page.screenshot({ path: path.join(ROOT, `e2e/screenshots/dashboard-${name}.png`) });
}

test.beforeAll(async () => {
  server = await TestServer.start();
  // The start 32 s away: time for the candidate to log in, enter and wait before the timekeeper starts the exam.
  demo = server.seedDemo({ startsIn: 32, duration: 600, candidates: 3 });
  browser = await launch();
});
test.afterEach(() => expect(pageErrors, pageErrors.join('\n')).toEqual([]));
test.afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function staffPage(account: { username: string; password: string }, url: string, lang: 'zh-CN' | 'en') {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: lang });
  page.on('pageerror', (e) => pageErrors.push(e.stack ?? e.message));
  if (lang === 'en') await page.addInitScript(() => localStorage.setItem('invigil.lang', 'en'));
  const login = await page.request.post(`${server.baseUrl}/api/auth/login`, { data: account });
  expect(login.ok(), await login.text()).toBe(true);
  await page.goto(`${server.baseUrl}${url}`);
  return page;
}

/** The candidate's API session, logged in the way the candidate app does. */
async function candidateApi(c: Demo['candidates'][number]) {
  const res = await fetch(`${server.baseUrl}/api/auth/candidate-login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ idNumber: c.idNumber, ticket: c.ticket, clientId: 'e2e-dashboard-client' }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  return async <T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> => {
    const raw = Buffer.isBuffer(body);
    const r = await fetch(`${server.baseUrl}${url}`, {
      method,
      headers: { cookie, ...(body && !raw ? { 'content-type': 'application/json' } : {}), ...headers },
      body: raw ? new Uint8Array(body) : body ? JSON.stringify(body) : undefined,
    });
    expect(r.ok, `${method} ${url}: ${r.status} ${r.ok ? '' : await r.text()}`).toBe(true);
    return (await r.json()) as T;
  };
}

test('the dashboard follows a candidate step by step, live', async () => {
  const admin = await staffPage(demo.admin, `/admin/sessions/${demo.sessionId}`, 'zh-CN');
  const count = (page: Page, stage: string) => page.getByTestId(`stage-${stage}`).locator('.ant-statistic-content-value');
  /** The count on screen within 2 s of the step (the push is coalesced to at most one per 500 ms). */
  const shows = async (page: Page, counts: Record<string, number>) => {
    for (const [stage, n] of Object.entries(counts)) await expect(count(page, stage), stage).toHaveText(String(n), { timeout: 2_000 });
  };
  // The page loads (at its own pace under load); 实时更新 once the server joined it to the session's pushes.
  await expect(admin.getByTestId('dashboard')).toContainText('实时更新');
  await shows(admin, { 'not-logged-in': 3, 'logged-in': 0 });

  const c = demo.candidates[0]!;
  const api = await candidateApi(c);
  await shows(admin, { 'not-logged-in': 2, 'logged-in': 1 });
  await api('POST', '/api/attempt/device-check', {
    camera: 'ok',
    microphone: 'ok',
    speaker: 'ok',
    browser: { ok: true, userAgent: 'e2e' },
    singleMonitor: true,
    storageFreeMb: 20_000,
    uploadKbps: 8_000,
  });
  const state = await api<{ attemptId: string; documents: Array<{ id: string }> }>('GET', '/api/attempt');
  for (const d of state.documents) await api('POST', `/api/attempt/documents/${d.id}/read`);
  await api('POST', '/api/attempt/enter', { singleMonitor: true, displaySurface: 'monitor' });
  await shows(admin, { 'logged-in': 0, entered: 1 });
  const ready = await api<{ status: string }>('POST', '/api/attempt/ready');
  expect(ready.status).toBe('waiting');
  await shows(admin, { entered: 0, waiting: 1 });

  // Counts are links: 待考 lists the candidate.
  await admin.getByTestId('stage-waiting').click();
  await expect(admin.getByTestId('dashboard-list')).toContainText(c.ticket);
  await expect(admin.getByTestId('dashboard-list')).toContainText('待考：1 名考生');
  await shot(admin, 'list-zh');
  await admin.keyboard.press('Escape');

  // The recordings open while answering (as the candidate app does); the timekeeper starts the exam at startsAt.
  const recs = await Promise.all(['camera', 'screen'].map((stream) => api<{ id: string }>('POST', `/api/attempts/${state.attemptId}/recordings`, { stream, mimeType: 'video/webm;codecs=vp8,opus' })));
  await expect(count(admin, 'answering')).toHaveText('1', { timeout: Math.max(2_000, demo.startsAt - Date.now() + 2_000) });
  await shows(admin, { waiting: 0 });
  const webm = sampleWebm();
  for (const r of recs)
    await api('PUT', `/api/recordings/${r.id}/segments/0`, webm, {
      'content-type': 'application/octet-stream',
      'x-segment-sha256': createHash('sha256').update(webm).digest('hex'),
      'x-segment-run': '0',
      'x-segment-recorded-at': String(Date.now()),
      'x-segment-duration-ms': '1000',
    });

  await api('POST', '/api/attempt/end');
  await shows(admin, { answering: 0, ended: 1 });
  await api('POST', `/api/recordings/${recs[0]!.id}/finalize`, { lastSeq: 0 });
  // One of two streams verified: the session's upload moves, the candidate is not 已上传 yet.
  await expect(admin.getByTestId('dashboard-upload')).toContainText('已校验视频 1 / 应有 2', { timeout: 2_000 });
  await api('POST', `/api/recordings/${recs[1]!.id}/finalize`, { lastSeq: 0 });
  await shows(admin, { ended: 0, uploaded: 1, 'not-logged-in': 2 });
  await expect(admin.getByTestId('dashboard-upload')).toContainText('已校验视频 2 / 应有 2');
  await expect(admin.getByTestId('dashboard-chart').locator('canvas')).toHaveCount(1);
  await shot(admin, 'admin-zh');

  // Support's console, in English: the same counts, the same push.
  const support = await staffPage(demo.support, `/proctor/dashboard?session=${demo.sessionId}`, 'en');
  await expect(support.getByTestId('dashboard')).toContainText('Live');
  await shows(support, { 'not-logged-in': 2, uploaded: 1 });
  await expect(support.getByTestId('dashboard')).toContainText('Recordings verified 2 / expected 2');
  await candidateApi(demo.candidates[1]!);
  await shows(support, { 'not-logged-in': 1, 'logged-in': 1 });
  await shows(admin, { 'not-logged-in': 1, 'logged-in': 1 });
  await shot(support, 'support-en');
});

/** One second of real WebM (as MediaRecorder writes it), made once by ffmpeg. */
function sampleWebm(): Buffer {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'invigil-dash-')), 'a.webm');
  execFileSync('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    '-f',
    'lavfi',
    '-i',
    'testsrc=size=160x120:rate=10',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=48000',
    '-t',
    '1',
    '-c:v',
    'libvpx',
    '-b:v',
    '100k',
    '-deadline',
    'realtime',
    '-c:a',
    'libopus',
    '-f',
    'webm',
    file,
  ]);
  const b = fs.readFileSync(file);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  return b;
}
