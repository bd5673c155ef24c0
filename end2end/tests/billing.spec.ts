import { expect, test, type Page } from '@playwright/test';
import {
  collectAppProblems,
  expectPath,
  signUp,
  uniquePerson,
  verifyEmail,
} from './accounts-helpers';

/**
 * Buying credits through the local checkout, which drives the same fulfilment as the
 * providers' webhooks. One person per project (sign-ups are rate-limited per address).
 */

/** The order page after the local checkout: waits until the payment is settled. */
async function expectOrderStatus(page: Page, status: string): Promise<void> {
  await expectPath(page, '/checkout/success');
  await expect(page.getByTestId('order-status')).toHaveText(status, { timeout: 15_000 });
}

async function localCheckout(page: Page, outcome: 'Pay' | 'Fail payment'): Promise<void> {
  await expect(page).toHaveURL(/\/checkout\/local\/BN-\d{8}-[0-9A-Z]{6}$/);
  await expect(page.getByTestId('test-checkout-note')).toBeVisible();
  await page.getByRole('button', { name: outcome, exact: true }).click();
}

test('buy a pack, see a failed payment grant nothing, subscribe to a plan', async ({ page }) => {
  const problems = collectAppProblems(page);
  const person = uniquePerson('billing');
  await signUp(page, person);
  await verifyEmail(page, person);
  // Confirming the address lands on the dashboard, with the welcome bonus.
  await expect(page.getByTestId('dashboard-balance')).toHaveText('20');

  await page.goto('/settings/billing');
  // The welcome bonus of a newly confirmed address.
  await expect(page.getByTestId('billing-balance')).toHaveText('20');

  // A credit pack: 100 credits.
  await page.goto('/pricing');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pricing');
  await page.getByRole('button', { name: 'Buy' }).first().click();
  await localCheckout(page, 'Pay');
  await expectOrderStatus(page, 'paid');
  await expect(page.getByTestId('balance')).toHaveText('120');
  await page.goto('/settings/billing');
  await expect(page.getByTestId('billing-balance')).toHaveText('120');

  // A payment that fails: nothing granted.
  await page.goto('/pricing');
  await page.getByRole('button', { name: 'Buy' }).first().click();
  await localCheckout(page, 'Fail payment');
  await expectOrderStatus(page, 'failed');
  const failed = new URL(page.url()).searchParams.get('order') ?? '';
  expect(failed).toMatch(/^BN-/);
  await page.goto('/settings/billing');
  await expect(page.getByTestId('billing-balance')).toHaveText('120');
  // The dashboard points it out, with the way to try again.
  await page.goto('/dashboard');
  await expect(page.getByTestId('dashboard-balance')).toHaveText('120');
  const notice = page.locator('[data-notice="payment"]');
  await expect(notice).toContainText(failed);
  await expect(notice.getByRole('link', { name: 'Try again' })).toHaveAttribute('href', '/pricing');

  // A monthly plan: the period's 800 credits, expiring at the period's end.
  await page.goto('/pricing');
  await page.getByRole('button', { name: 'Subscribe' }).first().click();
  await localCheckout(page, 'Pay');
  await expectOrderStatus(page, 'paid');
  await expect(page.getByTestId('balance')).toHaveText('920');
  await page.goto('/settings/billing');
  await expect(page.getByTestId('billing-balance')).toHaveText('920');
  // The header row, then the subscription, the failed payment and the pack, newest first.
  const orders = page.getByRole('region', { name: 'Your orders' }).getByRole('row');
  await expect(orders).toHaveCount(4);
  await expect(orders.nth(1)).toContainText('Paid');
  await expect(orders.nth(2)).toContainText('Failed');
  await expect(orders.nth(3)).toContainText('Paid');
  // Paid since: the failed payment is no longer news.
  await page.goto('/dashboard');
  await expect(page.getByTestId('dashboard-balance')).toHaveText('920');
  await expect(page.locator('[data-notice="payment"]')).toHaveCount(0);

  expect(problems).toEqual([]);
});

test('prices switch between dollars and yuan, and signed-out buyers are asked to sign in', async ({
  page,
}) => {
  await page.goto('/pricing');
  await page.getByRole('link', { name: /CNY/ }).click();
  await expect(page).toHaveURL(/currency=cny/);
  await expect(page.locator('main')).toContainText('¥69.90');
  await page.getByRole('link', { name: /USD/ }).click();
  await expect(page.locator('main')).toContainText('$9.90');
  await page.getByRole('button', { name: 'Buy' }).first().click();
  await expectPath(page, '/sign-in');
});
