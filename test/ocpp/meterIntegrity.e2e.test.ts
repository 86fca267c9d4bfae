// Meter integrity (issue 14): the energy billed comes from the register readings, and anything odd about them
// is flagged on the session with why, never billed as 0 or as the meter's lifetime total silently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, isoNow } from '../support/testSite.js';
import { addTariff, addUser, topUp, walletState } from '../support/wallets.js';

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const reading = (timestamp: string, wh: number) => ({ timestamp, sampledValue: [{ value: String(wh), measurand: 'Energy.Active.Import.Register' as const, unit: 'Wh' as const }] });

async function paidDriver(site: Awaited<ReturnType<typeof startTestSite>>, idTag: string) {
  await addTariff(site, { isDefault: true, pricePerKwh: 30 });
  const userId = addUser(site, idTag);
  site.addIdTag(idTag, { userId });
  await topUp(site, userId, 100_000);
  return userId;
}

// A charger that cannot read its register at start sends 0, then its lifetime total
// (https://github.com/citrineos/citrineos-core/pull/1060): billing the difference charged a whole odometer.
test('meterStart 0 as a placeholder, then the absolute register: billed from the readings, flagged, never the lifetime total', async () => {
  await using site = await startTestSite();
  const userId = await paidDriver(site, 'TAG-ODO');
  const cp = await site.connectCharger('CP-ODO');
  const { transactionId } = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-ODO', meterStart: 0, timestamp: minutesAgo(60) });
  await cp.call('MeterValues', { connectorId: 1, transactionId, meterValue: [reading(minutesAgo(59), 909_948)] });
  await cp.call('MeterValues', { connectorId: 1, transactionId, meterValue: [reading(minutesAgo(30), 914_948)] });
  await cp.call('StopTransaction', { transactionId, meterStop: 919_948, timestamp: isoNow() });
  const tx = site.domain.transactions.byId(transactionId)!;
  assert.equal(tx.energyWh, 10_000, '10 kWh delivered, not 919.948 kWh');
  assert.equal(tx.costAmount, 300);
  assert.equal(walletState(site, userId).balance, 100_000 - 300);
  const { body } = await site.api(`/api/admin/transactions/${transactionId}`);
  assert.deepEqual(body.transaction.flags.map((f: { code: string }) => f.code), ['meter_jump']);
  assert.match(body.transaction.flags[0].reason, /placeholder/);
});

// Chargers whose meter restarts from zero on reboot (https://github.com/ChargeTimeEU/Java-OCA-OCPP/issues/331:
// "charge points out there that reset the meter to 0 kWh on each reboot"): meterStop is below meterStart.
test('a meter reset during the session (reboot): meterStop below meterStart bills what the readings show and flags it', async () => {
  await using site = await startTestSite();
  await paidDriver(site, 'TAG-RESET');
  const cp = await site.connectCharger('CP-RESET');
  const { transactionId } = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-RESET', meterStart: 50_000, timestamp: minutesAgo(90) });
  await cp.call('MeterValues', { connectorId: 1, transactionId, meterValue: [reading(minutesAgo(60), 56_000)] });
  await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'X' });
  await cp.call('MeterValues', { connectorId: 1, transactionId, meterValue: [reading(minutesAgo(30), 1_000)] });
  await cp.call('StopTransaction', { transactionId, meterStop: 4_000, timestamp: isoNow(), reason: 'PowerLoss' });
  const tx = site.domain.transactions.byId(transactionId)!;
  assert.equal(tx.energyWh, 6_000 + 4_000, 'before the reset, and from zero after it');
  assert.equal(tx.costAmount, 300);
  assert.match(tx.flags!, /meter_reset/);
});

