/**
 * Accounts as a person uses them, in both projects (every account form is a plain HTML
 * form): sign-up with the emailed link, sign-out and in, a password change that signs
 * other browsers out; errors that are announced and reveal nothing; sign-in with a
 * provider (a local OpenID Connect provider standing in for Google); and an admin's
 * two-step verification, from the CLI invitation to a sign-in with a code.
 *
 * Each test is a person of its own (a unique address), so the tests run in parallel and
 * again on the same data.
 */
import { expect, test } from '@playwright/test';
import {
  NEW_PASSWORD,
  PASSWORD,
  collectAppProblems,
  createAdmin,
  expectOnDashboard,
  expectPath,
  expectSignedInAs,
  expectSignedOut,
  fillSignUp,
  secondContext,
  settingsNav,
  signIn,
  signOut,
  signUp,
  submitSignIn,
  totpCode,
  totpStep,
  uniquePerson,
  useProviderIdentity,
  verifyEmail,
} from './accounts-helpers';

test('sign up, confirm the email, sign out and in, change the password', async ({
  page,
  browser,
}) => {
  const problems = collectAppProblems(page);
  const person = uniquePerson('signup');

  await signUp(page, person);
  await verifyEmail(page, person);
  await expectOnDashboard(page, person);
  await page.getByRole('link', { name: 'Account settings' }).click();
  await expectPath(page, '/settings/profile');
  await expectSignedInAs(page, person);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Profile');

  await signOut(page);
  await expectSignedOut(page);
  await signIn(page, person);

  // A second browser signed in as the same person.
  const other = await secondContext(browser);
  try {
    const otherPage = await other.newPage();
    await signIn(otherPage, person);

    await page.goto('/settings/profile');
    await settingsNav(page).getByRole('link', { name: 'Security' }).click();
    await expectPath(page, '/settings/security');
    // The email panel asks for the current password too: use the password panel's.
    const panel = page.getByRole('region', { name: 'Password', exact: true });
    await panel.getByLabel('Current password').fill(PASSWORD);
    await panel.getByLabel('New password').fill(NEW_PASSWORD);
    await panel.getByRole('button', { name: 'Change password' }).click();
    await expectPath(page, '/settings/security');
    await expect(page.getByRole('status')).toHaveText('Your password has been changed.');

    // This browser stays signed in; the other one is signed out.
    await page.goto('/settings/profile');
    await expectSignedInAs(page, person);
    await expectSignedOut(otherPage);

    // The new password works, the old one no longer does.
    await submitSignIn(otherPage, person.email, PASSWORD);
    await expect(otherPage.getByRole('alert')).toHaveText(
      'That email and password do not match. Check both and try again.',
    );
    await signIn(otherPage, person, NEW_PASSWORD);
  } finally {
    await other.close();
  }
  expect(problems).toEqual([]);
});

