/**
 * The landing page in both locales: its structure, the gallery, the FAQ accordion, and
 * (hydrated) that the WebAssembly loads and the page runs without a console error.
 */
import { expect, test } from '@playwright/test';
import {
  LOCALES,
  collectConsoleProblems,
  gotoHydrated,
  isHydratedProject,
  isWasm,
  onlyHydrated,
  onlyWithoutJs,
} from './helpers';

for (const locale of LOCALES) {
  test.describe(`landing page (${locale.tag})`, () => {
    test('has the hero, its call to action and the sections', async ({ page }) => {
      const response = await page.goto(locale.home);
      expect(response?.status()).toBe(200);
      expect(new URL(page.url()).pathname).toBe(locale.home);
      await expect(page.locator('html')).toHaveAttribute('lang', locale.tag);

      await expect(page.locator('h1#hero-title')).toHaveCount(1);
      await expect(page.locator('h1#hero-title')).toBeVisible();
      await expect(page.locator('h1#hero-title')).not.toHaveText('');

      // The hero's call to action is the first link with its text (the last section
      // repeats it).
      const cta = page.getByRole('link', { name: locale.cta, exact: true }).first();
      await expect(cta).toBeVisible();
      await expect(cta).toHaveAttribute('href', locale.workbench);

      await expect(page.locator('ul.gallery')).toBeVisible();
      await expect(page.locator('div.faq')).toBeVisible();
    });

    test('shows six gallery images that load', async ({ page }) => {
      await page.goto(locale.home);
      const images = page.locator('ul.gallery img');
      await expect(images).toHaveCount(6);
      for (const image of await images.all()) {
        // Gallery images load lazily: bring each into view first.
        await image.scrollIntoViewIfNeeded();
        await expect(image).toBeVisible();
        await expect
          .poll(
            () =>
              image.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0)),
            { message: `image ${await image.getAttribute('src')} loads` },
          )
          .toBeGreaterThan(0);
        await expect(image).toHaveAttribute('alt', /\S/);
      }
    });

    test('has six FAQ items, the first open', async ({ page }) => {
      await page.goto(locale.home);
      const items = page.locator('div.faq details.faq-item');
      await expect(items).toHaveCount(6);
      for (const item of await items.all()) {
        await expect(item.locator('summary')).toHaveCount(1);
        await expect(item.locator('summary')).not.toHaveText('');
        await expect(item.locator('.faq-answer')).toHaveCount(1);
      }
      await expect(items.nth(0)).toHaveAttribute('open');
      await expect(items.nth(0).locator('.faq-answer')).toBeVisible();
      for (let i = 1; i < 6; i++) {
        await expect(items.nth(i)).not.toHaveAttribute('open');
        await expect(items.nth(i).locator('.faq-answer')).toBeHidden();
      }
    });

    test('FAQ items open natively without JavaScript', async ({ page }) => {
      onlyWithoutJs('once hydrated the accordion is exclusive');
      await page.goto(locale.home);
      const items = page.locator('div.faq details.faq-item');
      await items.nth(2).locator('summary').click();
      await expect(items.nth(2)).toHaveAttribute('open');
      await expect(items.nth(2).locator('.faq-answer')).toBeVisible();
      // Nothing closes the first one without JavaScript.
      await expect(items.nth(0)).toHaveAttribute('open');
      await expect(items.nth(0).locator('.faq-answer')).toBeVisible();
    });

    test('FAQ is an exclusive accordion once hydrated', async ({ page }) => {
      onlyHydrated('the accordion is the hydrated app’s behaviour');
      await gotoHydrated(page, locale.home);
      const items = page.locator('div.faq details.faq-item');
      const open = page.locator('div.faq details.faq-item[open]');

      await items.nth(3).locator('summary').click();
      await expect(items.nth(3)).toHaveAttribute('open');
      await expect(items.nth(3).locator('.faq-answer')).toBeVisible();
      await expect(open).toHaveCount(1);

      await items.nth(0).locator('summary').click();
      await expect(items.nth(0)).toHaveAttribute('open');
      await expect(items.nth(0).locator('.faq-answer')).toBeVisible();
      await expect(items.nth(3)).not.toHaveAttribute('open');
      await expect(open).toHaveCount(1);
    });

    test('does not shift its layout while loading and hydrating', async ({ page }) => {
      // Record every layout shift from the first paint on, then load and (in the hydrated
      // project) hydrate the page. Images carry their size and the theme comes from the
      // server, so nothing should move.
      await page.addInitScript(() => {
        (window as unknown as { __shifts: number[] }).__shifts = [];
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) {
            if (!entry.hadRecentInput) (window as unknown as { __shifts: number[] }).__shifts.push(entry.value);
          }
        }).observe({ type: 'layout-shift', buffered: true });
      });
      const wasm = isHydratedProject() ? page.waitForResponse(isWasm) : null;
      await page.goto(locale.home);
      await page.waitForLoadState('networkidle');
      if (wasm) expect((await wasm).status()).toBe(200);
      const shifts = await page.evaluate(() => (window as unknown as { __shifts: number[] }).__shifts);
      const total = shifts.reduce((sum, value) => sum + value, 0);
      expect(total, `layout shifts: ${shifts.join(', ')}`).toBeLessThan(0.01);
    });

    test('loads the WebAssembly and hydrates without console errors', async ({ page }) => {
      onlyHydrated('the WebAssembly only runs with JavaScript');
      const problems = collectConsoleProblems(page);
      await gotoHydrated(page, locale.home);
      // Scroll through the page so lazily loaded images load too, and let the network
      // settle so late failures show up.
      await page.locator('ul.gallery').scrollIntoViewIfNeeded();
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      await page.waitForLoadState('networkidle');
      expect(
        problems,
        `console errors, warnings and page errors on ${locale.home}:\n${problems.join('\n')}`,
      ).toEqual([]);
    });
  });
}
