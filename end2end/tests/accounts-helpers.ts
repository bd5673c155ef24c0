/**
 * Helpers of the account specs: unique people, the account forms as a person fills them
 * in, the dev outbox, a second browser, the local sign-in provider, the admin CLI, and
 * TOTP codes. Not a spec: Playwright only runs `*.spec.ts` files.
 *
 * Every account form is a plain HTML form posting to the server, so each helper works the
 * same in both projects (hydrated and without JavaScript).
 */
import { execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import {
  expect,
  test,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from '@playwright/test';
import { currentPath, isHydratedProject } from './helpers';

/** A password the server accepts: long enough, on no common-password list. */
export const PASSWORD = 'purple banana skyline';
/** Another one, for changes. */
export const NEW_PASSWORD = 'orange mango horizon';

/** Where the local sign-in provider (`oauth-provider.mjs`) listens; as in the config. */
export const OAUTH_URL = `http://127.0.0.1:${Number(process.env.OAUTH_PORT ?? 3201)}`;

/** A person nobody else in this run (or an earlier run on the same data) has been. */
export interface Person {
  name: string;
  email: string;
}

/**
 * A fresh person for the running test: the project, a label and a random part make the
 * address unique across projects, workers and runs.
 */
export function uniquePerson(label: string): Person {
  const project = test.info().project.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
  const nonce = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  return {
    name: `E2E ${label} ${project}`,
    email: `e2e-${label}-${project}-${nonce}@example.com`,
  };
}

/**
 * In the hydrated project, records console errors and warnings and uncaught errors of the
 * app's pages from now on (a hydration mismatch or a panic in the WebAssembly shows up
 * here). Two things are not problems: a page that comes back with a 4xx status (a refused
 * form, on purpose), which Chromium logs as a failed load; and the dev outbox, which is no
 * part of the app. Without JavaScript nothing is recorded: the only thing Chromium says
 * there is that the preloaded WebAssembly went unused, which is the point.
 */
export function collectAppProblems(page: Page): string[] {
  const problems: string[] = [];
  if (!isHydratedProject()) return problems;
  const refusedPages = new Set<string>();
  page.on('response', (response) => {
    if (response.request().resourceType() === 'document' && response.status() >= 400) {
      refusedPages.add(response.url());
    }
  });
  const inOutbox = () => new URL(page.url()).pathname.startsWith('/dev/mail');
  page.on('console', (message) => {
    const type = message.type();
    if ((type !== 'error' && type !== 'warning') || inOutbox()) return;
    const { url, lineNumber } = message.location();
    if (message.text().startsWith('Failed to load resource') && refusedPages.has(url)) return;
    problems.push(`console.${type} on ${page.url()}: ${message.text()} (at ${url}:${lineNumber})`);
  });
  page.on('pageerror', (error) => {
    if (inOutbox()) return;
    problems.push(`pageerror on ${page.url()}: ${error.message}\n${error.stack ?? ''}`);
  });
  return problems;
}

/** The settings navigation, with its sign-out button. */
export function settingsNav(page: Page): Locator {
  return page.getByRole('navigation', { name: 'Settings' });
}

/** Waits for the page at `path` (path only, query ignored). */
export async function expectPath(page: Page, path: string): Promise<void> {
  await expect(page, `on ${path}`).toHaveURL((url) => url.pathname === path);
}

/** Fills in and submits the sign-up form; the form has been opened already. */
export async function fillSignUp(page: Page, person: Person, password = PASSWORD): Promise<void> {
  await page.getByLabel('Display name').fill(person.name);
  await page.getByLabel('Email', { exact: true }).fill(person.email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('I am 16 or older').check();
  await page.getByLabel(/I agree to the terms of service/).check();
  await page.getByRole('button', { name: 'Create account' }).click();
}

/** Signs up at /sign-up and waits for the "check your inbox" page. */
export async function signUp(page: Page, person: Person, password = PASSWORD): Promise<void> {
  await page.goto('/sign-up');
  await fillSignUp(page, person, password);
  await expectPath(page, '/verify-email');
  await expect(page.getByRole('status')).toContainText('check your inbox');
}

/**
 * Opens the newest email to `to` in the dev outbox (/dev/mail lists the newest first),
 * waiting for it to arrive.
 */
export async function openLatestMail(page: Page, to: string): Promise<void> {
  const row = page.locator('main table tbody tr').filter({ hasText: to }).first();
  await expect(async () => {
    await page.goto('/dev/mail');
    await expect(row).toBeVisible({ timeout: 1_000 });
  }, `an email to ${to} in the outbox`).toPass({ timeout: 15_000 });
  await row.getByRole('link').click();
  await expect(page.locator('dd.dev-mail-to')).toHaveText(to);
}

/** Follows the link in the open email whose address contains `part`. */
export async function followMailLink(page: Page, part: string): Promise<void> {
  const link = page.locator('pre.dev-mail-text a').filter({ hasText: part }).first();
  await expect(link, `a link with ${part} in the email`).toBeVisible();
  await link.click();
}

/**
 * Verifies the newest sign-up of `person`: the email, its link, the confirm button. Ends
 * signed in, on the dashboard.
 */
export async function verifyEmail(page: Page, person: Person): Promise<void> {
  await openLatestMail(page, person.email);
  await followMailLink(page, '/verify-email?token=');
  await expectPath(page, '/verify-email');
  await expect(page.getByRole('heading', { name: 'Confirm your email address' })).toBeVisible();
  await page.getByRole('button', { name: 'Confirm my email' }).click();
  await expectPath(page, '/dashboard');
  await expect(page.getByRole('status')).toHaveText('Thanks, your email address is confirmed.');
}

/** Fills in and submits the sign-in form at /sign-in. */
export async function submitSignIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Signs in with email and password; ends on the dashboard (no two-step verification). */
export async function signIn(page: Page, person: Person, password = PASSWORD): Promise<void> {
  await submitSignIn(page, person.email, password);
  await expectPath(page, '/dashboard');
  await expectOnDashboard(page, person);
}

/** The dashboard greets the person signed in. */
export async function expectOnDashboard(page: Page, person: Person): Promise<void> {
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Hello, ${person.name}`);
}

/** The settings frame says who is signed in. */
export async function expectSignedInAs(page: Page, person: Person): Promise<void> {
  await expect(page.locator('.settings-who .settings-name')).toHaveText(person.name);
  await expect(page.locator('.settings-who .settings-email')).toHaveText(person.email);
}

/** Signs out with the page's button (the dashboard's, or the settings navigation's). */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expectPath(page, '/');
}

/** Checks that `page`'s browser is signed out: the dashboard sends it to sign in. */
export async function expectSignedOut(page: Page): Promise<void> {
  const response = await page.goto('/dashboard');
  expect(response?.status()).toBe(200);
  expect(currentPath(page), 'the dashboard redirected to the sign-in page').toBe('/sign-in');
  await expect(page.getByRole('heading', { name: 'Welcome back' })).toBeVisible();
}

/**
 * Another browser (its own cookies), set up like the running project's: same base URL,
 * JavaScript setting, language and colour scheme. The caller closes it.
 */
export async function secondContext(browser: Browser): Promise<BrowserContext> {
  const use = test.info().project.use;
  return browser.newContext({
    baseURL: use.baseURL,
    javaScriptEnabled: use.javaScriptEnabled,
    locale: use.locale,
    colorScheme: use.colorScheme,
  });
}

/**
 * Makes the local sign-in provider sign this browser context in as `person` (see
 * `oauth-provider.mjs`: a cookie the provider reads on the authorization request).
 */
export async function useProviderIdentity(context: BrowserContext, person: Person): Promise<void> {
  const value = Buffer.from(JSON.stringify({ email: person.email, name: person.name })).toString(
    'base64url',
  );
  await context.addCookies([{ name: 'e2e_oauth_identity', value, url: OAUTH_URL }]);
}

const run = promisify(execFile);

/**
 * Makes `email` an admin with the server's CLI (`server create-admin`), against the data
 * of the server under test, and returns the invitation link's path and query. Skips the
 * test when the suite was not started with the server's binary and data dir (scripts/test
 * exports E2E_SERVER_BIN and E2E_DATA_DIR).
 */
export async function createAdmin(email: string): Promise<string> {
  const bin = process.env.E2E_SERVER_BIN;
  const dataDir = process.env.E2E_DATA_DIR;
  test.skip(
    !bin || !dataDir,
    'needs E2E_SERVER_BIN and E2E_DATA_DIR (the server under test and its data): run scripts/test',
  );
  const baseURL = new URL(test.info().project.use.baseURL ?? 'http://127.0.0.1:3100');
  const { stdout } = await run(bin!, ['create-admin', '--email', email], {
    env: {
      ...process.env,
      BANANA_ADDR: baseURL.host,
      BANANA_DATA_DIR: dataDir,
      BANANA_LOG_LEVEL: 'warn',
    },
    timeout: 30_000,
  });
  const link = stdout.match(/\S*\/reset-password\?token=\S+/)?.[0];
  expect(link, `an invitation link in the output of create-admin:\n${stdout}`).toBeTruthy();
  const url = new URL(link!, baseURL);
  return url.pathname + url.search;
}

/** RFC 4648 base32 (no padding needed; spaces and case ignored). */
export function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = text.replace(/[\s=-]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const char of clean) {
    const index = alphabet.indexOf(char);
    if (index < 0) throw new Error(`not base32: ${JSON.stringify(char)} in ${text}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >>> bits) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** The TOTP time step (RFC 6238: 30 s) a moment in unix seconds falls in. */
export function totpStep(unixSeconds = Date.now() / 1000): number {
  return Math.floor(unixSeconds / 30);
}

/** The 6-digit TOTP code (RFC 6238 with HMAC-SHA1, as RFC 4226) of `step`. */
export function totpCode(secretBase32: string, step: number): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secretBase32)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1_000_000).padStart(6, '0');
}

/**
 * Signs a new person up through the local sign-in provider (which the sign-up limit per
 * address does not count: the suite's email sign-ups already come close to it), leaving
 * the browser signed in with a confirmed address.
 */
export async function signUpWithProvider(
  page: Page,
  context: BrowserContext,
  person: Person,
): Promise<void> {
  await useProviderIdentity(context, person);
  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Continue with Google' }).click();
  await expect(page).toHaveURL(/\/sign-up\/complete$/);
  await page.getByLabel('I am 16 or older').check();
  await page.getByLabel(/I agree to the terms of service/).check();
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).not.toHaveURL(/\/sign-up/);
}
