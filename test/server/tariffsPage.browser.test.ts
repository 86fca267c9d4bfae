// The Tariffs page and the wallet's money moves in Chromium against the real server, at phone and desktop
// width: staff create a tariff, change a price (asked first, saying what changes for how many chargers;
// Cancel changes nothing), give a charger its own tariff, and top up and correct a wallet, where the balance
// moves only after "Yes"; on a charger's page, a station change that brings another tariff and a cap on a
// charging session are asked too. Issue 16: "confirmations for everything that stops charging or changes money".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startTestSite, type TestSite } from '../support/testSite.js';
import { artifactPath, browserSkipReason, launchBrowser, PHONE, submitLogin, waitForText, watchProblems } from '../support/browser.js';

const skip = browserSkipReason();
const DESKTOP = { width: 1280, height: 900 };

async function site(): Promise<{ site: TestSite; standardId: number }> {
  const s = await startTestSite();
  await s.domain.adminUsers.create({ username: 'staff', password: 'correct horse battery', role: 'admin' });
  const standard = await s.api('/api/admin/tariffs', { body: { name: 'Standard', currency: 'EUR', pricePerKwh: 30, isDefault: true } });
  assert.equal(standard.status, 201);
  for (const id of ['CP-A', 'CP-B', 'CP-C']) await s.addCharger(id);
  const station = (await s.api('/api/admin/stations', { body: { name: 'Car park' } })).body.station;
  assert.equal((await s.api('/api/admin/chargers/CP-C', { method: 'PUT', body: { stationId: station.id } })).status, 200);
  return { site: s, standardId: standard.body.tariff.id };
}

const tariffOf = async (s: TestSite, id: number) => (await s.api(`/api/admin/tariffs/${id}`)).body.tariff;
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