test('a stop with meterStop 0 and no readings is billed nothing and says so', async () => {
  await using site = await startTestSite();
  await paidDriver(site, 'TAG-ZERO');
  const cp = await site.connectCharger('CP-ZERO');
  const { transactionId } = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-ZERO', meterStart: 7_000, timestamp: minutesAgo(30) });
  await cp.call('StopTransaction', { transactionId, meterStop: 0, timestamp: isoNow() });
  const { body } = await site.api(`/api/admin/transactions/${transactionId}`);
  assert.equal(body.transaction.energyWh, 0);
  assert.deepEqual(body.transaction.flags.map((f: { code: string }) => f.code), ['meter_reset', 'meter_unknown']);
});

test('lastMeterWh follows the newest timestamp: a queued older batch arriving late does not move it back', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-ORDER');
  const cp = await site.connectCharger('CP-ORDER');
  const { transactionId } = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-ORDER', meterStart: 0, timestamp: minutesAgo(30) });
  await cp.call('MeterValues', { connectorId: 1, transactionId, meterValue: [reading(minutesAgo(5), 5_000), reading(minutesAgo(10), 4_000)] });
  assert.equal(site.domain.transactions.byId(transactionId)!.lastMeterWh, 5_000, 'newest in the batch, not the last item');
  await cp.call('MeterValues', { connectorId: 1, transactionId, meterValue: [reading(minutesAgo(20), 2_000)] });
  assert.equal(site.domain.transactions.byId(transactionId)!.lastMeterWh, 5_000, 'an older batch later does not move it back');
});

// Chargers sometimes send MeterValues with transactionId 0 during a session (https://github.com/mobilityhouse/ocpp/issues/478),
// or without one (clock-aligned readings: https://github.com/citrineos/citrineos-core/pull/1025).
test('MeterValues without transactionId, or 0, belong to the one session running on that connector', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-NOID');
  const cp = await site.connectCharger('CP-NOID');
  const { transactionId } = await cp.call('StartTransaction', { connectorId: 2, idTag: 'TAG-NOID', meterStart: 100, timestamp: minutesAgo(30) });
  await cp.call('MeterValues', { connectorId: 2, meterValue: [reading(minutesAgo(20), 1_100)] });
  await cp.call('MeterValues', { connectorId: 2, transactionId: 0, meterValue: [reading(minutesAgo(10), 2_100)] });
  await cp.call('MeterValues', { connectorId: 1, meterValue: [reading(minutesAgo(10), 99_999)] }); // another connector: not this session
  assert.equal(site.count('meter_value', `transaction_id = ${transactionId}`), 2);
  assert.equal(site.domain.transactions.byId(transactionId)!.lastMeterWh, 2_100);
  // They do not count as the charger knowing the id: an identical start is still a retry.
  assert.equal((await cp.call('StartTransaction', { connectorId: 2, idTag: 'TAG-NOID', meterStart: 100, timestamp: site.domain.transactions.byId(transactionId)!.startedAt })).transactionId, transactionId);
});

test('a retried MeterValues (same charger, connector, time and values) is stored once', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-DUP');
  const cp = await site.connectCharger('CP-DUP');
  const { transactionId } = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-DUP', meterStart: 0, timestamp: minutesAgo(30) });
  const at = minutesAgo(10);
  const mv = { connectorId: 1, transactionId, meterValue: [{ timestamp: at, sampledValue: [{ value: '3000' }, { value: '7400', measurand: 'Power.Active.Import' as const }] }] };
  await cp.call('MeterValues', mv);
  await Promise.all([cp.call('MeterValues', mv), cp.call('MeterValues', mv)]);
  assert.equal(site.count('meter_value', `transaction_id = ${transactionId}`), 2);
  // The StopTransaction's transactionData repeating a reading already sent adds nothing either.
  await cp.call('StopTransaction', { transactionId, meterStop: 3500, timestamp: isoNow(), transactionData: [{ timestamp: at, sampledValue: [{ value: '3000' }] }] });
  assert.equal(site.count('meter_value', `transaction_id = ${transactionId}`), 2);
});
