// An operator closes a session whose stop will never come; it is charged once, even if the stop comes after all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, isoNow } from '../../support/testSite.js';
import { addTariff, addUser, topUp, walletState } from '../../support/wallets.js';

test('closing an interrupted session completes it at the last reading and charges the wallet once', async () => {
  await using site = await startTestSite();
  await addTariff(site, { pricePerKwh: 40, isDefault: true });
  const userId = addUser(site);
  await topUp(site, userId, 10_000);
  site.addIdTag('CLOSE-TAG', { userId });
  const cp = await site.connectCharger('CP-CLOSE');
  const { transactionId } = await cp.call('StartTransaction', { connectorId: 1, idTag: 'CLOSE-TAG', meterStart: 1000, timestamp: isoNow() });
  await cp.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: isoNow(), sampledValue: [{ value: '6000' }] }] });
  await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'X' }); // rebooted: INTERRUPTED

  const viewer = site.createToken('viewer');
  assert.equal((await site.api(`/api/admin/transactions/${transactionId}/close`, { body: {}, token: viewer })).status, 403);
  const closed = await site.api(`/api/admin/transactions/${transactionId}/close`, { body: {} });
  assert.equal(closed.status, 200, JSON.stringify(closed.body));
  assert.equal(closed.body.transaction.status, 'COMPLETED');
  assert.equal(closed.body.transaction.energyWh, 5000, 'from meterStart to the last reading');
  assert.equal(closed.body.transaction.costAmount, 200, '5 kWh at 40 per kWh');
  assert.deepEqual(walletState(site, userId), { balance: 9_800, ledgerSum: 9_800, charges: 1 });

  // The charger's own stop turns up after all: nothing changes, nothing is charged again.
  await cp.call('StopTransaction', { transactionId, meterStop: 9000, timestamp: isoNow() });
  assert.equal(site.domain.transactions.byId(transactionId)!.energyWh, 5000);
  assert.deepEqual(walletState(site, userId), { balance: 9_800, ledgerSum: 9_800, charges: 1 });
  const again = await site.api(`/api/admin/transactions/${transactionId}/close`, { body: {} });
  assert.equal(again.status, 409);
});

test('closing takes an explicit meter reading, and refuses one below the start', async () => {
  await using site = await startTestSite();
  site.addIdTag('CLOSE-2');
  const cp = await site.connectCharger('CP-CLOSE-2');
  const { transactionId } = await cp.call('StartTransaction', { connectorId: 1, idTag: 'CLOSE-2', meterStart: 500, timestamp: isoNow() });
  const low = await site.api(`/api/admin/transactions/${transactionId}/close`, { body: { meterStop: 100 } });
  assert.equal(low.status, 400);
  assert.equal(site.domain.transactions.byId(transactionId)!.status, 'RUNNING', 'nothing half-written');
  const ok = await site.api(`/api/admin/transactions/${transactionId}/close`, { body: { meterStop: 2500 } });
  assert.equal(ok.body.transaction.energyWh, 2000);
  assert.equal(ok.body.transaction.stopReason, 'Other');
});
