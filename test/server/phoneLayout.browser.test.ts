// At phone width the columns staff need (a session's energy and cost, a user's balance and buttons, the
// ledger's amounts, a charger's state) are on screen, not off the right edge; the charger page keeps its
// OCPP tools in closed sections; the chart's labels are big enough to read. Desktop keeps the tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { isoNow, startTestSite } from '../support/testSite.js';
import { SimulatedCharger } from '../../src/sim/simulatedCharger.js';
import { artifactPath, browserSkipReason, launchBrowser, PHONE, submitLogin, waitForText, watchProblems } from '../support/browser.js';

const skip = browserSkipReason();
const DESKTOP = { width: 1280, height: 900 };

/** The element is drawn and entirely inside the viewport's width (no sideways scrolling needed to see it). */
async function onScreen(what: string, locator: Locator, width: number): Promise<void> {
  await locator.first().waitFor();
  const box = (await locator.first().boundingBox())!;
  assert.ok(box && box.width > 0 && box.x >= 0 && box.x + box.width <= width, `${what} is on screen (x ${box?.x}..${box && box.x + box.width}, viewport ${width})`);
}

const pageWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth);

test('phone: sessions, users, ledger and chargers show their key columns on screen; the charger page is short; chart labels readable', { skip, timeout: 150_000 }, async (t) => {
  await using site = await startTestSite({ 'ocpp.heartbeatIntervalSec': 600 });
  await site.domain.adminUsers.create({ username: 'staff', password: 'correct horse battery', role: 'admin' });
  site.database.sqlite.prepare("INSERT INTO tariff (name, currency, price_per_kwh, is_default, created_at) VALUES ('Standard', 'EUR', 30, 1, ?)").run(isoNow());
  const user = (await site.api('/api/admin/users', { body: { fullName: 'Maximiliane Schwarzenberg-Oberhausen', phoneNumber: '+49 170 0000000', email: 'maximiliane.schwarzenberg@example.org' } })).body.user;
  assert.equal((await site.api('/api/admin/id-tags', { body: { idTag: 'MAX-CARD-0001', userId: user.id } })).status, 201);
  assert.ok((await site.api(`/api/admin/users/${user.id}/wallet/top-up`, { body: { amount: 5000, description: 'paid at the reception desk in cash', idempotencyKey: 'p-1' } })).status < 300);
  await site.addCharger('CP-PHONE-NORTH-01');
  const sim = new SimulatedCharger({ baseUrl: site.wsUrl, id: 'CP-PHONE-NORTH-01', connectors: 2, meterIntervalSec: 3600, vendor: 'Some Vendor GmbH', model: 'Wallbox Pro 22 kW' });
  t.after(() => sim.stop());
  await sim.start();
  const txId = (await sim.startSession(1, 'MAX-CARD-0001'))!;
  for (let i = 1; i <= 3; i++) { sim.connectors[1]!.meterWh += 1500; await sim.sendMeterValues(1, 7400); }
  await sim.stopSession(1, 'EVDisconnected');

  await using browser = await launchBrowser();
  const page = await browser.newPage({ viewport: PHONE });
  const problems = watchProblems(page);
  await page.goto(`${site.baseUrl}/transactions`);
  await submitLogin(page, 'staff', 'correct horse battery');
  const row = page.locator(`[data-tx="${txId}"]`);
  await waitForText(row.locator('[data-testid=tx-cost]'), /1\.35 EUR/);
  await onScreen('session energy', row.locator('[data-testid=tx-energy]'), PHONE.width);
  await onScreen('session cost', row.locator('[data-testid=tx-cost]'), PHONE.width);
  assert.ok(await pageWidth(page) <= PHONE.width, 'no sideways scrolling on Sessions');
  await page.screenshot({ path: artifactPath('phone-sessions.png'), fullPage: true });

  await page.click('nav a:has-text("Users")');
  const userRow = page.locator(`tr[data-user="${user.id}"]`);
  await waitForText(userRow.locator('[data-testid=balance]'), /48\.65 EUR/);
  await onScreen('user balance', userRow.locator('[data-testid=balance]'), PHONE.width);
  const tagRow = page.locator('tr[data-idtag="MAX-CARD-0001"]');
  await onScreen('Block button', tagRow.locator('button', { hasText: 'Block' }), PHONE.width);
  await onScreen('Edit button', tagRow.locator('button', { hasText: 'Edit' }), PHONE.width);
  assert.ok(await pageWidth(page) <= PHONE.width, 'no sideways scrolling on Users');
  await page.screenshot({ path: artifactPath('phone-users.png'), fullPage: true });

  await page.goto(`${site.baseUrl}/users/${user.id}`);
  const amounts = page.locator('[data-testid=ledger] [data-testid=amount]');
  await waitForText(amounts.first(), /-1\.35 EUR/);
  for (let i = 0; i < await amounts.count(); i++) await onScreen(`ledger amount ${i}`, amounts.nth(i), PHONE.width);
  assert.ok(await pageWidth(page) <= PHONE.width, 'no sideways scrolling on the user page');
  await page.screenshot({ path: artifactPath('phone-user-ledger.png'), fullPage: true });

  await page.goto(`${site.baseUrl}/chargers`);
  const chargerRow = page.locator('tr[data-charger="CP-PHONE-NORTH-01"]');
  await waitForText(chargerRow.locator('[data-testid=state]'), 'online');
  await onScreen('charger state', chargerRow.locator('[data-testid=state]'), PHONE.width);
  await onScreen('charger last heard', chargerRow.locator('[data-testid=last-heard]'), PHONE.width);
  assert.ok(await pageWidth(page) <= PHONE.width, 'no sideways scrolling on Chargers');
  await page.screenshot({ path: artifactPath('phone-chargers.png'), fullPage: true });

  // The charger page: start/stop open, the OCPP tools folded away, so the page is a few screens, not seven.
  await chargerRow.locator('a').first().click();
  await page.locator('details.section[data-section=actions][open]').waitFor();
  await page.locator('details.section[data-section=config]').waitFor({ state: 'attached' });
  assert.equal(await page.locator('details.section[data-section=config]').getAttribute('open'), null, 'configuration keys start closed');
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  assert.ok(height < 2600, `the charger page is ${height} px tall on a phone`);
  await page.screenshot({ path: artifactPath('phone-charger-page.png'), fullPage: true });
  await page.click('details.section[data-section=profiles] > summary');
  await page.locator('[data-testid=profiles]').waitFor();

  // The session chart: its labels are drawn at a readable size on the phone.
  await page.goto(`${site.baseUrl}/transactions/${txId}`);
  const labels = page.locator('[data-testid=meter-chart] text');
  await labels.first().waitFor();
  const heights = await labels.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
  assert.ok(heights.length >= 6 && Math.min(...heights) >= 12, `chart labels are at least 12 px tall: ${heights.map((h) => h.toFixed(1)).join(', ')}`);
  await page.locator('figure').screenshot({ path: artifactPath('phone-chart.png') });
  assert.deepEqual(problems, []);
});

