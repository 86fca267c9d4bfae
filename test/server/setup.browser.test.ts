// First-run setup in a real Chromium: open the link the server logged, fill the form, land logged in
// on the dashboard under the new site name; the link is dead afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnServer } from '../support/serverProcess.js';
import { artifactPath, browserSkipReason, launchBrowser, PHONE, waitForText } from '../support/browser.js';
import { setupTokenOf } from '../support/setupLink.js';

const skip = browserSkipReason();

test('an installer completes the first-run setup in the browser', { skip, timeout: 120_000 }, async (t) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-setup-browser-'));
  t.after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  await using server = await spawnServer({ dataDir });
  const { link } = await setupTokenOf(server);

  await using browser = await launchBrowser();
  const page = await browser.newPage({ viewport: PHONE });
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));

  // Without the link, the login page says how to set up.
  await page.goto(`http://127.0.0.1:${server.port}/`);
  await page.locator('[data-testid=setup-hint]').waitFor();

  await page.goto(link);
  await page.locator('h1', { hasText: 'Set up ocpp-edge' }).waitFor();
  await page.fill('input[name=username]', 'owner');
  await page.fill('input[name=password]', 'correct horse battery');
  await page.fill('input[name=password2]', 'correct horse battery');
  await page.fill('input[name=siteName]', 'Harbour car park');
  await page.fill('input[name=siteId]', 'harbour-1');
  await page.fill('input[name=currency]', 'EUR');
  await page.fill('input[name=pricePerKwh]', '0.35');
  await page.fill('input[name=sessionFee]', '0,50');
  await page.click('button[type=submit]');
  await page.locator('[data-testid=setup-done]').waitFor();
  await page.screenshot({ path: artifactPath('setup-done.png'), fullPage: true });
  await page.click('button', { hasText: 'Open the dashboard' } as never);
  await page.locator('h1', { hasText: 'Dashboard' }).waitFor();
  await waitForText(page.locator('.brand'), 'Harbour car park'); // the site name is shown in the page
  assert.equal(new URL(page.url()).hash, '', 'the token left the address bar');

  // Stored, and used: the default tariff in minor units, the admin can log in again after logout.
  const tariffs = await page.evaluate(async () => (await fetch('/api/admin/tariffs')).json());
  const list = (tariffs as { tariffs?: unknown[] }).tariffs ?? tariffs;
  assert.deepEqual((list as Array<Record<string, unknown>>).map((x) => [x.currency, x.pricePerKwh, x.sessionFee, x.isDefault]), [['EUR', 35, 50, true]]);

  // The link is spent: opening it again says so, and the API refuses it.
  await page.goto(link);
  await page.locator('h1', { hasText: 'Already set up' }).waitFor();
  assert.deepEqual(problems, []);
});
