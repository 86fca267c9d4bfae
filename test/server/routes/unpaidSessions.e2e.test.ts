// Sessions whose cost could not be debited from a wallet (no user, no wallet, another currency) are
// visible: ?unpaid=true on the list and summary, `paid` on every session, and a warning in the log.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/config.js';
import { openDatabase } from '../../../src/db/index.js';
import { createDomain } from '../../../src/domain/index.js';
import { ChargePoint } from '../../../src/sim/chargePoint.js';
import { spawnServer } from '../../support/serverProcess.js';
import { startTestSite, isoNow, type TestSite } from '../../support/testSite.js';
import { addTariff, addUser, topUp } from '../../support/wallets.js';

/** One session of `wh` Wh on its own connector; stopped unless `running`. */
async function session(site: TestSite, cp: ChargePoint, connectorId: number, idTag: string, wh: number, running = false): Promise<number> {
  const { transactionId } = await cp.call('StartTransaction', { connectorId, idTag, meterStart: 0, timestamp: isoNow() });
  if (!running) await cp.call('StopTransaction', { transactionId, meterStop: wh, timestamp: isoNow() });
  return transactionId;
}

test('sessions whose cost was not charged to a wallet are listed with ?unpaid=true and say paid: false', async () => {
  await using site = await startTestSite(); // test sites let tags without a wallet charge
  await addTariff(site, { isDefault: true, currency: 'EUR', pricePerKwh: 30 });
  const payer = addUser(site, 'Payer');
  await topUp(site, payer, 10_000);
  const walletless = addUser(site, 'No wallet');
  const swiss = addUser(site, 'CHF wallet');
  await topUp(site, swiss, 10_000, 'chf', 'CHF');
  site.addIdTag('PAYER', { userId: payer });
  site.addIdTag('NO-USER');
  site.addIdTag('NO-WALLET', { userId: walletless });
  site.addIdTag('CHF', { userId: swiss });
  const unpaidEvents: unknown[] = [];
  site.domain.events.on('transaction.unpaid', (e) => unpaidEvents.push(e));
  const cp = await site.connectCharger('CP-1');

  const paid = await session(site, cp, 1, 'PAYER', 1000);
  const noUser = await session(site, cp, 2, 'NO-USER', 1000);
  const noWallet = await session(site, cp, 3, 'NO-WALLET', 2000);
  const otherCurrency = await session(site, cp, 4, 'CHF', 3000); // refused (Blocked), but the car charged anyway
  const free = await session(site, cp, 5, 'PAYER', 0);
  const running = await session(site, cp, 6, 'NO-USER', 0, true);

  const unpaid = await site.api('/api/admin/transactions?unpaid=true');
  assert.equal(unpaid.status, 200, JSON.stringify(unpaid.body));
  assert.deepEqual(unpaid.body.transactions.map((t: { id: number }) => t.id), [otherCurrency, noWallet, noUser]);
  assert.equal(unpaid.body.total, 3);
  assert.ok(unpaid.body.transactions.every((t: { paid: unknown }) => t.paid === false));
  const rest = await site.api('/api/admin/transactions?unpaid=false');
  assert.deepEqual(rest.body.transactions.map((t: { id: number }) => t.id), [running, free, paid]);
  const owed = await site.api('/api/admin/transactions/summary?unpaid=true');
  assert.equal(owed.body.costAmount, 30 + 60 + 90, 'what the site was not paid');

  const detail = async (id: number) => (await site.api(`/api/admin/transactions/${id}`)).body.transaction.paid;
  assert.equal(await detail(paid), true);
  assert.equal(await detail(noUser), false);
  assert.equal(await detail(noWallet), false);
  assert.equal(await detail(otherCurrency), false);
  assert.equal(await detail(free), null, 'nothing to pay');
  assert.equal(await detail(running), null, 'not finished');

  assert.deepEqual(unpaidEvents, [
    { transactionId: noUser, userId: null, amount: 30, currency: 'EUR', reason: 'no_user' },
    { transactionId: noWallet, userId: walletless, amount: 60, currency: 'EUR', reason: 'no_wallet' },
    { transactionId: otherCurrency, userId: swiss, amount: 90, currency: 'EUR', reason: 'currency_mismatch', walletCurrency: 'CHF' },
  ]);
  const bad = await site.api('/api/admin/transactions?unpaid=maybe');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'invalid_parameter');
});

test('the server logs a warning when a completed session cannot be charged to a wallet', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-unpaid-'));
  try {
    { // Seed before the server owns the file: a tariff and a tag without a user.
      const database = openDatabase(path.join(dataDir, 'ocpp-edge.db'));
      const domain = createDomain(database.db, database.sqlite, loadConfig({ env: {}, overrides: { dataDir } }));
      await domain.chargers.create({ chargePointId: 'CP-LOG' });
      await domain.uow.run(() => domain.tariffs.create({ name: 'Standard', currency: 'EUR', pricePerKwh: 30, isDefault: true }));
      await domain.uow.run(() => domain.idTagRegistry.create({ idTag: 'ANON', status: 'Accepted', kind: 'RFID' }));
      database.sqlite.close();
    }
    await using server = await spawnServer({ dataDir, env: { OCPP_EDGE_OCPP_ALLOW_TAGS_WITHOUT_WALLET: 'true' } });
    const cp = await ChargePoint.connect({ baseUrl: `ws://127.0.0.1:${server.port}/ocpp`, id: 'CP-LOG' });
    try {
      const { transactionId } = await cp.call('StartTransaction', { connectorId: 1, idTag: 'ANON', meterStart: 0, timestamp: isoNow() });
      await cp.call('StopTransaction', { transactionId, meterStop: 2000, timestamp: isoNow() });
      const line = JSON.parse(await server.waitForLog(/not charged to a wallet/, 10_000));
      assert.equal(line.level, 40, 'warn');
      assert.equal(line.transactionId, transactionId);
      assert.equal(line.amount, 60);
      assert.equal(line.reason, 'no_user');
    } finally {
      await cp.close();
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
