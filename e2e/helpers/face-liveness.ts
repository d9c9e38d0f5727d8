// Face login with the liveness challenge in Chromium. The challenge (turn left / right) is random and a fake
// camera plays one file per browser process, so a test that must pass it reads the issued direction on one
// browser and continues on a second one whose camera turns that way, as the same client (same client id, so
// the server takes it as the same candidate coming back rather than a second login).
import { expect, type Browser, type Page } from '@playwright/test';
import { launch } from './browser.ts';
import { candidatePage } from './candidate.ts';
import type { FaceFixtures } from '../fixtures/faces.ts';

export type TurnSide = 'left' | 'right';
const CLIENT_KEY = 'invigil.clientId'; // packages/web/src/apps/candidate/api.ts

/** The direction the capture screen asks for now. */
export async function askedSide(page: Page): Promise<TurnSide> {
  const action = await page.getByTestId('face-challenge').getAttribute('data-action');
  expect(action, 'a head-turn challenge').toMatch(/^turn-(left|right)$/);
  return action === 'turn-left' ? 'left' : 'right';
}

/** The in-browser detector found exactly one face in the picture (the fixture's face is small: "too far"). */
export async function expectOneFace(page: Page) {
  await expect(page.getByTestId('face-hint')).toHaveAttribute('data-hint', /^(too-far|good)$/, { timeout: 45_000 });
}

export const clientIdOf = (page: Page) => page.evaluate((k) => sessionStorage.getItem(k), CLIENT_KEY);

/** A browser whose camera shows the man turning `side`, with a candidate page that is client `clientId`. */
export async function turningBrowser(fx: FaceFixtures, side: TurnSide, baseUrl: string, clientId: string): Promise<{ browser: Browser; page: Page }> {
  const browser = await launch({ videoFile: fx.turnClip[side] });
  const page = await candidatePage(browser, baseUrl);
  await page.context().addInitScript(([k, v]) => sessionStorage.setItem(k!, v!), [CLIENT_KEY, clientId]);
  return { browser, page };
}
