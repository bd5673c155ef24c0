/**
 * What the server answers besides pages: the health check, the sitemap, robots.txt, and
 * the security headers on every page.
 */
import { expect, test } from '@playwright/test';

test('/healthz answers 200', async ({ page }) => {
  const response = await page.request.get('/healthz');
  expect(response.status()).toBe(200);
});

test('/sitemap.xml lists the landing page in both languages', async ({ page }) => {
  const response = await page.request.get('/sitemap.xml');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type'] ?? '').toContain('xml');
  const body = await response.text();
  const locs = [...body.matchAll(/<loc>\s*([^<\s]+)\s*<\/loc>/g)].map((m) => m[1]);
  expect(locs.length, `<loc> entries in:\n${body}`).toBeGreaterThan(0);
  for (const loc of locs) expect(loc, 'every <loc> is absolute').toMatch(/^https?:\/\/[^/]+\//);
  const paths = locs.map((loc) => new URL(loc).pathname);
  expect(paths).toContain('/');
  expect(paths).toContain('/zh-CN/');
});

test('/robots.txt points to the sitemap', async ({ page }) => {
  const response = await page.request.get('/robots.txt');
  expect(response.status()).toBe(200);
  const body = await response.text();
  expect(body).toMatch(/^Sitemap:\s*https?:\/\/\S+\/sitemap\.xml\s*$/im);
});

/** The nonce of a Content-Security-Policy header, checked to be there. */
function nonceOf(csp: string): string {
  const match = csp.match(/'nonce-([A-Za-z0-9+/=_-]+)'/);
  expect(match, `a nonce in the CSP: ${csp}`).not.toBeNull();
  return match![1];
}

for (const path of ['/', '/zh-CN/', '/no/such/page']) {
  test(`${path} carries the security headers`, async ({ page }) => {
    const response = await page.request.get(path);
    expect(response.status()).toBe(path === '/no/such/page' ? 404 : 200);
    const headers = response.headers();

    const csp = headers['content-security-policy'];
    expect(csp, 'a Content-Security-Policy header').toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    const nonce = nonceOf(csp);

    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy'], 'a Referrer-Policy header').toBeTruthy();

    // Every inline script carries the nonce, or the browser would refuse to run it (data
    // blocks such as JSON-LD are not run, so need none).
    const html = await response.text();
    const inlineScripts = [...html.matchAll(/<script\b([^>]*)>/gi)]
      .map((m) => m[1])
      .filter((attributes) => !/\bsrc\s*=/i.test(attributes))
      .filter((attributes) => {
        const type = attributes.match(/\btype\s*=\s*"([^"]*)"/i)?.[1].trim().toLowerCase();
        return !type || type === 'module' || type.endsWith('javascript');
      });
    for (const attributes of inlineScripts) {
      expect(attributes, 'an inline script carries the CSP nonce').toContain(`nonce="${nonce}"`);
    }
  });
}

test('each response gets a fresh CSP nonce', async ({ page }) => {
  const first = await page.request.get('/');
  const second = await page.request.get('/');
  const a = nonceOf(first.headers()['content-security-policy'] ?? '');
  const b = nonceOf(second.headers()['content-security-policy'] ?? '');
  expect(a).not.toBe(b);
});
