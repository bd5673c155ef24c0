import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import {
  collectAppProblems,
  expectPath,
  signUp,
  uniquePerson,
  verifyEmail,
} from './accounts-helpers';
import { isHydratedProject } from './helpers';

/**
 * The workbench as a guest with the offline engine: generate, paint a mask over a
 * reference and edit, then sign up and find the earlier results in the account. Without
 * JavaScript the same flows go through the plain form (files instead of painting).
 */

/** A real PNG to use as the reference: the site's social card (tests run in end2end/). */
const REFERENCE = readFileSync(join(process.cwd(), '..', 'public', 'og-image.png'));

/** The tasks on the page whose prompt is `prompt`. */
function tasksFor(page: Page, prompt: string) {
  return page.locator('#task-list li.task').filter({ hasText: prompt });
}

/** Opens the workbench; in the hydrated project, waits until its WebAssembly runs. */
async function openWorkbench(page: Page): Promise<void> {
  await page.goto('/workbench');
  if (isHydratedProject()) {
    await expect(page.locator('#workbench-form')).toHaveAttribute('data-hydrated', 'true', {
      timeout: 30_000,
    });
  }
}

async function expectSucceeded(page: Page, prompt: string): Promise<void> {
  const task = tasksFor(page, prompt).first();
  // Without JavaScript the page refreshes itself every 3 s while tasks run.
  await expect(task).toHaveAttribute('data-status', 'succeeded', { timeout: 45_000 });
  const thumb = task.locator('img.result-thumb').first();
  await expect(thumb).toBeVisible();
  // The thumbnail really loads (a signed link to a WebP image).
  await expect
    .poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
    .toBe(true);
}

test('a guest generates, edits with a painted mask, and keeps both after signing up', async ({
  page,
}) => {
  const problems = collectAppProblems(page);
  await openWorkbench(page);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.locator('#allowance')).toContainText('3');
  await expect(page.locator('#model-offline')).toBeChecked();

  // Text to image.
  const first = 'a lighthouse at dusk';
  await page.locator('#prompt').fill(first);
  if (isHydratedProject()) {
    await expect(page.locator('#prompt-count')).toContainText(String(first.length));
    await expect(page.locator('#cost-line')).toContainText('1');
  }
  await page.locator('#submit-generation').click();
  await expectSucceeded(page, first);

  // An edit of a reference image.
  const second = 'the same scene in winter';
  await page.locator('#reference-input').setInputFiles({
    name: 'card.png',
    mimeType: 'image/png',
    buffer: REFERENCE,
  });
  if (isHydratedProject()) {
    // Uploaded at once, previewed, and then a mask painted over it.
    await expect(page.locator('li.reference[data-upload-id]')).toHaveCount(1);
    await page.locator('#mask-mode').click();
    const canvas = page.locator('#mask-canvas');
    await expect(canvas).toBeVisible();
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.3);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 8 });
    await page.mouse.up();
    await expect(page.locator('#mask-painted')).toBeVisible();
    await expect(page.locator('#mask-undo')).toBeEnabled();
  }
  await page.locator('#prompt').fill(second);
  const sent = isHydratedProject()
    ? page.waitForRequest((r) => r.url().endsWith('/api/generations') && r.method() === 'POST')
    : null;
  await page.locator('#submit-generation').click();
  if (sent) {
    // The painted mask went up as its own upload and the edit names it and the reference.
    const body = (await sent).postDataJSON();
    expect(body.references).toHaveLength(1);
    expect(body.mask).toEqual(expect.any(String));
    expect(body.mask).not.toEqual(body.references[0]);
  }
  await expectSucceeded(page, second);
  const edited = tasksFor(page, second).first();
  await expect(edited.locator('a.result-download')).toHaveAttribute('href', /\/files\/results\//);

  // Two of three trial credits used.
  await openWorkbench(page);
  await expect(page.locator('#allowance')).toContainText('1');

  // Signing up moves both results into the account: the dashboard, where confirming the
  // address lands, shows them among the latest pictures.
  const person = uniquePerson('workbench');
  await signUp(page, person);
  await verifyEmail(page, person);
  const results = page.getByTestId('dashboard-results');
  await expect(results.getByRole('img', { name: first })).toBeVisible();
  await expect(results.getByRole('img', { name: second })).toBeVisible();
  await openWorkbench(page);
  await expectSucceeded(page, first);
  await expectSucceeded(page, second);

  // The dashboard's prompt box starts on the workbench with the prompt filled in.
  await page.goto('/dashboard');
  const third = 'a pear on a blue plate';
  await page.getByLabel('Describe the picture').fill(third);
  await page.getByRole('button', { name: 'Continue on the workbench' }).click();
  await expectPath(page, '/workbench');
  await expect(page.locator('#prompt')).toHaveValue(third);
  if (isHydratedProject()) {
    await expect(page.locator('#workbench-form')).toHaveAttribute('data-hydrated', 'true', {
      timeout: 30_000,
    });
    await expect(page.locator('#prompt')).toHaveValue(third);
  }
  await page.locator('#submit-generation').click();
  await expectSucceeded(page, third);
  await page.goto('/dashboard');
  const newest = results.getByRole('listitem').first();
  await expect(newest.getByRole('img', { name: third })).toBeVisible();
  await expect(newest.getByRole('link')).toHaveAttribute('href', /^\/workbench#task-/);

  if (isHydratedProject()) {
    // Hydrated, the dashboard follows what is made elsewhere without a reload.
    const streaming = page.waitForResponse((r) => r.url().endsWith('/api/tasks/events'));
    await page.reload();
    await streaming;
    const workbench = await page.context().newPage();
    await openWorkbench(workbench);
    const fourth = 'a kite over the dunes';
    await workbench.locator('#prompt').fill(fourth);
    await workbench.locator('#submit-generation').click();
    await expect(results.getByRole('img', { name: fourth })).toBeVisible({ timeout: 45_000 });
    await workbench.close();
  }
  expect(problems).toEqual([]);
});

test('a shortfall is explained with what is needed and what is left', async ({ page }) => {
  const problems = collectAppProblems(page);
  await openWorkbench(page);
  await page.locator('#prompt').fill('four at once');
  await page.locator('#quantity').selectOption('4');
  await page.locator('#submit-generation').click();
  // A guest has 3 trial credits; 4 are needed. Nothing is queued.
  const message = page.locator('[role="alert"]').filter({ hasText: 'needs 4' }).first();
  await expect(message).toContainText('3 are left');
  if (isHydratedProject()) {
    await expect(page.locator('#shortfall a')).toHaveAttribute('href', '/sign-up');
  }
  await expect(page.locator('#task-list li.task')).toHaveCount(0);
  expect(problems).toEqual([]);
});
