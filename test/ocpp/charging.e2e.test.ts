import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, isoNow, type TestSite } from '../support/testSite.js';
import { addTariff, addUser, topUp, walletState } from '../support/wallets.js';
import { ChargePoint } from '../../src/sim/chargePoint.js';

/** A driver with a topped-up wallet and an idTag. */
async function driver(site: TestSite, idTag: string, balance = 10_000): Promise<number> {
  const userId = addUser(site, idTag);
  site.addIdTag(idTag, { userId });
  await topUp(site, userId, balance);
  return userId;
}

const at = (iso: string, plusSeconds: number) => new Date(Date.parse(iso) + plusSeconds * 1000).toISOString();

test('a completed session is priced from its start-time tariff and debited once, with ledger and outbox rows', async () => {
  await using site = await startTestSite();
  const tariffId = await addTariff(site, { isDefault: true, pricePerKwh: 30, sessionFee: 50, pricePerMinute: 2, taxPercent: 19 });
  const userId = await driver(site, 'TAG-1');
  const cp = await site.connectCharger('CP-1');
  const t0 = '2024-05-01T10:00:00.000Z';
  const s = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 1000, timestamp: t0 });
  const running = site.domain.transactions.byId(s.transactionId)!;
  assert.equal(running.tariffId, tariffId);
  assert.equal(running.currency, 'EUR');
  assert.equal(JSON.parse(running.tariffSnapshot!).pricePerKwh, 30);
  // The operator raises the price during the session: this session keeps its price.
  await site.api(`/api/admin/tariffs/${tariffId}`, { method: 'PUT', body: { pricePerKwh: 99, sessionFee: 0 } });
  const stop = await cp.call('StopTransaction', { transactionId: s.transactionId, meterStop: 12_000, timestamp: at(t0, 30 * 60), idTag: 'TAG-1' });
  assert.equal(stop.idTagInfo.status, 'Accepted');
  // 11 kWh × 30 = 330, + 50 session fee, + 30 min × 2 = 60 -> net 440; × 1.19 = 523.6 -> 524
  const done = site.domain.transactions.byId(s.transactionId)!;
  assert.equal(done.costAmount, 524);
  assert.deepEqual(walletState(site, userId), { balance: 10_000 - 524, ledgerSum: 10_000 - 524, charges: 1 });
  const charge = site.domain.wallets.chargeOf(s.transactionId)!;
  assert.equal(charge.amount, -524);
  assert.equal(charge.balanceAfter, 10_000 - 524);
  const outbox = site.database.sqlite.prepare("SELECT payload FROM outbox WHERE topic = 'wallet-charges' ORDER BY seq").all() as Array<{ payload: string }>;
  const charged = outbox.map((r) => JSON.parse(r.payload)).filter((p) => p.type === 'CHARGE');
  assert.equal(charged.length, 1);
  assert.deepEqual({ amount: charged[0].amount, tx: charged[0].chargingTransactionId, currency: charged[0].currency, after: charged[0].balanceAfter },
    { amount: -524, tx: s.transactionId, currency: 'EUR', after: 10_000 - 524 });
});

test('a retried StopTransaction, sequential or sent twice without waiting, charges once', async () => {
  await using site = await startTestSite();
  await addTariff(site, { isDefault: true, pricePerKwh: 40 });
  const userId = await driver(site, 'TAG-1');
  const cp = await site.connectCharger('CP-1');
  const s = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 0, timestamp: isoNow() });
  const stop = { transactionId: s.transactionId, meterStop: 5000, timestamp: isoNow(), idTag: 'TAG-1' };
  const replies = await Promise.all([cp.call('StopTransaction', stop), cp.call('StopTransaction', stop), cp.call('StopTransaction', stop)]);
  assert.ok(replies.every((r) => r.idTagInfo.status === 'Accepted'));
  await cp.call('StopTransaction', stop); // and once more after the others were answered
  assert.deepEqual(walletState(site, userId), { balance: 10_000 - 200, ledgerSum: 10_000 - 200, charges: 1 });
  assert.equal(site.count('wallet_transaction', `charging_transaction_id = ${s.transactionId}`), 1);
  assert.equal(site.count('outbox', "topic = 'wallet-charges' AND payload LIKE '%\"CHARGE\"%'"), 1);
});

