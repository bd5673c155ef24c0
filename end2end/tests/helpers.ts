/**
 * Shared facts and helpers of the end-to-end suite. Not a spec: Playwright only runs
 * `*.spec.ts` files.
 */
import { expect, test, type Page, type Response } from '@playwright/test';

/** What differs between the two locales of the site. */
export interface LocaleCase {
  /** The BCP 47 tag, as in `<html lang>`, hreflang and the path prefix. */
  tag: 'en' | 'zh-CN';
  /** The landing page of the locale. */
  home: string;
  /** The workbench in the locale; the hero's call to action leads there. */
  workbench: string;
  /** The text of the hero's call to action. */
  cta: string;
  /** The heading of the 404 page. */
  notFound: string;
  /** A path that does not exist in the locale. */
  missing: string;
}

export const EN: LocaleCase = {
  tag: 'en',
  home: '/',
  workbench: '/workbench',
  cta: 'Open the workbench',
  notFound: 'We couldn’t find that page',
  missing: '/no/such/page',
};

export const ZH_CN: LocaleCase = {
  tag: 'zh-CN',
  home: '/zh-CN/',
  workbench: '/zh-CN/workbench',
  cta: '打开工作台',
  notFound: '找不到这个页面',
  missing: '/zh-CN/nope',
};

export const LOCALES: readonly LocaleCase[] = [EN, ZH_CN];

/** Whether the running project executes the page's JavaScript (and so its WebAssembly). */
export function isHydratedProject(): boolean {
  return test.info().project.name === 'hydrated';
}

/** Skips the current test unless the page's JavaScript runs. */
export function onlyHydrated(reason: string): void {
  test.skip(!isHydratedProject(), `needs JavaScript: ${reason}`);
}

/** Skips the current test when the page's JavaScript runs. */
export function onlyWithoutJs(reason: string): void {
  test.skip(isHydratedProject(), `without JavaScript only: ${reason}`);
}

/** The path and query of the page's current URL (`/zh-CN/`), without origin. */
export function currentPath(page: Page): string {
  const url = new URL(page.url());
  return url.pathname + url.search;
}

/** Whether a response is the WebAssembly bundle. */
export function isWasm(response: Response): boolean {
  return new URL(response.url()).pathname.endsWith('.wasm');
}

/**
 * Records every console error and warning and every uncaught page error from now on.
 * The returned array fills as they happen; each entry says what, and where from.
 */
export function collectConsoleProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    const type = message.type();
    if (type === 'error' || type === 'warning') {
      const { url, lineNumber } = message.location();
      const where = url ? ` (at ${url}:${lineNumber})` : '';
      problems.push(`console.${type}: ${message.text()}${where}`);
    }
  });
  page.on('pageerror', (error) => {
    problems.push(`pageerror: ${error.message}${error.stack ? `\n${error.stack}` : ''}`);
  });
  return problems;
}

/**
 * Goes to `path` and waits until the page is hydrated: the WebAssembly bundle answered 200
 * and the FAQ has become an exclusive accordion (only the hydrated app closes the first
 * answer when another opens). Leaves the second FAQ item open and the others closed.
 * Only for pages with the FAQ (the landing pages). Returns the navigation's response.
 */
export async function gotoHydrated(page: Page, path: string): Promise<Response | null> {
  const wasm = page.waitForResponse(isWasm);
  const response = await page.goto(path);
  expect((await wasm).status(), 'the WebAssembly bundle loads').toBe(200);
  await waitForHydration(page);
  return response;
}

/**
 * Waits until the FAQ behaves as an exclusive accordion, which only the hydrated app does:
 * opens the second item and checks that the first closes, retrying until it does.
 */
export async function waitForHydration(page: Page): Promise<void> {
  const items = page.locator('div.faq details.faq-item');
  const first = items.nth(0);
  const second = items.nth(1);
  await expect(async () => {
    // Before hydration a click only toggles natively, so the second item may be open
    // from an earlier round: close it first, so the next click opens it.
    if (await second.evaluate((details: HTMLDetailsElement) => details.open)) {
      await second.locator('summary').click();
    }
    await second.locator('summary').click();
    await expect(second).toHaveAttribute('open', { timeout: 1_000 });
    await expect(first).not.toHaveAttribute('open', { timeout: 1_000 });
  }, 'the FAQ becomes an exclusive accordion once hydrated').toPass({ timeout: 30_000 });
}
