// Sorting the admin lists (issue 16): headers that sort (aria-sort, keyboard) at desktop width, the
// "Sort by" select on a phone, and a live reload (a pushed event) that keeps the chosen order and filters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { isoNow, startTestSite } from '../support/testSite.js';
import { addUser, topUp } from '../support/wallets.js';
import { artifactPath, browserSkipReason, launchBrowser, PHONE, waitForRead } from '../support/browser.js';
import { DESKTOP, openStaffPage } from '../support/staffPage.js';

const skip = browserSkipReason();

const rowsOf = (page: Page, list: string, attr: string) => page.locator(`table[data-list=${list}] tbody tr[${attr}]`).evaluateAll(
  (rows, a) => rows.map((r) => r.getAttribute(a)), attr);
const showsRows = (page: Page, list: string, attr: string, expected: string[]) =>
  waitForRead(`${list} in the order ${expected.join(', ')}`, () => rowsOf(page, list, attr), (v) => JSON.stringify(v) === JSON.stringify(expected));
const ariaSort = (page: Page, list: string, key: string) => page.locator(`table[data-list=${list}] th:has(button[data-sort=${key}])`).getAttribute('aria-sort');

test('staff sort users, cards, sessions and chargers; live updates keep the order', { skip, timeout: 180_000 }, async () => {
  await using site = await startTestSite();
  const ada = addUser(site, 'Ada');
  const bob = addUser(site, 'Bob');
  const cy = addUser(site, 'Cy');
  await topUp(site, ada, 1000);
  await topUp(site, bob, 5000);
  await topUp(site, cy, 3000);
  site.addIdTag('TAG-A', { userId: ada });
  site.addIdTag('TAG-B', { userId: bob });
  site.addIdTag('TAG-C', { userId: cy });
  const cp = await site.connectCharger('CP-LIVE');
  await site.addCharger('AAA-OFFLINE');
  const sessions: number[] = [];
  for (const [idTag, meterStop] of [['TAG-A', 2000], ['TAG-B', 9000], ['TAG-C', 4000]] as const) {
    const { transactionId } = await cp.call('StartTransaction', { connectorId: 1, idTag, meterStart: 0, timestamp: isoNow() });
    await cp.call('StopTransaction', { transactionId, meterStop, timestamp: isoNow() });
    sessions.push(transactionId);
  }
  const [s1, s2, s3] = sessions.map(String) as [string, string, string];

  await using browser = await launchBrowser();
  const { page, problems } = await openStaffPage(site, browser, '/users', { viewport: DESKTOP });
  const users = (ids: number[]) => ids.map(String);
  await showsRows(page, 'users', 'data-user', users([ada, bob, cy]));
  assert.equal(await ariaSort(page, 'users', 'name'), 'ascending', 'by name by default');
  // Balance sorts largest first on the first press; by keyboard: focus the header's button, press Enter.
  await page.locator('table[data-list=users] button[data-sort=balance]').focus();
  await page.keyboard.press('Enter');
  await showsRows(page, 'users', 'data-user', users([bob, cy, ada]));
  assert.equal(await ariaSort(page, 'users', 'balance'), 'descending');
  assert.equal(await ariaSort(page, 'users', 'name'), null);
  // A pushed wallet.changed reloads the list in the chosen order: Ada's top-up moves her first.
  await topUp(site, ada, 9000);
  await showsRows(page, 'users', 'data-user', users([ada, bob, cy]));
  assert.equal(await ariaSort(page, 'users', 'balance'), 'descending');
  await page.locator('table[data-list=users] button[data-sort=balance]').click();
  await showsRows(page, 'users', 'data-user', users([cy, bob, ada]));
  // idTags: by driver, the other way round.
  await page.locator('table[data-list=idtags] button[data-sort=user]').click();
  await showsRows(page, 'idtags', 'data-idtag', ['TAG-A', 'TAG-B', 'TAG-C']);
  await page.locator('table[data-list=idtags] button[data-sort=user]').click();
  await showsRows(page, 'idtags', 'data-idtag', ['TAG-C', 'TAG-B', 'TAG-A']);
  assert.equal(await ariaSort(page, 'idtags', 'user'), 'descending');
  await page.screenshot({ path: artifactPath('sort-users-desktop.png'), fullPage: true });
  // On a phone the two lists' selects say which they sort; picking one orders that list.
  await page.setViewportSize(PHONE);
  await page.getByLabel('Sort cards by').selectOption('idTag');
  await showsRows(page, 'idtags', 'data-idtag', ['TAG-A', 'TAG-B', 'TAG-C']);
  await page.getByLabel('Sort users by').selectOption('name');
  await showsRows(page, 'users', 'data-user', users([ada, bob, cy]));
  await page.screenshot({ path: artifactPath('sort-users-phone.png'), fullPage: true });
  await page.setViewportSize(DESKTOP);

  // Sessions: newest first; by energy (largest first), kept with a filter and through a live reload.
  await page.click('nav a:has-text("Sessions")');
  await showsRows(page, 'sessions', 'data-tx', [s3, s2, s1]);
  assert.equal(await ariaSort(page, 'sessions', 'id'), 'descending');
  await page.locator('table[data-list=sessions] button[data-sort=energy]').click();
  await showsRows(page, 'sessions', 'data-tx', [s2, s3, s1]);
  assert.match(page.url(), /sort=-energy/);
  await page.fill('form input[name=charger]', 'CP-LIVE');
  await page.click('form button[type=submit]');
  await waitForRead('the filter in the address', async () => page.url(), (u) => /charger=CP-LIVE/.test(u) && /sort=-energy/.test(u));
  // transaction.started is pushed and reloads the list: the new session (no energy yet) comes last.
  const { transactionId: s4 } = await cp.call('StartTransaction', { connectorId: 2, idTag: 'TAG-A', meterStart: 0, timestamp: isoNow() });
  await showsRows(page, 'sessions', 'data-tx', [s2, s3, s1, String(s4)]);
  assert.equal(await page.locator('form input[name=charger]').inputValue(), 'CP-LIVE', 'the filter survives the reload');
  await page.screenshot({ path: artifactPath('sort-sessions-desktop.png'), fullPage: true });

  // Phone: the header row is hidden (cards); "Sort by" does the same.
  await page.setViewportSize(PHONE);
  await page.locator('select[name=sort]').selectOption('-cost');
  await waitForRead('the cost order in the address', async () => page.url(), (u) => /sort=-cost/.test(u));
  await page.locator('select[name=sort]').selectOption('-id');
  await showsRows(page, 'sessions', 'data-tx', [String(s4), s3, s2, s1]);
  await page.screenshot({ path: artifactPath('sort-sessions-phone.png'), fullPage: true });

  // Chargers (loaded whole, sorted in the page): by name, then online first from the phone's select.
  await page.click('nav a:has-text("Chargers")');
  await showsRows(page, 'chargers', 'data-charger', ['AAA-OFFLINE', 'CP-LIVE']);
  await page.locator('select[name=sort]').selectOption('-state');
  await showsRows(page, 'chargers', 'data-charger', ['CP-LIVE', 'AAA-OFFLINE']);
  assert.ok(await page.locator('select[name=sort]').isVisible(), 'the select shows on a phone');
  // A pushed charger.updated reloads the list (the new name shows); the order stays online first, not by name.
  assert.equal((await site.api('/api/admin/chargers/CP-LIVE', { method: 'PUT', body: { name: 'Zed' } })).status, 200);
  await page.locator('tr[data-charger=CP-LIVE] small', { hasText: 'Zed' }).waitFor();
  assert.deepEqual(await rowsOf(page, 'chargers', 'data-charger'), ['CP-LIVE', 'AAA-OFFLINE']);
  await page.screenshot({ path: artifactPath('sort-chargers-phone.png'), fullPage: true });
  await page.setViewportSize(DESKTOP);
  assert.equal(await page.locator('select[name=sort]').isVisible(), false, 'no select where the headers show');
  await page.locator('table[data-list=chargers] button[data-sort=name]').click();
  await showsRows(page, 'chargers', 'data-charger', ['AAA-OFFLINE', 'CP-LIVE']); // "AAA-OFFLINE" before "Zed"
  assert.equal(await ariaSort(page, 'chargers', 'name'), 'ascending');
  assert.deepEqual(problems, []);
});
