/**
 * Support as a signed-in person uses it, in both projects (the support form is a plain
 * HTML form with a file field): open a ticket from the footer's link, land on its thread,
 * and find it in the settings' Support section.
 */
import { expect, test } from '@playwright/test';
import {
  collectAppProblems,
  expectPath,
  settingsNav,
  signUpWithProvider,
  uniquePerson,
} from './accounts-helpers';

/** A 1 × 1 PNG, as a screenshot. */
const SCREENSHOT = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

test('a signed-in person opens a ticket and finds it in their settings', async ({
  page,
  context,
}) => {
  const problems = collectAppProblems(page);
  const person = uniquePerson('support');
  await signUpWithProvider(page, context, person);

  await page.goto('/');
  await page.getByRole('contentinfo').getByRole('link', { name: 'Support' }).click();
  await expectPath(page, '/support');
  await expect(page.getByRole('heading', { name: 'Contact support' })).toBeVisible();
  await expect(page.getByLabel('Email', { exact: true })).toHaveValue(person.email);
  await page.getByLabel('Topic').selectOption('billing');
  await page.getByLabel('Your message').fill('My credits did not arrive after paying.');
  await page.getByLabel(/Screenshot/).setInputFiles({
    name: 'screen.png',
    mimeType: 'image/png',
    buffer: SCREENSHOT,
  });
  await page.getByRole('button', { name: 'Send message' }).click();

  await expect(page).toHaveURL(/\/settings\/support\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('status')).toContainText('your message is with our support team');
  await expect(page.getByText('My credits did not arrive after paying.')).toBeVisible();
  await expect(page.getByRole('img', { name: 'Screenshot sent with this message' })).toBeVisible();
  const thread = new URL(page.url()).pathname;

  await settingsNav(page).getByRole('link', { name: 'Support' }).click();
  await expectPath(page, '/settings/support');
  const ticket = page.locator('li.support-ticket').filter({ hasText: 'My credits did not arrive' });
  await expect(ticket).toContainText('Billing and credits');
  await expect(ticket).toContainText('Waiting for support');
  await ticket.getByRole('link').click();
  await expectPath(page, thread);
  expect(problems).toEqual([]);
});
