// The Sessions list a page at a time (issue 16: 200 rows were a 21,900 px page on a phone): 50 shown,
// "Show more sessions" fetches the next page from the API, no row twice, the chosen sort and filter kept,
// and a pushed event's reload keeps every row already shown. Real server, real OCPP sessions, Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { isoNow, startTestSite } from '../support/testSite.js';
import type { ChargePoint } from '../../src/sim/chargePoint.js';
import { artifactPath, browserSkipReason, launchBrowser, PHONE, waitForRead, waitForText } from '../support/browser.js';
import { DESKTOP, openStaffPage } from '../support/staffPage.js';

const skip = browserSkipReason();

const shownIds = (page: Page) => page.locator('table[data-list=sessions] tbody tr[data-tx]').evaluateAll(
  (rows) => rows.map((r) => Number(r.getAttribute('data-tx'))));
const showsIds = (page: Page, what: string, expected: number[]) =>
  waitForRead(what, () => shownIds(page), (ids) => JSON.stringify(ids) === JSON.stringify(expected));

async function session(cp: ChargePoint, idTag: string, meterStop: number): Promise<number> {
  const { transactionId } = await cp.call('StartTransaction', { connectorId: 1, idTag, meterStart: 0, timestamp: isoNow() });
  await cp.call('StopTransaction', { transactionId, meterStop, timestamp: isoNow() });
  return transactionId;
}

test('Sessions show 50 at a time; Show more appends the next page in the chosen order, and live reloads keep it', { skip, timeout: 180_000 }, async () => {
  await using site = await startTestSite({ 'ocpp.heartbeatIntervalSec': 60 });
  site.addIdTag('TAG-P');
  site.addIdTag('TAG-Q');
  const p = await site.connectCharger('CP-P');
  const q = await site.connectCharger('CP-Q');
  // 105 sessions on CP-P with distinct energies in an order unlike their ids (37 is coprime with 105),
  // 5 on CP-Q: 110 in all, more than two pages.
  const energyOf = new Map<number, number>();
  for (let i = 0; i < 105; i++) {
    const wh = ((i * 37) % 105 + 1) * 10;
    energyOf.set(await session(p, 'TAG-P', wh), wh);
  }
  const qIds: number[] = [];
  for (let i = 0; i < 5; i++) qIds.push(await session(q, 'TAG-Q', 1 + i));
  const pIds = [...energyOf.keys()];
  const all = [...pIds, ...qIds].sort((a, b) => a - b);

  await using browser = await launchBrowser();
  // Phone: oldest first, picked in the Sort by select; two pages, then a pushed start beyond them.
  const { page, problems } = await openStaffPage(site, browser, '/transactions', { viewport: PHONE });
  const count = page.getByTestId('tx-count');
  const more = page.getByRole('button', { name: 'Show more sessions' });
  await showsIds(page, 'the newest 50', all.slice(-50).reverse());
  await waitForText(count, '50 of 110 sessions shown');
  await page.getByLabel('Sort by').selectOption('id');
  await page.waitForURL(/\/transactions\?sort=id$/);
  await showsIds(page, 'the oldest 50', all.slice(0, 50));
  await more.click();
  await showsIds(page, 'the oldest 100 after Show more', all.slice(0, 100));
  await waitForText(count, '100 of 110 sessions shown');
  // A session starting is pushed and reloads the list: the 100 rows stay (not back to one page) and the
  // count takes in the new one, which sorts after them.
  const { transactionId: running } = await q.call('StartTransaction', { connectorId: 1, idTag: 'TAG-Q', meterStart: 0, timestamp: isoNow() });
  await waitForText(count, '100 of 111 sessions shown');
  assert.deepEqual(await shownIds(page), all.slice(0, 100), 'the rows paged down to are still shown after the live reload');
  await more.click();
  const ids = await showsIds(page, 'every session, oldest first', [...all, running]);
  assert.equal(new Set(ids).size, ids.length, 'no session twice');
  assert.equal(await more.count(), 0, 'no button once every session is shown');
  assert.equal(await count.count(), 0);
  assert.match(page.url(), /sort=id$/, 'the sort stayed in the address');
  await page.screenshot({ path: artifactPath('sessions-show-more-phone.png') });

  // Desktop: CP-P only, sorted by energy from the column header; each page continues the order.
  await page.setViewportSize(DESKTOP);
  await page.goto(`${site.baseUrl}/transactions?charger=CP-P`);
  await showsIds(page, 'the newest 50 sessions of CP-P', pIds.slice(-50).reverse());
  await page.locator('table[data-list=sessions] button[data-sort=energy]').click();
  await page.waitForURL(/charger=CP-P&sort=-energy$/);
  const byEnergy = [...pIds].sort((a, b) => energyOf.get(b)! - energyOf.get(a)!);
  await showsIds(page, 'the 50 sessions of CP-P with the most energy', byEnergy.slice(0, 50));
  await waitForText(count, '50 of 105 sessions shown');
  await more.click();
  await showsIds(page, 'the next 50 by energy', byEnergy.slice(0, 100));
  await page.screenshot({ path: artifactPath('sessions-show-more-desktop.png') });
  await more.click();
  const energyIds = await showsIds(page, 'all of CP-P by energy', byEnergy);
  assert.equal(new Set(energyIds).size, 105, 'no session twice');
  assert.equal(await more.count(), 0);
  assert.match(page.url(), /charger=CP-P&sort=-energy$/, 'the filter and the sort kept');
  assert.deepEqual(problems, []);
});
