/**
 * The browser bundle is split by page: the landing page downloads the shell and its own code
 * only, and every other page's code arrives in chunks when that page is opened, whether by a
 * link inside the app or by loading it directly.
 */
import { expect, test, type Page } from '@playwright/test';
import { LOCALES, collectConsoleProblems, gotoHydrated, onlyHydrated } from './helpers';

/** Records the paths of every chunk (`/pkg/chunk_….wasm`) the page requests from now on. */
function recordChunks(page: Page): string[] {
  const chunks: string[] = [];
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (/^\/pkg\/chunk_\d+\.wasm$/.test(path)) {
      chunks.push(path);
    }
  });
  return chunks;
}

for (const locale of LOCALES) {
  test(`the landing page downloads no other page’s code; the workbench brings its own (${locale.tag})`, async ({
    page,
  }) => {
    onlyHydrated('bundles only load with JavaScript');
    const problems = collectConsoleProblems(page);
    const chunks = recordChunks(page);
    await gotoHydrated(page, locale.home);
    await page.waitForLoadState('networkidle');
    expect(chunks, 'chunks requested by the landing page').toEqual([]);

    // A link inside the app: the router fetches the workbench's chunks, then shows it working.
    await page.locator(`header .primary-nav a[href="${locale.workbench}"]`).click();
    await expect(page).toHaveURL(new RegExp(`${locale.workbench}$`));
    await expect(page.locator('#workbench-form')).toHaveAttribute('data-hydrated', 'true', {
      timeout: 30_000,
    });
    expect(chunks.length, 'the workbench arrived in chunks').toBeGreaterThan(0);
    expect(problems, problems.join('\n')).toEqual([]);
  });
}

for (const path of ['/workbench', '/zh-CN/workbench']) {
  test(`${path} loaded directly names its chunks for preloading, then hydrates`, async ({
    page,
  }) => {
    onlyHydrated('bundles only load with JavaScript');
    const problems = collectConsoleProblems(page);
    const chunks = recordChunks(page);
    const response = await page.goto(path);
    const html = (await response?.text()) ?? '';
    const preloaded = [
      ...html.matchAll(/<link[^>]*href="(\/pkg\/chunk_\d+\.wasm)"[^>]*>/g),
    ].map((m) => m[1]);
    await expect(page.locator('#workbench-form')).toHaveAttribute('data-hydrated', 'true', {
      timeout: 30_000,
    });
    await page.waitForLoadState('networkidle');
    expect(chunks.length, 'the workbench arrived in chunks').toBeGreaterThan(0);
    // The head names every chunk the page then needs, so the browser fetches them beside
    // the main module.
    expect(new Set(preloaded)).toEqual(new Set(chunks));
    expect(problems, problems.join('\n')).toEqual([]);
  });
}