test('desktop: the same lists stay tables with their header row', { skip, timeout: 90_000 }, async () => {
  await using site = await startTestSite();
  await site.domain.adminUsers.create({ username: 'staff', password: 'correct horse battery', role: 'admin' });
  await site.api('/api/admin/users', { body: { fullName: 'Desk Person' } });
  await using browser = await launchBrowser();
  const page = await browser.newPage({ viewport: DESKTOP });
  const problems = watchProblems(page);
  await page.goto(`${site.baseUrl}/users`);
  await submitLogin(page, 'staff', 'correct horse battery');
  const header = page.locator('table.cards thead th', { hasText: 'Balance' }).first();
  await header.waitFor();
  assert.ok((await header.boundingBox())!.height > 10, 'the header row is shown on a wide screen');
  assert.equal(await page.locator('table.cards tbody tr').first().evaluate((e) => getComputedStyle(e).display), 'table-row');
  await page.screenshot({ path: artifactPath('desktop-users.png'), fullPage: true });

  // A favicon and a home-screen manifest, served by the site itself under its CSP (a blocked one is a console error).
  const manifestHref = await page.locator('link[rel=manifest]').getAttribute('href');
  const manifest = await page.request.get(new URL(manifestHref!, site.baseUrl).href);
  assert.equal(manifest.status(), 200);
  assert.match(manifest.headers()['content-type']!, /^application\/manifest\+json/);
  const body = await manifest.json();
  assert.equal(body.start_url, '/');
  assert.equal(body.display, 'standalone');
  for (const icon of [...body.icons.map((i: { src: string }) => i.src), await page.locator('link[rel=icon]').getAttribute('href')]) {
    const res = await page.request.get(new URL(icon, site.baseUrl).href);
    assert.equal(res.status(), 200, icon);
    assert.match(res.headers()['content-type']!, icon.endsWith('.png') ? /^image\/png/ : /^image\/svg\+xml/, icon);
  }
  assert.deepEqual(problems, []);
});
