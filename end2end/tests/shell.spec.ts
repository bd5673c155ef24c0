import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { collectAppProblems, signUpWithProvider, uniquePerson } from './accounts-helpers';
import { isHydratedProject } from './helpers';

/**
 * The frame of every page, everywhere: at phone and desktop widths, in both languages,
 * signed out and signed in, no page scrolls sideways, axe-core finds nothing serious or
 * critical, and no link leads to a page that does not exist. The header knows who is
 * signed in and what they can spend.
 */

const SIZES = [
  { name: 'phone', width: 360, height: 740 },
  { name: 'desktop', width: 1280, height: 800 },
] as const;

/** Every page a visitor can open (the last one answers 404 on purpose). */
const PUBLIC_PAGES = [
  '/',
  '/pricing',
  '/workbench',
  '/privacy',
  '/terms',
  '/cookies',
  '/legal/subprocessors',
  '/legal/privacy/versions',
  '/sign-in',
  '/sign-up',
  '/forgot-password',
  '/privacy/requests',
  '/support',
];

/** The pages of a signed-in person, beside the public ones. */
const ACCOUNT_PAGES = [
  '/dashboard',
  '/settings/profile',
  '/settings/security',
  '/settings/privacy',
  '/settings/billing',
  '/settings/support',
];

/** Pages that send a signed-in person elsewhere (they are checked signed out). */
const ENTRY_PAGES = new Set(['/sign-in', '/sign-up']);

function inLocale(prefix: string, path: string): string {
  if (!prefix) return path;
  return path === '/' ? `${prefix}/` : `${prefix}${path}`;
}

interface Finding {
  page: string;
  problem: string;
}

async function checkPage(page: Page, path: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  const response = await page.goto(path);
  const status = response?.status() ?? 0;
  if (status !== 200) findings.push({ page: path, problem: `status ${status}` });
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
  }));
  if (scroll > inner) findings.push({ page: path, problem: `${scroll} px wide on a ${inner} px screen` });
  const axe = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  for (const violation of axe.violations) {
    if (violation.impact !== 'serious' && violation.impact !== 'critical') continue;
    const targets = violation.nodes.map((node) => node.target.join(' ')).slice(0, 3).join(', ');
    findings.push({ page: path, problem: `axe ${violation.impact}: ${violation.id} at ${targets}` });
  }
  return findings;
}

/** The same-origin links of the page, as paths with their query. */
async function linksOf(page: Page): Promise<string[]> {
  const hrefs = await page.locator('a[href]').evaluateAll((anchors) =>
    anchors.map((a) => (a as HTMLAnchorElement).href),
  );
  const origin = new URL(page.url()).origin;
  return hrefs
    .map((href) => new URL(href))
    .filter((url) => url.origin === origin)
    .map((url) => url.pathname + url.search);
}

/**
 * The page to measure in. Hydrated: the test's own. Without JavaScript, axe and the width
 * check cannot run in a page that runs no script; they run instead in a page of the same
 * person whose scripts run but where the app's own (its bundle) is refused, so what they
 * see is the server's HTML as a browser without JavaScript shows it.
 */
async function probeFor(browser: Browser, page: Page, context: BrowserContext): Promise<Page> {
  if (isHydratedProject()) return page;
  const use = test.info().project.use;
  const probe = await browser.newContext({
    baseURL: use.baseURL,
    locale: use.locale,
    colorScheme: use.colorScheme,
    viewport: page.viewportSize(),
    javaScriptEnabled: true,
    storageState: await context.storageState(),
  });
  await probe.route(/\/pkg\/.*\.(js|wasm)$/, (route) => route.abort());
  return probe.newPage();
}

for (const size of SIZES) {
  for (const signedIn of [false, true]) {
    const who = signedIn ? 'signed in' : 'signed out';
    test(`every page fits a ${size.name}, passes axe and links nowhere missing (${who})`, async ({
      page,
      context,
      browser,
    }) => {
      test.setTimeout(300_000);
      await page.setViewportSize({ width: size.width, height: size.height });
      const problems = collectAppProblems(page);
      if (signedIn) await signUpWithProvider(page, context, uniquePerson(`shell-${size.name}`));
      const probe = await probeFor(browser, page, context);
      const paths = signedIn
        ? [...PUBLIC_PAGES.filter((p) => !ENTRY_PAGES.has(p)), ...ACCOUNT_PAGES]
        : PUBLIC_PAGES;
      const findings: Finding[] = [];
      const links = new Set<string>();
      for (const prefix of ['', '/zh-CN']) {
        for (const path of paths) {
          const url = inLocale(prefix, path);
          findings.push(...(await checkPage(probe, url)));
          for (const link of await linksOf(probe)) links.add(link);
        }
      }
      // Every link of those pages leads somewhere (following redirects, as a browser does).
      for (const link of [...links].sort()) {
        const answer = await probe.request.get(link, { maxRedirects: 5 });
        if (answer.status() === 404 || answer.status() >= 500) {
          findings.push({ page: link, problem: `linked, answers ${answer.status()}` });
        }
      }
      expect(findings).toEqual([]);
      expect(problems).toEqual([]);
      if (probe !== page) await probe.context().close();
    });
  }
}