for (const [width, viewport] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
  test(`Tariffs page (${width}): create, change a price with a confirmation, give a charger a tariff`, { skip, timeout: 120_000 }, async () => {
    const { site: s, standardId } = await site();
    await using _ = s;
    await using browser = await launchBrowser();
    const page = await browser.newPage({ viewport });
    const problems = watchProblems(page);
    await page.goto(`${s.baseUrl}/tariffs`);
    await submitLogin(page, 'staff', 'correct horse battery');

    const standard = page.locator(`[data-tariff="${standardId}"]`);
    await waitForText(standard.locator('[data-testid=prices]'), '0.30 EUR per kWh\nno tax added');
    await waitForText(standard.locator('[data-testid=used-by]'), 'Prices new sessions on 3 chargers: CP-A, CP-B, CP-C');
    await standard.locator('[data-testid=default]', { hasText: 'Default' }).waitFor();

    // Create "Evening": not the default, so it moves no money yet and is not asked.
    const create = page.locator('[data-testid=new-tariff]');
    await create.locator('input[name=name]').fill('Evening');
    assert.equal(await create.locator('input[name=currency]').inputValue(), 'EUR', 'the site currency is filled in');
    await create.locator('input[name=pricePerKwh]').fill('0,40');
    await create.locator('input[name=sessionFee]').fill('1');
    await create.locator('input[name=taxPercent]').fill('21');
    await create.locator('button[type=submit]').click();
    const evening = page.locator('[data-tariff]', { has: page.locator('h2', { hasText: 'Evening' }) });
    await waitForText(evening.locator('[data-testid=prices]'), '0.40 EUR per kWh\n1.00 EUR per session\nplus 21 % tax');
    await waitForText(evening.locator('[data-testid=used-by]'), 'No charger uses it now.');
    const eveningRow = (await s.api('/api/admin/tariffs')).body.tariffs.find((t: { name: string }) => t.name === 'Evening');
    assert.deepEqual([eveningRow.pricePerKwh, eveningRow.sessionFee, eveningRow.taxPercent, eveningRow.currency, eveningRow.isDefault], [40, 100, 21, 'EUR', false]);

    // A price that is not one is refused in words, and nothing is sent.
    await standard.locator('summary', { hasText: 'Change prices' }).click();
    const edit = page.locator(`[data-testid=edit-tariff-${standardId}]`);
    await edit.locator('input[name=pricePerKwh]').fill('0.3.5');
    await edit.locator('button[type=submit]').click();
    await waitForText(edit.locator('.error'), 'Price per kWh: "0.3.5" is not a price. Write it like 0.35 (at most two decimals).');

    // Change the price: asked first, with what changes and for how many chargers. Cancel changes nothing.
    await edit.locator('input[name=pricePerKwh]').fill('0.35');
    await edit.locator('button[type=submit]').click();
    await waitForText(edit.locator('.confirm > span').first(),
      'Price per kWh 0.30 EUR → 0.35 EUR, for new sessions on 3 chargers? Sessions already started keep their price.');
    if (width === 'phone') await page.screenshot({ path: artifactPath('tariffs-confirm-phone.png'), fullPage: true });
    await edit.locator('button', { hasText: 'Cancel' }).click();
    await edit.locator('.confirm').waitFor({ state: 'detached' });
    assert.equal((await tariffOf(s, standardId)).pricePerKwh, 30, 'cancelled: the price is as it was');
    await waitForText(standard.locator('[data-testid=prices]'), '0.30 EUR per kWh\nno tax added');

    await edit.locator('button[type=submit]').click();
    await edit.locator('button', { hasText: 'Yes, change prices' }).click();
    await waitForText(standard.locator('[data-testid=prices]'), '0.35 EUR per kWh\nno tax added');
    assert.equal((await tariffOf(s, standardId)).pricePerKwh, 35);

    // Give CP-B its own tariff: asked with the old and new price, then the page and the server agree.
    const row = page.locator('tr[data-charger="CP-B"]');
    await waitForText(row.locator('[data-testid=priced-by]'), 'Standard (the default)');
    await row.locator('select[name=tariffId]').selectOption({ label: 'Evening' });
    await row.locator('button[type=submit]').click();
    await waitForText(row.locator('.confirm > span').first(),
      'New sessions on CP-B are then priced by Evening (0.40 EUR per kWh) instead of Standard (0.35 EUR per kWh)?');
    await row.locator('button', { hasText: 'Yes, set tariff' }).click();
    await waitForText(row.locator('[data-testid=priced-by]'), 'Evening (its own)');
    const answer = (await s.api('/api/admin/chargers/CP-B/tariff')).body;
    assert.deepEqual([answer.tariffId, answer.effective.tariff.name, answer.effective.source], [eveningRow.id, 'Evening', 'charger']);
    await waitForText(standard.locator('[data-testid=used-by]'), 'Prices new sessions on 2 chargers: CP-A, CP-C');
    await waitForText(evening.locator('[data-testid=used-by]'), 'Prices new sessions on 1 charger: CP-B');

    // Give the station a tariff: CP-C (no tariff of its own) follows it.
    const stationRow = page.locator('[data-testid=station-tariffs] tr', { hasText: 'Car park' });
    await stationRow.locator('select[name=tariffId]').selectOption({ label: 'Evening' });
    await stationRow.locator('button[type=submit]').click();
    await waitForText(stationRow.locator('.confirm > span').first(),
      'New sessions on chargers of Car park without their own tariff are then priced by Evening (0.40 EUR per kWh) instead of Standard (0.35 EUR per kWh)?');
    await stationRow.locator('button', { hasText: 'Yes, set tariff' }).click();
    await waitForText(page.locator('tr[data-charger="CP-C"] [data-testid=priced-by]'), "Evening (its station's)");
    await waitForText(evening.locator('[data-testid=used-by]'), 'Prices new sessions on 2 chargers: CP-B, CP-C\nStation tariff of Car park.');
    assert.equal((await s.api('/api/admin/chargers/CP-C/tariff')).body.effective.source, 'station');

    // A tariff that chargers use cannot be deleted: said in words, and it stays.
    await evening.locator('summary', { hasText: 'Change prices' }).click();
    await evening.locator('button', { hasText: 'Delete tariff' }).click();
    await evening.locator('button', { hasText: 'Yes, delete tariff' }).click();
    await waitForText(evening.locator('.action .error'), 'Chargers or stations use this tariff. Give them another tariff first.');
    assert.equal((await s.api(`/api/admin/tariffs/${eveningRow.id}`)).status, 200);

    assert.ok(await overflow(page) <= 0, `the page is ${await overflow(page)} px wider than the screen`);
    await page.screenshot({ path: artifactPath(`tariffs-${width}.png`), fullPage: true });

    // The charger's own page says which tariff prices it.
    await row.locator('a', { hasText: 'CP-B' }).click();
    await waitForText(page.locator('[data-testid=tariff]'), 'Evening (its own), 0.40 EUR per kWh Tariffs');

    // Moving a charging CP-A into Car park and capping it: asked with the new price and the cap, Cancel keeps both.
    s.addIdTag('TAG-1');
    const cp = await s.connectCharger('CP-A');
    await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 0, timestamp: new Date().toISOString() });
    await page.goto(`${s.baseUrl}/chargers/CP-A`);
    await waitForText(page.locator('[data-testid=tariff]'), 'Standard (the default), 0.35 EUR per kWh Tariffs');
    await page.locator('button', { hasText: /^Stop session #\d+$/ }).waitFor(); // the running session has loaded
    await page.locator('[data-section=edit] summary').click();
    const chargerEdit = page.locator('[data-section=edit] form').first();
    await chargerEdit.locator('select[name=stationId]').selectOption({ label: 'Car park' });
    await chargerEdit.locator('input[name=maxCurrentA]').fill('10');
    await chargerEdit.locator('button[type=submit]').click();
    await waitForText(chargerEdit.locator('.confirm > span').first(), 'New sessions here are then priced by Evening (0.40 EUR per kWh) instead of '
      + 'Standard (0.35 EUR per kWh). The session charging now is held to 10 A. Save?');
    await chargerEdit.locator('button', { hasText: 'Cancel' }).click();
    const cpA = async () => (await s.api('/api/admin/chargers/CP-A')).body.charger;
    assert.deepEqual([(await cpA()).stationId, (await cpA()).maxCurrentA], [null, null], 'cancelled: nothing saved');
    await chargerEdit.locator('button[type=submit]').click();
    await waitForText(chargerEdit.locator('.confirm > span').first(), /^New sessions here are then priced by Evening .* held to 10 A\. Save\?$/); // the choices survived Cancel
    await chargerEdit.locator('button', { hasText: 'Yes, save' }).click();
    await waitForText(page.locator('[data-testid=tariff]'), "Evening (its station's), 0.40 EUR per kWh Tariffs");
    assert.equal((await cpA()).maxCurrentA, 10);
    assert.deepEqual(problems, []);
  });

  test(`wallet money moves (${width}): a top-up and a correction change the balance only after "Yes"`, { skip, timeout: 120_000 }, async () => {
    const { site: s } = await site();
    await using _ = s;
    const kim = (await s.api('/api/admin/users', { body: { fullName: 'Kim Driver' } })).body.user;
    await using browser = await launchBrowser();
    const page = await browser.newPage({ viewport });
    const problems = watchProblems(page);
    await page.goto(`${s.baseUrl}/users/${kim.id}`);
    await submitLogin(page, 'staff', 'correct horse battery');
    const balance = page.locator('[data-testid=wallet-balance]');
    await waitForText(balance, '–');

    const topUp = page.locator('[data-testid=top-up]');
    await topUp.locator('input[name=amount]').fill('12.50');
    await topUp.locator('input[name=description]').fill('cash at desk');
    await topUp.locator('button[type=submit]').click();
    await waitForText(topUp.locator('.confirm > span').first(), "Top up Kim Driver's wallet by 12.50 EUR? Balance 0.00 EUR → 12.50 EUR.");
    await topUp.locator('button', { hasText: 'Cancel' }).click();
    await topUp.locator('.confirm').waitFor({ state: 'detached' });
    assert.equal(s.domain.wallets.forUser(kim.id), undefined, 'cancelled: no money moved');
    assert.equal(await balance.innerText(), '–');

    await topUp.locator('button[type=submit]').click();
    await topUp.locator('button', { hasText: 'Yes, top up' }).click();
    await waitForText(balance, '12.50 EUR');
    assert.equal(s.domain.wallets.forUser(kim.id)!.balance, 1250);
    await waitForText(page.locator('[data-testid=ledger] tr', { hasText: 'cash at desk' }).locator('[data-testid=amount]'), '12.50 EUR');

    // A correction takes money out (a minus), asked with the balance after.
    await page.locator('[data-section=wallet-more] summary').click();
    const correct = page.locator('[data-testid=adjustment]');
    await correct.locator('input[name=amount]').fill('-2.50');
    await correct.locator('input[name=description]').fill('double top-up');
    await correct.locator('button[type=submit]').click();
    await waitForText(correct.locator('.confirm > span').first(), "Take 2.50 EUR out of Kim Driver's wallet? Balance 12.50 EUR → 10.00 EUR.");
    assert.equal(s.domain.wallets.forUser(kim.id)!.balance, 1250, 'asked, not yet moved');
    if (width === 'phone') await page.screenshot({ path: artifactPath('wallet-confirm-phone.png'), fullPage: true });
    await correct.locator('button', { hasText: 'Yes, correct balance' }).click();
    await waitForText(balance, '10.00 EUR');
    assert.equal(s.domain.wallets.forUser(kim.id)!.balance, 1000);

    // A refund, asked the same way.
    const refund = page.locator('[data-testid=refund]');
    await refund.locator('input[name=amount]').fill('1');
    await refund.locator('button[type=submit]').click();
    await waitForText(refund.locator('.confirm > span').first(), 'Refund 1.00 EUR to Kim Driver? Balance 10.00 EUR → 11.00 EUR.');
    assert.equal(s.domain.wallets.forUser(kim.id)!.balance, 1000, 'asked, not yet moved');
    await refund.locator('button', { hasText: 'Yes, refund' }).click();
    await waitForText(balance, '11.00 EUR');
    assert.equal(s.domain.wallets.forUser(kim.id)!.balance, 1100);

    assert.ok(await overflow(page) <= 0, `the page is ${await overflow(page)} px wider than the screen`);
    assert.deepEqual(problems, []);
  });
}

test('Tariffs page for a viewer: prices and uses, no way to change them', { skip, timeout: 60_000 }, async () => {
  const { site: s, standardId } = await site();
  await using _ = s;
  await s.domain.adminUsers.create({ username: 'watcher', password: 'another long password', role: 'viewer' });
  await using browser = await launchBrowser();
  const page = await browser.newPage({ viewport: PHONE });
  const problems = watchProblems(page);
  await page.goto(`${s.baseUrl}/tariffs`);
  await submitLogin(page, 'watcher', 'another long password');
  await waitForText(page.locator(`[data-tariff="${standardId}"] [data-testid=prices]`), '0.30 EUR per kWh\nno tax added');
  await waitForText(page.locator('tr[data-charger="CP-C"] [data-testid=priced-by]'), 'Standard (the default)');
  assert.equal(await page.locator('main form').count(), 0, 'no forms for a viewer');
  assert.equal(await page.locator('main button').count(), 0, 'no buttons for a viewer');
  assert.deepEqual(problems, []);
});
