/**
 * Consent: the banner asks on a first visit; "Reject all" means no analytics cookie and no
 * analytics event stored; "Accept all" means both; a browser sending the Global Privacy
 * Control signal is treated as having rejected, whatever it stored before. What was stored
 * is read from the server's own database.
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { waitForHydration, isHydratedProject } from './helpers';

const run = promisify(execFile);

/** Analytics events the server stored for the browser with first-party id `visitor`. */
async function storedEvents(visitor: string): Promise<number> {
  const dataDir = process.env.E2E_DATA_DIR;
  test.skip(!dataDir, 'needs E2E_DATA_DIR (the data of the server under test): run scripts/test');
  expect(visitor).toMatch(/^[0-9a-f-]+$/);
  const { stdout } = await run(
    'sqlite3',
    [
      '-readonly',
      `${dataDir}/banana.db`,
      `SELECT COUNT(*) FROM analytics_events WHERE visitor_id = '${visitor}'`,
    ],
    { timeout: 10_000 },
  );
  return Number(stdout.trim());
}

async function cookie(context: BrowserContext, name: string) {
  return (await context.cookies()).find((c) => c.name === name);
}

/** The visitor id in the consent cookie (`<version>.<flags>.<id>`). */
async function consentVisitor(context: BrowserContext): Promise<string> {
  const consent = await cookie(context, 'consent');
  expect(consent, 'the choice is remembered in the consent cookie').toBeTruthy();
  const parts = consent!.value.split('.');
  expect(parts).toHaveLength(3);
  return parts[2];
}

/** Opens `path` (once hydrated, in the hydrated project) and checks the banner asks. */
async function openWithBanner(page: Page, path: string): Promise<void> {
  await page.goto(path);
  if (isHydratedProject()) {
    // The landing page's FAQ tells when the WebAssembly has taken over.
    await page.goto('/');
    await waitForHydration(page);
    if (path !== '/') await page.goto(path);
  }
  await expect(page.getByTestId('consent-banner')).toBeVisible();
}

/** The cookies a first visit may set: essential ones only. */
async function expectOnlyEssentialCookies(context: BrowserContext): Promise<void> {
  const names = (await context.cookies()).map((c) => c.name);
  expect(names).not.toContain('bn_aid');
  expect(names).not.toContain('bn_utm');
}

test('nothing that needs consent runs before a choice, and the buttons weigh the same', async ({
  page,
  context,
}) => {
  await openWithBanner(page, '/pricing?utm_source=newsletter');
  await page.goto('/');
  await expectOnlyEssentialCookies(context);
  const reject = page.getByRole('button', { name: 'Reject all' });
  const accept = page.getByRole('button', { name: 'Accept all' });
  await expect(reject).toBeVisible();
  await expect(accept).toBeVisible();
  expect(await reject.getAttribute('class')).toBe(await accept.getAttribute('class'));
});

test('Reject all: no analytics cookie, no analytics event', async ({ page, context }) => {
  await openWithBanner(page, '/pricing');
  await page.getByRole('button', { name: 'Reject all' }).click();
  await expect(page).toHaveURL(/\/pricing$/);
  await expect(page.getByTestId('consent-banner')).toHaveCount(0);
  const visitor = await consentVisitor(context);
  for (const path of ['/', '/pricing', '/workbench']) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(200);
  }
  await expectOnlyEssentialCookies(context);
  expect(await storedEvents(visitor)).toBe(0);
});

test('Accept all: the analytics cookie is set and page views are stored', async ({
  page,
  context,
}) => {
  await openWithBanner(page, '/pricing');
  await page.getByRole('button', { name: 'Accept all' }).click();
  await expect(page.getByTestId('consent-banner')).toHaveCount(0);
  const visitor = await consentVisitor(context);
  await page.goto('/?utm_source=spring');
  await page.goto('/pricing');
  const analytics = await cookie(context, 'bn_aid');
  expect(analytics?.value).toBe(visitor);
  expect((await cookie(context, 'bn_utm'))?.value).toBe('spring..');
  await expect.poll(() => storedEvents(visitor)).toBeGreaterThanOrEqual(2);
});

test('Customize: analytics only', async ({ page, context }) => {
  await openWithBanner(page, '/');
  await page.getByText('Customize').click();
  await page.getByRole('checkbox', { name: /^Analytics/ }).check();
  await page.getByRole('button', { name: 'Save my choices' }).click();
  await expect(page.getByTestId('consent-banner')).toHaveCount(0);
  await page.goto('/?utm_source=spring');
  expect(await cookie(context, 'bn_aid')).toBeTruthy();
  expect(await cookie(context, 'bn_utm'), 'marketing was not chosen').toBeFalsy();
});

test.describe('with the Global Privacy Control signal', () => {
  test.use({ extraHTTPHeaders: { 'Sec-GPC': '1' } });

  test('is treated as Reject all, even over an earlier Accept', async ({ page, context }) => {
    // An earlier "accept all" stored in this browser…
    const visitor = '0193a000-0000-7000-8000-00000000e2e0';
    const base = new URL(test.info().project.use.baseURL ?? 'http://127.0.0.1:3100');
    await context.addCookies([
      { name: 'consent', value: `2026-11-23.11.${visitor}`, url: base.origin },
      { name: 'bn_aid', value: visitor, url: base.origin },
    ]);
    // …counts for nothing while the signal is on: no banner, no events, the cookie goes.
    for (const path of ['/', '/pricing?utm_source=x']) {
      const response = await page.goto(path);
      expect(response?.status()).toBe(200);
      await expect(page.getByTestId('consent-banner')).toHaveCount(0);
    }
    await expectOnlyEssentialCookies(context);
    expect(await storedEvents(visitor)).toBe(0);
  });
});
