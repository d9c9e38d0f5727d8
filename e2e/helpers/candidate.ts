// Steps of the candidate journey for the specs, driven through the real UI the way a candidate would,
// plus staff API calls to check what the server saw.
import { expect, request, type APIRequestContext, type Browser, type Page } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './server.ts';
import { animationsDone } from './waits.ts';

export const VIEWPORT = { width: 1366, height: 768 };
export const SHOTS = path.join(ROOT, 'e2e/screenshots');

export interface CandidateLogin {
  idNumber: string;
  ticket: string;
  name: string;
}

export async function candidatePage(browser: Browser, baseUrl: string): Promise<Page> {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN', baseURL: baseUrl });
  return context.newPage();
}

export async function shot(page: Page, name: string) {
  // antd's open/close animations (modal, drawer, message) have ended: the picture shows the real screen.
  await animationsDone(page);
  await page.screenshot({ path: path.join(SHOTS, `candidate-${name}.png`) });
}

export async function login(page: Page, c: CandidateLogin) {
  await page.goto('/');
  await page.getByLabel('身份证号').fill(c.idNumber);
  await page.getByLabel('准考证号').fill(c.ticket);
  await page.getByRole('button', { name: '登录' }).click();
}

/** 设备准备: wait for camera and microphone, confirm the speaker, go on. */
export async function passDeviceCheck(page: Page, screenshot?: string) {
  await expect(page.getByTestId('check-camera')).toHaveAttribute('data-status', 'ok');
  await expect(page.getByTestId('check-microphone')).toHaveAttribute('data-status', 'ok');
  await page.getByTestId('speaker-heard').click();
  await expect(page.getByTestId('check-network')).not.toHaveAttribute('data-status', 'checking');
  if (screenshot) await shot(page, screenshot);
  await page.getByTestId('device-next').click();
}

/** 阅读考试附件: open each document and press 【已阅】. */
export async function readAllDocuments(page: Page, screenshot?: string) {
  for (const kind of ['process', 'commitment', 'rules']) {
    await page.getByTestId(`document-${kind}`).getByRole('button').click();
    await expect(page.getByTestId('document-body')).toBeVisible();
    if (screenshot && kind === 'commitment') await shot(page, screenshot);
    // Under load a click can land while antd's modal is still zooming in and be lost; marking read is idempotent.
    await expect(async () => {
      if (await page.getByTestId('document-read').isVisible()) await page.getByTestId('document-read').click({ timeout: 2_000 });
      await expect(page.getByTestId(`document-${kind}`)).toContainText('已阅读', { timeout: 2_000 });
    }).toPass({ timeout: 20_000 });
  }
  await page.getByTestId('documents-next').click();
}

/** Logs in, passes the device check, reads every document and enters the waiting room (进入考试 → 进入待考). */
export async function toWaitingRoom(page: Page, c: CandidateLogin) {
  await login(page, c);
  await passDeviceCheck(page);
  await readAllDocuments(page);
  await page.getByRole('button', { name: '进入考试' }).click();
  await page.getByRole('button', { name: '进入待考' }).click();
  await expect(page.getByTestId('waiting-room')).toBeVisible();
}

export async function staffApi(baseUrl: string, user: { username: string; password: string }): Promise<APIRequestContext> {
  const ctx = await request.newContext({ baseURL: baseUrl });
  const r = await ctx.post('/api/auth/login', { data: user });
  expect(r.ok(), await r.text()).toBeTruthy();
  return ctx;
}

export async function candidateApi(baseUrl: string, c: CandidateLogin, clientId = `api-${Math.random().toString(36).slice(2, 12)}`) {
  const ctx = await request.newContext({ baseURL: baseUrl });
  const r = await ctx.post('/api/auth/candidate-login', { data: { idNumber: c.idNumber, ticket: c.ticket, clientId } });
  return { ctx, login: r };
}

/** The attempt id of a candidate, as staff see it. */
export async function attemptIdOf(staff: APIRequestContext, sessionId: string, ticket: string): Promise<string> {
  const r = await staff.get(`/api/sessions/${sessionId}/attempts`);
  expect(r.ok(), await r.text()).toBeTruthy();
  const row = ((await r.json()) as Array<{ attemptId: string; ticket: string }>).find((a) => a.ticket === ticket);
  expect(row, `attempt for ticket ${ticket}`).toBeTruthy();
  return row!.attemptId;
}

export async function eventTypes(staff: APIRequestContext, attemptId: string): Promise<string[]> {
  const r = await staff.get(`/api/attempts/${attemptId}/events`);
  expect(r.ok(), await r.text()).toBeTruthy();
  return ((await r.json()) as Array<{ type: string }>).map((e) => e.type);
}

/** headless Chromium cannot hide a page for real: override visibilityState and dispatch (TESTING.md). */
export async function fakeVisibility(page: Page, state: 'hidden' | 'visible') {
  await page.evaluate((s) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => s });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => s === 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);
}

/**
 * A private copy of the web build for one spec's server (env WEB_DIST). Others in this tree rebuild
 * packages/web/dist while specs run; `vite build` empties it first, and a reload mid-test then gets a blank page.
 * The copy is taken only when index.html and every asset it names are present.
 */
export function snapshotWebDist(): string {
  const src = path.join(ROOT, 'packages/web/dist');
  for (let i = 0; i < 60; i++) {
    const index = path.join(src, 'index.html');
    const html = fs.existsSync(index) ? fs.readFileSync(index, 'utf8') : '';
    const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]!);
    if (html && assets.every((a) => fs.existsSync(path.join(src, a)))) {
      const dst = fs.mkdtempSync(path.join(os.tmpdir(), 'invigil-web-'));
      fs.cpSync(src, dst, { recursive: true });
      return dst;
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000); // a build is running: wait for it
  }
  throw new Error('packages/web/dist is missing or incomplete: run `npx vite build packages/web` first');
}

/** Keeps the camera tracks the page opens, so a spec can unplug one (see unplugCamera). Call before navigating. */
export async function keepCameraTracks(page: Page) {
  await page.addInitScript(() => {
    const tracks: MediaStreamTrack[] = [];
    const md = navigator.mediaDevices;
    const gum = md.getUserMedia.bind(md);
    md.getUserMedia = async (c) => {
      const s = await gum(c);
      tracks.push(...s.getVideoTracks());
      return s;
    };
    (window as unknown as { cameraTracks: MediaStreamTrack[] }).cameraTracks = tracks;
  });
}

/**
 * The camera goes away as when it is unplugged: its live track fires `ended` (what Chromium does when the device
 * disappears; a fake device cannot be removed). Returns how many tracks were ended.
 */
export function unplugCamera(page: Page): Promise<number> {
  return page.evaluate(() => {
    const live = (window as unknown as { cameraTracks: MediaStreamTrack[] }).cameraTracks.filter((t) => t.readyState === 'live');
    live.forEach((t) => t.dispatchEvent(new Event('ended')));
    return live.length;
  });
}
