// Setup for the phone specs: a fresh web build, the real server (with the proof camera wired), a candidate's
// desktop browser and phones — each phone its own Chromium process with devices['Pixel 7'] at 390×844.
import path from 'node:path';
import { devices, expect, request, type APIRequestContext, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { launch, type MediaOptions } from './browser.ts';
import { ROOT, TestServer, type Demo } from './server.ts';
import { ensureWebBuild } from './web-build.ts';
import { animationsDone } from './waits.ts';
export { ensureWebBuild };

export const PHONE_VIEWPORT = { width: 390, height: 844 };
const SHOTS = path.join(ROOT, 'e2e/screenshots');

/** The real server with proof settings for the test (e.g. a short upload deadline). */
export async function startPhoneServer(env: Record<string, string>): Promise<TestServer> {
  ensureWebBuild();
  return TestServer.start(env);
}

export interface Phone {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** A phone: its own browser process (own fake camera, own storage), Pixel 7 user agent and touch, 390×844. */
export async function openPhone(baseUrl: string, media: MediaOptions = {}): Promise<Phone> {
  const browser = await launch(media);
  const context = await browser.newContext({ ...devices['Pixel 7'], viewport: PHONE_VIEWPORT, locale: 'zh-CN', baseURL: baseUrl });
  const page = await context.newPage();
  return { browser, context, page, close: () => browser.close() };
}

export async function phoneShot(page: Page, name: string) {
  await animationsDone(page); // antd animations (modal, message) have ended
  await page.screenshot({ path: path.join(SHOTS, `phone-${name}.png`) });
}

export async function desktopShot(page: Page, name: string) {
  await animationsDone(page);
  await page.screenshot({ path: path.join(SHOTS, `phone-desktop-${name}.png`) });
}

export async function staff(baseUrl: string, user: Demo['support']): Promise<APIRequestContext> {
  const ctx = await request.newContext({ baseURL: baseUrl });
  const r = await ctx.post('/api/auth/login', { data: user });
  expect(r.ok(), await r.text()).toBeTruthy();
  return ctx;
}

/** The QR code's URL as the desktop shows it right now (the code renews after each use). */
export async function qrUrl(desktop: Page, notBefore?: string): Promise<string> {
  const qr = desktop.getByTestId('proof-qr');
  if (notBefore) await expect(qr).not.toHaveAttribute('data-url', notBefore);
  const url = await qr.getAttribute('data-url');
  if (!url) throw new Error('no QR code on the desktop');
  return url;
}

/** Phone from the QR URL through consent, camera, the room scan and placing, to continuous recording. */
export async function phoneToRecording(page: Page, url: string, shots = false): Promise<{ scanStartedAt: number }> {
  await page.goto(url);
  await expect(page.getByRole('button', { name: '我已了解，同意并继续' })).toBeVisible();
  if (shots) await phoneShot(page, 'consent');
  await page.getByRole('button', { name: '我已了解，同意并继续' }).click();
  await expect(page.getByTestId('camera-allow')).toBeVisible();
  if (shots) await phoneShot(page, 'camera');
  await page.getByTestId('camera-allow').click();
  await expect(page.getByTestId('scan-start')).toBeVisible();
  if (shots) await phoneShot(page, 'scan-ready');
  const scanStartedAt = await page.evaluate(() => Date.now());
  await page.getByTestId('scan-start').click();
  await expect(page.getByTestId('rec-badge')).toBeVisible();
  if (shots) await phoneShot(page, 'scan-turning');
  await expect(page.getByTestId('scan-done')).toBeEnabled({ timeout: 30_000 });
  await page.getByTestId('scan-done').click();
  await expect(page.getByTestId('placed')).toBeVisible();
  if (shots) await phoneShot(page, 'place');
  await page.getByTestId('placed').click();
  await expect(page.getByTestId('stop')).toBeVisible();
  return { scanStartedAt };
}

/** Chunks of the proof stream the phone holds in its journal (IndexedDB, kept until the recording is done). */
async function phoneChunks(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('invigil-media');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    try {
      if (!db.objectStoreNames.contains('chunks')) return 0;
      const keys = await new Promise<IDBValidKey[]>((resolve, reject) => {
        const r = db.transaction('chunks').objectStore('chunks').getAllKeys();
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      return (keys as [string, string, number][]).filter((k) => k[1] === 'phone').length;
    } finally {
      db.close();
    }
  });
}

/**
 * Waits until the phone has recorded `chunks` more chunks of its stream (one per timeslice), counted in its own
 * journal: a fixed sleep records less than it claims when the phone's recorder runs behind on a busy machine.
 */
export async function phoneRecordsMore(page: Page, chunks: number): Promise<void> {
  const from = await phoneChunks(page);
  await expect.poll(() => phoneChunks(page), { message: `${chunks} more phone chunks recorded`, timeout: 20_000 + chunks * 9_000, intervals: [250] }).toBeGreaterThanOrEqual(from + chunks);
}
