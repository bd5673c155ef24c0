/**
 * The theme toggle: the visible button switches `<html data-theme>` — in place once
 * hydrated, through a form post and redirect without JavaScript — and the choice survives
 * a reload.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import {
  LOCALES,
  currentPath,
  gotoHydrated,
  onlyHydrated,
  onlyWithoutJs,
  waitForHydration,
} from './helpers';

type ThemeName = 'dark' | 'light';

/** The one toggle button shown, and the theme it switches to. */
async function visibleToggle(page: Page): Promise<{ button: Locator; theme: ThemeName }> {
  const visible = page.locator('form.theme-toggle button:visible');
  await expect(visible, 'exactly one theme button is shown').toHaveCount(1);
  const classes = (await visible.getAttribute('class')) ?? '';
  const theme: ThemeName = /\bto-dark\b/.test(classes)
    ? 'dark'
    : /\bto-light\b/.test(classes)
      ? 'light'
      : (() => {
          throw new Error(`the visible theme button has neither to-dark nor to-light: "${classes}"`);
        })();
  return { button: visible, theme };
}

/** Reloads the page and checks the server itself rendered `theme` (so nothing flashes). */
async function reloadExpecting(page: Page, theme: ThemeName): Promise<void> {
  const response = await page.reload();
  expect(response?.status()).toBe(200);
  expect(await response!.text(), 'the server renders the chosen theme').toMatch(
    new RegExp(`<html\\b[^>]*\\bdata-theme="${theme}"`),
  );
  await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
}

for (const locale of LOCALES) {
  test.describe(`theme toggle on ${locale.home}`, () => {
    test('both buttons are there', async ({ page }) => {
      await page.goto(locale.home);
      const form = page.locator('form.theme-toggle');
      await expect(form).toHaveCount(1);
      await expect(form.locator('button.to-dark')).toHaveCount(1);
      await expect(form.locator('button.to-light')).toHaveCount(1);
      // With no choice made (and a light system theme), dark is what is offered.
      await expect(page.locator('html')).not.toHaveAttribute('data-theme', 'dark');
      expect((await visibleToggle(page)).theme).toBe('dark');
    });

    test('switches in place once hydrated, and the choice persists', async ({ page }) => {
      onlyHydrated('the in-place switch is done by the WebAssembly');
      const posts: string[] = [];
      page.on('request', (request) => {
        if (request.method() === 'POST') posts.push(request.url());
      });

      await gotoHydrated(page, locale.home);
      for (const round of [1, 2]) {
        const { button, theme } = await visibleToggle(page);
        // A marker that a reload or navigation would wipe out.
        await page.evaluate(() => ((window as unknown as { e2eMarker?: boolean }).e2eMarker = true));
        await button.click();
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        expect(
          await page.evaluate(() => (window as unknown as { e2eMarker?: boolean }).e2eMarker),
          `round ${round}: switched without reloading the page`,
        ).toBe(true);
        expect(posts, 'no form was posted').toEqual([]);
        expect(currentPath(page)).toBe(locale.home);

        await reloadExpecting(page, theme);
        await waitForHydration(page);
        // The toggle now offers the other theme.
        expect((await visibleToggle(page)).theme).not.toBe(theme);
      }
    });

    test('switches through the form without JavaScript, and the choice persists', async ({
      page,
    }) => {
      onlyWithoutJs('once hydrated the switch happens in place');
      const first = await page.goto(locale.home);
      expect(first?.status()).toBe(200);
      for (const round of [1, 2]) {
        const { button, theme } = await visibleToggle(page);
        const posted = page.waitForResponse((response) => response.request().method() === 'POST');
        await button.click();
        const response = await posted;
        expect(response.status(), `round ${round}: the form post redirects`).toBeGreaterThanOrEqual(300);
        expect(response.status()).toBeLessThan(400);
        await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
        expect(currentPath(page), 'back on the page the form was on').toBe(locale.home);

        await reloadExpecting(page, theme);
        // The toggle now offers the other theme.
        expect((await visibleToggle(page)).theme).not.toBe(theme);
      }
    });
  });
}