test('the header shows who is signed in and their credits, and follows a purchase', async ({
  page,
  context,
}) => {
  const problems = collectAppProblems(page);
  await page.goto('/pricing');
  const header = page.locator('header.site-header');
  await expect(header.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expect(header.getByRole('link', { name: 'Try it free' })).toBeVisible();

  const person = uniquePerson('header');
  await signUpWithProvider(page, context, person);
  await page.goto('/pricing');
  const menu = page.getByTestId('account-menu');
  await expect(menu).toBeVisible();
  await expect(header.getByRole('link', { name: 'Sign in' })).toHaveCount(0);
  const balance = page.getByTestId('header-balance');
  const before = Number((await balance.innerText()).replace(/\D/g, ''));
  expect(before).toBeGreaterThanOrEqual(0);

  // The menu opens from the keyboard and holds the person and their pages.
  if (isHydratedProject()) {
    await expect(menu).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });
  }
  await menu.locator('summary').focus();
  await page.keyboard.press('Enter');
  const panel = menu.locator('.account-panel');
  await expect(panel).toBeVisible();
  await expect(panel).toContainText(person.name);
  await expect(panel).toContainText(person.email);
  for (const name of ['Dashboard', 'Billing', 'Settings']) {
    await expect(panel.getByRole('link', { name, exact: true })).toBeVisible();
  }
  await expect(panel.getByRole('link', { name: 'Admin' })).toHaveCount(0);
  if (isHydratedProject()) {
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
    await expect(menu.locator('summary')).toBeFocused();
  }

  // A pack of 100 credits through the local checkout: the header follows.
  await page.goto('/pricing');
  await page.getByRole('button', { name: 'Buy' }).first().click();
  await expect(page).toHaveURL(/\/checkout\/local\/BN-/);
  await page.getByRole('button', { name: 'Pay', exact: true }).click();
  await expect(page).toHaveURL(/\/checkout\/success/);
  await page.goto('/pricing');
  await expect(page.getByTestId('header-balance')).toHaveText(`${before + 100} credits`);

  // Sign out from the menu: the header is a visitor's again.
  await menu.locator('summary').click();
  await menu.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.locator('header.site-header').getByRole('link', { name: 'Sign in' })).toBeVisible();
  expect(problems).toEqual([]);
});

test('on a phone the menu button opens the navigation, with or without JavaScript', async ({
  page,
}) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto('/pricing');
  const primary = page.locator('header .primary-nav');
  await expect(primary).toBeHidden();
  const menu = page.locator('header details.phone-menu');
  const button = menu.getByRole('button', { name: 'Menu' }).or(menu.locator('summary'));
  await expect(button.first()).toBeVisible();
  await button.first().click();
  const workbench = menu.getByRole('link', { name: 'Workbench' });
  await expect(workbench).toBeVisible();
  await workbench.click();
  await expect(page).toHaveURL(/\/workbench$/);
  // The workbench's Generate button stays on screen while the form scrolls under it.
  const generate = page.locator('#submit-generation');
  await expect(generate).toBeInViewport();
  await page.getByLabel('Prompt', { exact: true }).scrollIntoViewIfNeeded();
  await page.mouse.wheel(0, 400);
  await expect(generate).toBeInViewport();
});

test('on a phone the cookie banner takes at most a quarter of the first screen', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  for (const path of ['/', '/zh-CN/']) {
    await page.goto(path);
    const banner = page.getByTestId('consent-banner');
    await expect(banner).toBeVisible();
    const box = await banner.boundingBox();
    expect(box!.height, `banner height on ${path}`).toBeLessThanOrEqual(740 / 4);
    for (const name of [/reject all|全部拒绝/i, /accept all|全部接受/i]) {
      await expect(banner.getByRole('button', { name })).toBeVisible();
    }
    await expect(banner.getByText(/customize|自定义/i)).toBeVisible();
  }
});
