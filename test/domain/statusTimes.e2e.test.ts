// Connector status times feed the idle-time fee. A charger's leap second (23:59:60, a valid date-time
// Date.parse refuses) made the idle sum NaN, and with it the whole session's time fees 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';
import { addTariff, addUser, topUp } from '../support/wallets.js';

test('a leap-second or offset status time is stored as UTC and the session pays its charging and idle minutes', async () => {
  await using site = await startTestSite();
  await addTariff(site, { isDefault: true, pricePerKwh: 0, sessionFee: 0, pricePerMinute: 60, idleFeePerMinute: 120, taxPercent: 0 });
  const userId = addUser(site, 'Leap');
  site.addIdTag('LEAP', { userId });
  await topUp(site, userId, 100_000);
  const cp = await site.connectCharger('CP-LEAP');
  const s = await cp.call('StartTransaction', { connectorId: 1, idTag: 'LEAP', meterStart: 0, timestamp: '2016-12-31T23:59:00Z' });
  await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'SuspendedEV', timestamp: '2016-12-31T23:59:60Z' });
  await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging', timestamp: '2017-01-01T01:00:30+01:00' });
  await cp.call('StopTransaction', { transactionId: s.transactionId, meterStop: 0, timestamp: '2017-01-01T00:01:00Z' });
  // 120 s in all: 30 s idle (00:00:00 to 00:00:30) at 120/min = 60, 90 s charging at 60/min = 90.
  assert.equal(site.domain.transactions.byId(s.transactionId)!.costAmount, 150);
  const rows = site.database.sqlite.prepare('SELECT timestamp FROM status_history ORDER BY id').all() as Array<{ timestamp: string }>;
  assert.deepEqual(rows.map((r) => r.timestamp), ['2017-01-01T00:00:00.000Z', '2017-01-01T00:00:30.000Z']);
  assert.equal(site.domain.chargers.connectorsOf(site.domain.chargers.byChargePointId('CP-LEAP')!.id)[0]!.statusAt, '2017-01-01T00:00:30.000Z');
});
