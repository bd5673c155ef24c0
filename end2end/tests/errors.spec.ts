/**
 * Unknown addresses: a real 404 status with a localized page, and the language switcher
 * keeps the (missing) path when changing language.
 */
import { expect, test } from '@playwright/test';
import { LOCALES, ZH_CN, currentPath } from './helpers';

for (const locale of LOCALES) {
  test(`${locale.missing} is a localized 404`, async ({ page }) => {
    const response = await page.goto(locale.missing);
    expect(response?.status()).toBe(404);
    expect(currentPath(page)).toBe(locale.missing);
    await expect(page.locator('html')).toHaveAttribute('lang', locale.tag);
    await expect(page.locator('h1#error-title')).toHaveText(locale.notFound);
    await expect(page.locator('h1#error-title')).toBeVisible();
  });
}

test('switching language on a 404 keeps the path', async ({ page }) => {
  await page.goto('/no/such/page');
  const link = page.locator('nav.lang-switcher a[hreflang="zh-CN"]');
  await expect(link).toHaveAttribute('href', '/lang/zh-CN?to=/no/such/page');

  const landed = page.waitForResponse(
    (response) => new URL(response.url()).pathname === '/zh-CN/no/such/page',
  );
  await link.click();
  expect((await landed).status()).toBe(404);
  await expect(page).toHaveURL((url) => url.pathname === '/zh-CN/no/such/page');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.locator('h1#error-title')).toHaveText(ZH_CN.notFound);
});