test('the stop sent on a dropped connection and again on the new one charges once', async () => {
  await using site = await startTestSite();
  await addTariff(site, { isDefault: true, pricePerKwh: 40 });
  const userId = await driver(site, 'TAG-1');
  const old = await site.connectCharger('CP-1');
  const s = await old.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 0, timestamp: isoNow() });
  const stop = { transactionId: s.transactionId, meterStop: 2500, timestamp: isoNow() };
  // The charger sends the stop, loses the link before the reply and reconnects: both copies race.
  const lost = old.call('StopTransaction', stop).catch(() => 'no reply');
  const fresh = await ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-1' });
  try {
    await fresh.call('StopTransaction', stop);
    await lost;
  } finally {
    await fresh.close();
  }
  assert.deepEqual(walletState(site, userId), { balance: 10_000 - 100, ledgerSum: 10_000 - 100, charges: 1 });
});

test('two chargers stopping sessions of one wallet at the same moment: both charged, ledger consistent', async () => {
  await using site = await startTestSite();
  await addTariff(site, { isDefault: true, pricePerKwh: 10 });
  const userId = addUser(site);
  site.addIdTag('CARD', { userId });
  site.addIdTag('APP', { userId });
  await topUp(site, userId, 1000);
  const cps = await Promise.all(['CP-A', 'CP-B', 'CP-C'].map((id) => site.connectCharger(id)));
  const [a, b] = cps as [ChargePoint, ChargePoint];
  const sa = await a.call('StartTransaction', { connectorId: 1, idTag: 'CARD', meterStart: 0, timestamp: isoNow() });
  const sb = await b.call('StartTransaction', { connectorId: 1, idTag: 'APP', meterStart: 0, timestamp: isoNow() });
  const stopA = { transactionId: sa.transactionId, meterStop: 30_000, timestamp: isoNow() };
  const stopB = { transactionId: sb.transactionId, meterStop: 70_000, timestamp: isoNow() };
  await Promise.all([a.call('StopTransaction', stopA), b.call('StopTransaction', stopB), a.call('StopTransaction', stopA), b.call('StopTransaction', stopB)]);
  // 300 + 700: exactly the two sessions, balance_after a running total.
  assert.deepEqual(walletState(site, userId), { balance: 0, ledgerSum: 0, charges: 2 });
  const ledger = site.domain.wallets.ledger(site.domain.wallets.forUser(userId)!.id);
  let running = 0;
  for (const e of [...ledger].reverse()) { running += e.amount; assert.equal(e.balanceAfter, running); }
});

test('a session running through a reboot is charged once by its later stop, retries included', async () => {
  await using site = await startTestSite();
  await addTariff(site, { isDefault: true, pricePerKwh: 25 });
  const userId = await driver(site, 'TAG-1');
  const cp = await site.connectCharger('CP-1');
  const s = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 100, timestamp: isoNow() });
  await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'X' });
  assert.equal(site.domain.transactions.byId(s.transactionId)!.status, 'RUNNING', 'a boot is not the end of a session');
  assert.equal(walletState(site, userId).charges, 0, 'a reboot charges nothing');
  const stop = { transactionId: s.transactionId, meterStop: 8100, timestamp: isoNow(), reason: 'PowerLoss' };
  await cp.call('StopTransaction', stop);
  await cp.call('StopTransaction', stop);
  assert.equal(site.domain.transactions.byId(s.transactionId)!.costAmount, 200);
  assert.deepEqual(walletState(site, userId), { balance: 10_000 - 200, ledgerSum: 10_000 - 200, charges: 1 });
});

