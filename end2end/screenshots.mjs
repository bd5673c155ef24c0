// Saves a screenshot of every page, at a phone's width and a desktop's, in both languages,
// signed out and signed in, for a person to look through. Run by `scripts/screenshots`,
// which builds and starts the server; this file only drives Debian's Chromium.
//
//   node screenshots.mjs <base url> <output folder>
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from '@playwright/test';

const [base, out] = process.argv.slice(2);
if (!base || !out) {
  console.error('usage: node screenshots.mjs <base url> <output folder>');
  process.exit(2);
}

const SIZES = [
  { name: 'phone', width: 360, height: 740 },
  { name: 'desktop', width: 1280, height: 800 },
];
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
  '/no/such/page',
];
const ACCOUNT_PAGES = [
  '/dashboard',
  '/workbench',
  '/pricing',
  '/settings/profile',
  '/settings/security',
  '/settings/privacy',
  '/settings/billing',
  '/settings/support',
];
const PASSWORD = 'purple banana skyline';

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});

function fileName(state, size, path) {
  const slug = path.replace(/^\/+|\/+$/g, '').replace(/[^a-zA-Z0-9-]+/g, '_') || 'home';
  return `${state}-${size.name}-${slug}.png`;
}

async function shoot(page, state, size, paths) {
  for (const prefix of ['', '/zh-CN']) {
    for (const path of paths) {
      const url = prefix ? (path === '/' ? `${prefix}/` : prefix + path) : path;
      await page.goto(base + url, { waitUntil: 'load' });
      await page.screenshot({ path: join(out, fileName(state, size, url)), fullPage: true });
    }
  }
}

/** A new person, signed up with email and confirmed through the dev outbox. */
async function signUp(page) {
  const email = `screenshots-${Date.now().toString(36)}@example.com`;
  await page.goto(`${base}/sign-up`);
  await page.getByLabel('Display name').fill('Ada Lovelace');
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('I am 16 or older').check();
  await page.getByLabel(/I agree to the terms of service/).check();
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(/\/verify-email/);
  await page.goto(`${base}/dev/mail`);
  await page.locator('main table tbody tr').filter({ hasText: email }).first().getByRole('link').click();
  await page.locator('pre.dev-mail-text a').filter({ hasText: '/verify-email?token=' }).first().click();
  await page.getByRole('button', { name: 'Confirm my email' }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/verify-email'));
}

await mkdir(out, { recursive: true });
for (const size of SIZES) {
  const visitor = await browser.newContext({ viewport: size, locale: 'en-US', colorScheme: 'light' });
  await shoot(await visitor.newPage(), 'visitor', size, PUBLIC_PAGES);
  await visitor.close();
}
const member = await browser.newContext({ viewport: SIZES[1], locale: 'en-US', colorScheme: 'light' });
const page = await member.newPage();
await signUp(page);
for (const size of SIZES) {
  await page.setViewportSize(size);
  await shoot(page, 'signed-in', size, ACCOUNT_PAGES);
  // The account menu and, on phones, the navigation menu, opened.
  await page.goto(`${base}/pricing`);
  await page.locator('details.account-menu > summary').click();
  await page.screenshot({ path: join(out, fileName('signed-in', size, 'account-menu')) });
  if (size.name === 'phone') {
    await page.goto(`${base}/pricing`);
    await page.locator('details.phone-menu > summary').click();
    await page.screenshot({ path: join(out, fileName('signed-in', size, 'phone-menu')) });
  }
}
await member.close();
await browser.close();
await writeFile(join(out, 'README.txt'), 'Screenshots of every page: visitor-* signed out, signed-in-* signed in; phone 360x740, desktop 1280x800.\n');
console.log(`screenshots saved in ${out}`);
