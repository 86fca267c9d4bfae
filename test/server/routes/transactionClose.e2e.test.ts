// An operator closes a session whose stop has not come; it is charged once, and if the charger's stop comes after
// all, its figures replace the operator's and the wallet gets the difference once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, isoNow } from '../../support/testSite.js';
import { addTariff, addUser, topUp, walletState } from '../../support/wallets.js';

test('closing a session in doubt completes it at the last reading and charges once; the late real stop corrects it once', async () => {
  await using site = await startTestSite({ 'sessions.doubtAfterIdleSec': 1 });
  await addTariff(site, { pricePerKwh: 40, isDefault: true });
  const userId = addUser(site);
  await topUp(site, userId, 10_000);
  site.addIdTag('CLOSE-TAG', { userId });
  const cp = await site.connectCharger('CP-CLOSE');
  const { transactionId } = await cp.call('StartTransaction', { connectorId: 1, idTag: 'CLOSE-TAG', meterStart: 1000, timestamp: isoNow() });
  await cp.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: isoNow(), sampledValue: [{ value: '6000' }] }] });
  await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' }); // its stop looks lost
  await site.blocks.sessionReview.run(new Date(Date.now() + 2000));
  assert.equal(site.domain.transactions.byId(transactionId)!.status, 'INTERRUPTED');

  const viewer = site.createToken('viewer');
  assert.equal((await site.api(`/api/admin/transactions/${transactionId}/close`, { body: {}, token: viewer })).status, 403);
  const closed = await site.api(`/api/admin/transactions/${transactionId}/close`, { body: {} });
  assert.equal(closed.status, 200, JSON.stringify(closed.body));
  assert.equal(closed.body.transaction.status, 'COMPLETED');
  assert.equal(closed.body.transaction.energyWh, 5000, 'from meterStart to the last reading');
  assert.equal(closed.body.transaction.costAmount, 200, '5 kWh at 40 per kWh');
  assert.deepEqual(walletState(site, userId), { balance: 9_800, ledgerSum: 9_800, charges: 1 });

  // The charger's own stop turns up after all (and again, a retry): its 8 kWh count, the 3 kWh more are charged once.
  const late = { transactionId, meterStop: 9000, timestamp: isoNow() };
  await cp.call('StopTransaction', late);
  await cp.call('StopTransaction', late);
  const corrected = site.domain.transactions.byId(transactionId)!;
  assert.deepEqual([corrected.energyWh, corrected.costAmount, corrected.meterStop], [8000, 320, 9000]);
  assert.deepEqual(walletState(site, userId), { balance: 9_680, ledgerSum: 9_680, charges: 1 });
  assert.equal(site.count('wallet_transaction', `charging_transaction_id = ${transactionId} AND type = 'ADJUSTMENT' AND amount = -120`), 1);
  const flags = (await site.api(`/api/admin/transactions/${transactionId}`)).body.transaction.flags.map((f: { code: string }) => f.code);
  assert.deepEqual(flags, ['in_doubt', 'closed_by_operator', 'corrected_by_charger']);
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
