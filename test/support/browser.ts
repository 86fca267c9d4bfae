// Headless Debian Chromium driven by playwright-core, for the admin page's browser tests.
// Missing Chromium skips those tests with a visible notice, except in CI (CI=true), where it fails.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, errors, type Browser, type Locator, type Page } from 'playwright-core';

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

/**
 * Fills and sends the login form, waiting for it to be shown. Only the login form's fields: right after
 * "Log out" the old page stays up until the logout request is answered, and Settings' staff card has
 * username and password fields and a submit button of its own (typing there logged nobody in).
 */
export async function submitLogin(page: Page, username: string, password: string): Promise<void> {
  const form = page.locator('form[data-testid=login]');
  await form.locator('input[name=username]').fill(username);
  await form.locator('input[name=password]').fill(password);
  await form.locator('button[type=submit]').click();
}

// Pages render before their data arrives (a select before its options, a list before its rows, stale
// rows until a new filter's answer is in), so a test waits for the content it expects, never for the
// element alone. These poll until the content matches; a timeout fails with the last thing seen.
const POLL_MS = 100;
const WAIT_MS = 45_000; // as generous as the page's own default: a loaded CI machine is slow, not wrong

/**
 * Polls `read` until `ok(value)` holds and returns that value. A read whose element is not there yet
 * (Playwright's TimeoutError) counts as "not yet"; any other error fails at once.
 */
export async function waitForRead<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: { value: T } | { missing: string } = { missing: 'nothing read yet' };
  for (;;) {
    try {
      const value = await read();
      if (ok(value)) return value;
      last = { value };
    } catch (err) {
      if (!(err instanceof errors.TimeoutError)) throw err;
      last = { missing: err.message.split('\n')[0]! };
    }
    if (Date.now() > deadline) {
      const seen = 'value' in last ? JSON.stringify(last.value) : `no element (${last.missing})`;
      throw new assert.AssertionError({ message: `timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${seen}` });
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

const matches = (text: string, expected: string | RegExp) => (typeof expected === 'string' ? text === expected : expected.test(text));

/** Waits until the element's innerText is `expected` (a string: exactly) or matches it (a RegExp); returns the text. */
export function waitForText(locator: Locator, expected: string | RegExp, timeoutMs = WAIT_MS): Promise<string> {
  return waitForRead(`${locator} to show ${typeof expected === 'string' ? JSON.stringify(expected) : expected}`,
    () => locator.innerText({ timeout: 1000 }), (text) => matches(text, expected), timeoutMs);
}

/** Waits until an input's or select's value is `expected`; returns it. */
export function waitForValue(locator: Locator, expected: string, timeoutMs = WAIT_MS): Promise<string> {
  return waitForRead(`${locator} to have the value ${JSON.stringify(expected)}`, () => locator.inputValue({ timeout: 1000 }), (v) => v === expected, timeoutMs);
}

/** Waits until `locator` matches exactly `expected` elements (a list that has loaded, not one still loading). */
export function waitForCount(locator: Locator, expected: number, timeoutMs = WAIT_MS): Promise<number> {
  return waitForRead(`${locator} to match ${expected} element(s)`, () => locator.count(), (n) => n === expected, timeoutMs);
}

/** Opens every collapsible section of the page (the charger page keeps its OCPP tools closed). */
export async function openSections(page: Page): Promise<void> {
  await page.locator('details.section').first().waitFor({ state: 'attached' });
  await page.evaluate(() => { for (const d of document.querySelectorAll('details.section')) (d as HTMLDetailsElement).open = true; });
}
