// The Sessions page's Payment filter: "Unpaid" lists only sessions whose cost no wallet was charged for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, isoNow } from '../support/testSite.js';
import { addTariff, addUser, topUp } from '../support/wallets.js';
import { browserSkipReason, launchBrowser, PHONE, submitLogin, watchProblems } from '../support/browser.js';

const skip = browserSkipReason();

test('the Sessions page filters unpaid sessions and marks them', { skip, timeout: 120_000 }, async () => {
  await using site = await startTestSite();
  await site.domain.adminUsers.create({ username: 'staff', password: 'correct horse battery', role: 'viewer' });
  await addTariff(site, { isDefault: true, pricePerKwh: 30 });
  const payer = addUser(site);
  await topUp(site, payer, 10_000);
  site.addIdTag('PAYER', { userId: payer });
  site.addIdTag('NO-USER');
  const cp = await site.connectCharger('CP-1');
  const ids: number[] = [];
  for (const [connectorId, idTag] of [[1, 'PAYER'], [2, 'NO-USER']] as const) {
    const { transactionId } = await cp.call('StartTransaction', { connectorId, idTag, meterStart: 0, timestamp: isoNow() });
    await cp.call('StopTransaction', { transactionId, meterStop: 1000, timestamp: isoNow() });
    ids.push(transactionId);
  }
  const [paid, unpaid] = ids as [number, number];

  await using browser = await launchBrowser();
  const page = await browser.newPage({ viewport: PHONE });
  const problems = watchProblems(page);
  await page.goto(`${site.baseUrl}/transactions`);
  await submitLogin(page, 'staff', 'correct horse battery');
  await page.locator(`tr[data-tx="${paid}"]`).waitFor();
  await page.locator(`tr[data-tx="${unpaid}"] .badge`, { hasText: 'unpaid' }).waitFor();
  assert.equal(await page.locator(`tr[data-tx="${paid}"] .badge`, { hasText: 'unpaid' }).count(), 0, 'a paid session is not marked');

  await page.selectOption('select[name=unpaid]', 'true');
  await page.click('form.inline button[type=submit]');
  await page.waitForURL(/unpaid=true/);
  await page.locator(`tr[data-tx="${paid}"]`).waitFor({ state: 'detached' });
  assert.deepEqual(await page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-tx'))), [String(unpaid)]);
  assert.deepEqual(problems, []);
});
