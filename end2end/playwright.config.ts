import { defineConfig } from '@playwright/test';

/** Where the server under test listens. */
const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:3100';

/** Where the local sign-in provider (`oauth-provider.mjs`) listens. */
const OAUTH_PORT = Number(process.env.OAUTH_PORT ?? 3201);
const OAUTH_URL = `http://127.0.0.1:${OAUTH_PORT}`;

/**
 * Debian's Chromium, never a browser Playwright downloads (nothing may be downloaded here).
 * The flags keep it from reaching out to the network on its own and let it run as root.
 */
const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export default defineConfig({
  testDir: 'tests',
  workers: 2,
  retries: 0,
  // A debug WebAssembly bundle on a 2-core machine takes a while to compile and hydrate.
  timeout: 60_000,
  forbidOnly: !!process.env.CI,
  reporter: 'list',
  use: {
    baseURL: BASE_URL,
    // A fixed browser language and colour scheme, so `/` stays English and the theme
    // starts light unless a test says otherwise.
    locale: 'en-US',
    colorScheme: 'light',
    launchOptions,
    trace: 'off',
  },
  // Every spec runs twice: as a person with a modern browser sees the site, and as one
  // without JavaScript (or before the WebAssembly has loaded) does.
  projects: [
    { name: 'hydrated', use: { javaScriptEnabled: true } },
    { name: 'no-js', use: { javaScriptEnabled: false } },
  ],
  webServer: [
    // The server under test: started only when asked for; otherwise a server must already
    // listen on BASE_URL.
    ...(process.env.E2E_SERVER_CMD
      ? [
          {
            command: process.env.E2E_SERVER_CMD,
            url: BASE_URL + '/healthz',
            reuseExistingServer: false,
            timeout: 120_000,
            stdout: 'pipe' as const,
          },
        ]
      : []),
    // The sign-in provider the server is configured with (BANANA_GOOGLE_*_URL): a local
    // OpenID Connect provider, always ours.
    {
      command: 'node oauth-provider.mjs',
      url: `${OAUTH_URL}/.well-known/openid-configuration`,
      env: { OAUTH_PORT: String(OAUTH_PORT) },
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'pipe' as const,
    },
  ],
});
