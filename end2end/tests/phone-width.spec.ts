import { expect, test } from '@playwright/test';

// On a 360 px phone no page is wider than the screen: nothing scrolls sideways.
const pages = ['/', '/workbench', '/pricing', '/privacy', '/sign-in', '/zh-CN/', '/zh-CN/workbench', '/zh-CN/pricing'];

test.use({ viewport: { width: 360, height: 780 } });

for (const path of pages) {
  test(`${path} fits a 360 px screen`, async ({ page }) => {
    await page.goto(path);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(360);
  });
}
