// Headless Debian Chromium driven by playwright-core, for the admin page's browser tests.
// Missing Chromium skips those tests with a visible notice, except in CI (CI=true), where it fails.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS_DIR = path.resolve('test-artifacts');

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Why browser tests cannot run here, or undefined when they can. Throws in CI: there it must run. */
export function browserSkipReason(): string | undefined {
  if (fs.existsSync(CHROMIUM_PATH)) return undefined;
  const why = `${CHROMIUM_PATH} not found (apt-get install -y chromium)`;
  if (process.env.CI === 'true') throw new Error(`browser tests cannot run in CI: ${why}`);
  process.stdout.write(`\n*** SKIPPING admin page browser tests: ${why} ***\n\n`);
  return why;
}

export async function launchBrowser(): Promise<Browser & AsyncDisposable> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
  // A fresh machine's first Chromium start (font cache) can be slow: be generous, never flaky.
  const newPage = browser.newPage.bind(browser);
  browser.newPage = async (opts) => { const page = await newPage(opts); page.setDefaultTimeout(45_000); return page; };
  return Object.assign(browser, { [Symbol.asyncDispose]: () => browser.close() });
}

export function artifactPath(name: string): string {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return path.join(ARTIFACTS_DIR, name);
}

/** The viewport the page must work at. */
export const PHONE = { width: 390, height: 844 };

/** Collects uncaught page errors and console errors, which a test expects to stay empty. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => { if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) problems.push(`console: ${msg.text()}`); });
  return problems;
}

/** Fills and sends the login form shown on the current page. */
export async function submitLogin(page: Page, username: string, password: string): Promise<void> {
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
}
