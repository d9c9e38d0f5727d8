// Acting as a person would (TESTING.md "Testing as a person would"): typing at human speed with pauses, on a
// slow machine (CPU throttled through CDP), and checking the page for accessibility with axe-core.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';

/** 150–250 ms per key, as a person types an 18-digit number they read off a card. */
export async function typeLikeAPerson(field: Locator, text: string) {
  await field.click();
  await field.pressSequentially(text, { delay: 200 });
}

/** A slow laptop: every script on the page runs `rate` times slower. Survives reloads of the same page. */
export async function throttleCpu(page: Page, rate = 4) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  return cdp;
}

export interface AxeFinding {
  screen: string;
  lang: string;
  id: string;
  impact: string;
  help: string;
  nodes: number;
  target: string;
}

/**
 * Runs axe (WCAG 2.0/2.1/2.2 A and AA rules) on the page as it is now and returns the serious and critical
 * violations. The caller asserts none; the list is printed so a failure says exactly what and where.
 */
export async function axeSerious(page: Page, screen: string): Promise<AxeFinding[]> {
  const lang = await page.evaluate(() => document.documentElement.lang || 'unknown');
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      screen,
      lang,
      id: v.id,
      impact: v.impact!,
      help: v.help,
      nodes: v.nodes.length,
      target: v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join(' | '),
    }));
}

export async function expectNoSeriousAxe(page: Page, screen: string) {
  const found = await axeSerious(page, screen);
  expect(found, JSON.stringify(found, null, 1)).toEqual([]);
}