test('form errors are announced, fields are labelled, sign-in failures say nothing more', async ({
  page,
}) => {
  const problems = collectAppProblems(page);
  const person = uniquePerson('errors');

  // A refused sign-up comes back with its error announced, on the field it is about, and
  // with what was typed (but never the password).
  await page.goto('/sign-up');
  await fillSignUp(page, person, 'password123');
  await expectPath(page, '/sign-up');
  const alert = page.getByRole('alert');
  await expect(alert).toHaveCount(1);
  await expect(alert).toHaveText(
    'That password is too common and easy to guess. Please choose another.',
  );
  const password = page.getByLabel('Password', { exact: true });
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  const alertId = await alert.getAttribute('id');
  expect(alertId, 'the error has an id fields can point to').toBeTruthy();
  await expect(password).toHaveAttribute('aria-describedby', new RegExp(`\\b${alertId}\\b`));
  await expect(password).toHaveValue('');
  await expect(page.getByLabel('Display name')).toHaveValue(person.name);
  const emailField = page.getByLabel('Email', { exact: true });
  await expect(emailField).toHaveValue(person.email);
  await expect(emailField).not.toHaveAttribute('aria-invalid', 'true');

  // Corrected, it goes through.
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('I am 16 or older').check();
  await page.getByLabel(/I agree to the terms of service/).check();
  await page.getByRole('button', { name: 'Create account' }).click();
  await expectPath(page, '/verify-email');

  // A wrong password and an unknown address get the same single, generic error, and the
  // address typed stays in the form.
  const generic = 'That email and password do not match. Check both and try again.';
  for (const email of [person.email, `nobody-${person.email}`]) {
    await submitSignIn(page, email, 'not the password at all');
    await expectPath(page, '/sign-in');
    await expect(page.getByRole('alert')).toHaveCount(1);
    await expect(page.getByRole('alert')).toHaveText(generic);
    await expect(page.getByLabel('Email', { exact: true })).toHaveValue(email);
    await expect(page.getByLabel('Email', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
  }
  await expectSignedOut(page);
  expect(problems).toEqual([]);
});

test('sign in with Google: a new person confirms age and terms, then signs in directly', async ({
  page,
  context,
}) => {
  const problems = collectAppProblems(page);
  const person = uniquePerson('google');
  await useProviderIdentity(context, person);

  await page.goto('/sign-in');
  const google = page.getByRole('link', { name: 'Continue with Google' });
  await expect(google).toHaveAttribute('href', '/auth/google/start');
  await google.click();

  // First visit: an account is made once the person confirms age and terms.
  await expectPath(page, '/sign-up/complete');
  await expect(page.getByRole('heading', { name: 'One last step' })).toBeVisible();
  await expect(page.getByLabel('Display name')).toHaveValue(person.name);
  await page.getByLabel('I am 16 or older').check();
  await page.getByLabel(/I agree to the terms of service/).check();
  await page.getByRole('button', { name: 'Create account' }).click();
  await expectPath(page, '/dashboard');
  await expectOnDashboard(page, person);

  // The provider is listed as a way to sign in.
  await page.getByRole('link', { name: 'Account settings' }).click();
  await expectSignedInAs(page, person);
  await settingsNav(page).getByRole('link', { name: 'Security' }).click();
  await expectPath(page, '/settings/security');
  const ways = page.getByRole('region', { name: 'Ways to sign in' });
  await expect(ways.getByRole('button', { name: 'Unlink Google' })).toBeVisible();

  // Next time, the provider signs the person straight in.
  await signOut(page);
  await expectSignedOut(page);
  await page.getByRole('link', { name: 'Continue with Google' }).click();
  await expectPath(page, '/dashboard');
  await expectOnDashboard(page, person);
  expect(problems).toEqual([]);
});

test('an admin enrols two-step verification and signs in with a code', async ({ page }) => {
  const problems = collectAppProblems(page);
  const admin = uniquePerson('admin');
  const invitation = await createAdmin(admin.email);

  // The invitation sets the password.
  await page.goto(invitation);
  await expectPath(page, '/reset-password');
  await page.getByLabel('New password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Save new password' }).click();
  await expectPath(page, '/sign-in');
  await expect(page.getByRole('status')).toHaveText(
    'Your password has been changed. You can sign in with it now.',
  );

  // Signed in, an admin must enrol before any admin page opens.
  await submitSignIn(page, admin.email, PASSWORD);
  await expectPath(page, '/dashboard');
  await page.goto('/admin');
  await expectPath(page, '/admin/two-factor');
  await expect(page.getByRole('heading', { name: 'Turn on two-step verification' })).toBeVisible();
  await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();

  // The key, as text and in the otpauth link.
  const shown = (await page.locator('code.secret').innerText()).replace(/\s+/g, '');
  const otpauth = await page.getByRole('link', { name: /authenticator app/ }).getAttribute('href');
  expect(otpauth).toMatch(/^otpauth:\/\/totp\//);
  const secret = new URL(otpauth!).searchParams.get('secret') ?? '';
  expect(secret, 'the key shown is the key in the link').toBe(shown);
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);

  // A wrong code is refused, announced on the field.
  const enrolStep = totpStep();
  await page.getByLabel('Verification code').fill(totpCode(secret, enrolStep + 100));
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expectPath(page, '/admin/two-factor');
  await expect(page.getByRole('alert')).toContainText('That code did not work');
  await expect(page.getByLabel('Verification code')).toHaveAttribute('aria-invalid', 'true');

  // The right one turns it on and shows the recovery codes, once.
  await page.getByLabel('Verification code').fill(totpCode(secret, totpStep()));
  await page.getByRole('button', { name: 'Turn on' }).click();
  await expectPath(page, '/admin/two-factor');
  await expect(page.getByRole('status')).toHaveText('Two-step verification is on.');
  const codesPanel = page.getByRole('region', { name: 'Save your recovery codes' });
  await expect(codesPanel.getByRole('listitem')).toHaveCount(10);
  const recovery = await codesPanel.getByRole('listitem').allInnerTexts();
  expect(new Set(recovery).size, 'ten different codes').toBe(10);
  await page.goto('/admin/two-factor');
  await expect(page.getByText('You have 10 unused recovery codes.')).toBeVisible();
  await expect(codesPanel, 'the codes are not shown again').toHaveCount(0);
  await page.goto('/admin');
  await expectPath(page, '/admin');
  await expect(page.getByRole('heading', { name: 'Accounts', exact: true })).toBeVisible();

  // Next sign-in: the password, then a code. The code of the step used at enrolment is
  // spent, so the app's next code is the one to give.
  await signOut(page);
  await submitSignIn(page, admin.email, PASSWORD);
  await expectPath(page, '/sign-in/two-factor');
  await page.getByLabel('Verification code').fill(totpCode(secret, totpStep() + 1));
  await page.getByRole('button', { name: 'Verify and sign in' }).click();
  await expectPath(page, '/dashboard');
  await page.goto('/admin');
  await expectPath(page, '/admin');
  // The overview: accounts by role (this admin among them) and the audit log. Other
  // tests write to the log at the same time, so which entries are the latest varies.
  await expect(page.getByRole('rowheader', { name: 'Admins' })).toBeVisible();
  const audit = page.getByRole('region', { name: 'Recent activity' }).getByRole('table');
  await expect(audit.locator('tbody tr td code').first()).toBeVisible();
  expect(problems).toEqual([]);
});
