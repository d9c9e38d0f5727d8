// Waits on the thing a spec is waiting for, instead of fixed sleeps (a sleep is either too short on a busy
// machine or wasted time on an idle one).
import { errors, type Page } from '@playwright/test';

/**
 * Every finite animation on the page has finished (antd's modal/drawer/message motions, colour transitions), so a
 * screenshot shows the screen's real state. Endless ones (a spinner, a pulsing badge) are not waited for.
 */
export async function animationsDone(page: Page, timeoutMs = 5_000): Promise<void> {
  await page
    .waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity), undefined, { timeout: timeoutMs, polling: 'raf' })
    .catch((e) => {
      // A live microphone meter restarts its width transition at every level change, so an exam screen never has
      // "no running animation": after the wait the picture is taken as it is, rather than failing the journey.
      if (!(e instanceof errors.TimeoutError)) throw e;
    });
}
