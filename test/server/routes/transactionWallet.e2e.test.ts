// GET /api/admin/transactions/:id carries the session's CHARGE row from the wallet ledger (walletCharge),
// so the page shows what was really debited: null while running, for a tag without a wallet, and
// the ledger row itself once a paid session stops.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isoNow, startTestSite } from '../../support/testSite.js';
import { addTariff, addUser, topUp } from '../../support/wallets.js';

test('a session shows the wallet CHARGE row that paid it, and null when nothing was debited', async () => {
  await using site = await startTestSite(); // tests allow tags without a wallet
  await addTariff(site, { isDefault: true, pricePerKwh: 100 });
  const userId = addUser(site);
  site.addIdTag('TAG-PAYS', { userId });
  site.addIdTag('TAG-NO-WALLET');
  await topUp(site, userId, 1000, 'seed', 'EUR');
  const cp = await site.connectCharger('CP-1');

  const paid = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-PAYS', meterStart: 0, timestamp: isoNow() });
  const running = await site.api(`/api/admin/transactions/${paid.transactionId}`);
  assert.equal(running.status, 200);
  assert.equal(running.body.transaction.walletCharge, null, 'nothing debited while it runs');
  await cp.call('StopTransaction', { transactionId: paid.transactionId, meterStop: 2500, timestamp: isoNow() });
  const stopped = (await site.api(`/api/admin/transactions/${paid.transactionId}`, { token: site.createToken('viewer') })).body.transaction;
  site.domain.uow.commit();
  const row = site.database.sqlite.prepare("SELECT id, wallet_id AS walletId, amount, balance_after AS balanceAfter, created_at AS createdAt FROM wallet_transaction WHERE charging_transaction_id = ? AND type = 'CHARGE'")
    .get(paid.transactionId) as Record<string, unknown>;
  assert.deepEqual(stopped.walletCharge, { ...row, currency: 'EUR' });
  assert.equal(stopped.walletCharge.amount, -250, '2.5 kWh at 100 per kWh');
  assert.equal(stopped.walletCharge.balanceAfter, 750);
  assert.equal(stopped.costAmount, 250);

  const unpaid = await cp.call('StartTransaction', { connectorId: 2, idTag: 'TAG-NO-WALLET', meterStart: 0, timestamp: isoNow() });
  await cp.call('StopTransaction', { transactionId: unpaid.transactionId, meterStop: 1000, timestamp: isoNow() });
  const free = (await site.api(`/api/admin/transactions/${unpaid.transactionId}`)).body.transaction;
  assert.ok(free.costAmount > 0, `priced (${free.costAmount}) but no wallet to pay it`);
  assert.equal(free.walletCharge, null);
});
