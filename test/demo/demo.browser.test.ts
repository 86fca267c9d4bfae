// Demo mode in Chromium: the DEMO banner is there before and after login, and the printed password works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnServer } from '../support/serverProcess.js';
import { artifactPath, browserSkipReason, launchBrowser, waitForText } from '../support/browser.js';

const skip = browserSkipReason();

test('the demo page is marked DEMO and the printed login works', { skip, timeout: 120_000 }, async (t) => {
  const realDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-real-'));
  t.after(() => fs.rmSync(realDir, { recursive: true, force: true }));
  await using server = await spawnServer({ dataDir: realDir, args: ['--import', 'tsx', 'src/cli/index.ts', 'serve', '--demo'], env: { OCPP_EDGE_DEMO_SESSION_SEC: '1' } });
  const password = /with password (\S+)/.exec(await server.waitForLog(/log in as "demo" with password/))![1]!;

  await using browser = await launchBrowser();
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.port}/`);
  await page.locator('[data-testid=demo-banner]').waitFor();
  await page.fill('input[name=username]', 'demo');
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.locator('h1', { hasText: 'Dashboard' }).waitFor();
  await page.locator('[data-charger="DEMO-CP-1"]').waitFor();
  await waitForText(page.locator('[data-testid=demo-banner]'), /DEMO/);
  await waitForText(page.locator('.brand'), 'ocpp-edge demo site');
  assert.equal(await page.locator('.boot').count(), 0, 'the loading text is gone');
  await page.screenshot({ path: artifactPath('demo-dashboard.png'), fullPage: true });
});