test('a session interrupted by a new start on its connector is charged once when its stop arrives late', async () => {
  await using site = await startTestSite();
  await addTariff(site, { isDefault: true, pricePerKwh: 25 });
  const userId = await driver(site, 'TAG-1');
  site.addIdTag('TAG-2');
  const cp = await site.connectCharger('CP-1');
  const first = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 0, timestamp: isoNow() });
  await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-2', meterStart: 4000, timestamp: isoNow() });
  assert.equal(site.domain.transactions.byId(first.transactionId)!.status, 'INTERRUPTED');
  await cp.call('StopTransaction', { transactionId: first.transactionId, meterStop: 4000, timestamp: isoNow() });
  await cp.call('StopTransaction', { transactionId: first.transactionId, meterStop: 4000, timestamp: isoNow() });
  assert.deepEqual(walletState(site, userId), { balance: 10_000 - 100, ledgerSum: 10_000 - 100, charges: 1 });
});

test('a balance goes negative only by the session\'s own cost, and shows it', async () => {
  await using site = await startTestSite();
  await addTariff(site, { isDefault: true, pricePerKwh: 100 });
  const userId = await driver(site, 'TAG-1', 300);
  const cp = await site.connectCharger('CP-1');
  const s = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 0, timestamp: isoNow() });
  const stop = await cp.call('StopTransaction', { transactionId: s.transactionId, meterStop: 5000, timestamp: isoNow(), idTag: 'TAG-1' });
  assert.equal(stop.idTagInfo.status, 'Blocked', 'the charger learns the tag cannot start again');
  assert.deepEqual(walletState(site, userId), { balance: -200, ledgerSum: -200, charges: 1 });
  const { body } = await site.api(`/api/admin/users/${userId}/wallet`);
  assert.equal(body.wallet.balance, -200);
  assert.equal(body.ledger[0].type, 'CHARGE');
  // An operator cannot push it further down by hand.
  const adj = await site.api(`/api/admin/users/${userId}/wallet/adjustment`, { body: { amount: -1, description: 'fee', idempotencyKey: 'a1' } });
  assert.equal(adj.status, 409);
  assert.equal(adj.body.error.code, 'insufficient_balance');
});

test('idle time (SuspendedEV) is billed at the idle fee, the rest at the charging-time fee', async () => {
  await using site = await startTestSite();
  await addTariff(site, { isDefault: true, pricePerKwh: 0, pricePerMinute: 1, idleFeePerMinute: 10 });
  const userId = await driver(site, 'TAG-1');
  const cp = await site.connectCharger('CP-1');
  const t0 = new Date(Date.now() - 3600_000).toISOString();
  const s = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 0, timestamp: t0 });
  const status = (st: string, seconds: number) => cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: st, timestamp: at(t0, seconds) });
  await status('Charging', 1);
  await status('SuspendedEV', 20 * 60);
  await status('Charging', 30 * 60);
  await status('SuspendedEVSE', 50 * 60);
  await cp.call('StopTransaction', { transactionId: s.transactionId, meterStop: 1000, timestamp: at(t0, 60 * 60) });
  // 60 min: idle 10 + 10 = 20 min × 10 = 200; charging 40 min × 1 = 40
  assert.equal(site.domain.transactions.byId(s.transactionId)!.costAmount, 240);
  assert.equal(walletState(site, userId).balance, 10_000 - 240);
});

test('a refused start that delivered nothing costs nothing; a session without any tariff is free', async () => {
  await using site = await startTestSite({ 'ocpp.minBalanceToStart': 100 });
  const userId = await driver(site, 'TAG-1', 50);
  const cp = await site.connectCharger('CP-1');
  const free = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 0, timestamp: isoNow() });
  assert.equal(free.idTagInfo.status, 'Blocked');
  await addTariff(site, { isDefault: true, sessionFee: 500, pricePerKwh: 10 });
  await cp.call('StopTransaction', { transactionId: free.transactionId, meterStop: 3000, timestamp: isoNow(), reason: 'DeAuthorized' });
  assert.equal(site.domain.transactions.byId(free.transactionId)!.costAmount, null, 'started with no tariff');
  const refused = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 3000, timestamp: isoNow() });
  assert.equal(refused.idTagInfo.status, 'Blocked');
  await cp.call('StopTransaction', { transactionId: refused.transactionId, meterStop: 3000, timestamp: isoNow(), reason: 'DeAuthorized' });
  assert.equal(site.domain.transactions.byId(refused.transactionId)!.costAmount, 0);
  assert.deepEqual(walletState(site, userId), { balance: 50, ledgerSum: 50, charges: 0 });
});
