/**
 * Languages: `<html lang>`, canonical and hreflang links, the language switcher, the
 * `lang` cookie that remembers a choice, and negotiation from Accept-Language.
 */
import { expect, test, type Page } from '@playwright/test';
import { EN, LOCALES, ZH_CN, currentPath } from './helpers';

/** The href of the single `<link>` matching `selector` in the head, checked to be absolute. */
async function absoluteHref(page: Page, selector: string): Promise<URL> {
  const link = page.locator(`head ${selector}`);
  await expect(link, `exactly one ${selector}`).toHaveCount(1);
  const href = await link.getAttribute('href');
  expect(href, `${selector} has an href`).toBeTruthy();
  expect(href!, `${selector} is absolute`).toMatch(/^https?:\/\/[^/]+\//);
  return new URL(href!);
}

for (const locale of LOCALES) {
  test(`${locale.home} declares its language, canonical URL and alternates`, async ({ page }) => {
    await page.goto(locale.home);
    await expect(page.locator('html')).toHaveAttribute('lang', locale.tag);

    const canonical = await absoluteHref(page, 'link[rel="canonical"]');
    expect(canonical.pathname).toBe(locale.home);

    const en = await absoluteHref(page, 'link[rel="alternate"][hreflang="en"]');
    const zh = await absoluteHref(page, 'link[rel="alternate"][hreflang="zh-CN"]');
    const fallback = await absoluteHref(page, 'link[rel="alternate"][hreflang="x-default"]');
    expect(en.pathname).toBe('/');
    expect(zh.pathname).toBe('/zh-CN/');
    expect(fallback.pathname).toBe('/');
    // All on the one public origin, with nothing after the path.
    for (const url of [en, zh, fallback]) {
      expect(url.origin).toBe(canonical.origin);
      expect(url.search + url.hash).toBe('');
    }
    expect(canonical.search + canonical.hash).toBe('');
  });
}

test('the switcher links to the current page in every language', async ({ page }) => {
  await page.goto('/');
  const switcher = page.locator('nav.lang-switcher');
  await expect(switcher.locator('a[hreflang="zh-CN"]')).toHaveAttribute('href', '/lang/zh-CN?to=/');
  await expect(switcher.locator('a[hreflang="en"]')).toHaveAttribute('href', '/lang/en?to=/');

  await page.goto('/zh-CN/');
  await expect(switcher.locator('a[hreflang="zh-CN"]')).toHaveAttribute('href', '/lang/zh-CN?to=/');
  await expect(switcher.locator('a[hreflang="en"]')).toHaveAttribute('href', '/lang/en?to=/');
});

test('switching to Chinese lands on the Chinese page and is remembered', async ({
  page,
  context,
}) => {
  await page.goto('/');
  await page.locator('nav.lang-switcher a[hreflang="zh-CN"]').click();
  await expect(page).toHaveURL((url) => url.pathname === '/zh-CN/' && url.search === '');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('link', { name: ZH_CN.cta, exact: true }).first()).toBeVisible();

  const cookie = (await context.cookies()).find((c) => c.name === 'lang');
  expect(cookie, 'the choice is kept in the `lang` cookie').toBeDefined();
  expect(cookie!.value.toLowerCase()).toBe('zh-cn');

  // A later visit to the English address goes to the Chinese page.
  await page.goto('/');
  expect(currentPath(page)).toBe('/zh-CN/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
});

test('switching back to English from the Chinese page lands on /', async ({ page }) => {
  await page.goto('/zh-CN/');
  await page.locator('nav.lang-switcher a[hreflang="en"]').click();
  await expect(page).toHaveURL((url) => url.pathname === '/' && url.search === '');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('link', { name: EN.cta, exact: true }).first()).toBeVisible();

  // The choice holds on the next visit too.
  await page.goto('/');
  expect(currentPath(page)).toBe('/');
});

test.describe('with a Chinese browser (Accept-Language: zh-CN)', () => {
  test.use({ locale: 'zh-CN' });

  test('/ leads to /zh-CN/', async ({ page }) => {
    await page.goto('/');
    expect(currentPath(page)).toBe('/zh-CN/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  });

  test('a chosen English wins over the browser language', async ({ page }) => {
    await page.goto('/zh-CN/');
    await page.locator('nav.lang-switcher a[hreflang="en"]').click();
    await expect(page).toHaveURL((url) => url.pathname === '/');
    await page.goto('/');
    expect(currentPath(page)).toBe('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  });
});

test.describe('with an English browser (Accept-Language: en-US)', () => {
  test.use({ locale: 'en-US' });

  test('/ stays English', async ({ page }) => {
    const response = await page.goto('/');
    expect(response?.status()).toBe(200);
    expect(currentPath(page)).toBe('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  });
});
