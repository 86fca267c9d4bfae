// Session times are stored in UTC whatever offset the charger's clock uses, so the API's from/to filters
// and the dashboard's "today" summary (which compare ISO UTC text) find them; retries still dedupe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';

test('a charger sending +02:00 times: started/stopped stored in UTC, found by time filters, retries deduped', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-TZ');
  const cp = await site.connectCharger('CP-TZ');
  await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'Local clock' });
  const startReq = { connectorId: 1, idTag: 'TAG-TZ', meterStart: 100, timestamp: '2024-05-01T10:00:00+02:00' };
  const start = await cp.call('StartTransaction', startReq);
  assert.equal((await cp.call('StartTransaction', startReq)).transactionId, start.transactionId, 'a retry is the same session');
  const stopReq = { transactionId: start.transactionId, meterStop: 2100, timestamp: '2024-05-01T11:30:00.5+02:00' };
  await cp.call('StopTransaction', stopReq);
  await cp.call('StopTransaction', stopReq);

  const tx = site.domain.transactions.byId(start.transactionId)!;
  assert.equal(tx.startedAt, '2024-05-01T08:00:00.000Z');
  assert.equal(tx.stoppedAt, '2024-05-01T09:30:00.500Z');
  assert.equal(site.count('transaction', `charger_id = ${tx.chargerId}`), 1);

  // 07:30-08:30 UTC holds the start; as raw text '2024-05-01T10:00:00+02:00' sorted after '…08:30…Z'.
  const window = await site.api('/api/admin/transactions?from=2024-05-01T07:30:00Z&to=2024-05-01T08:30:00Z');
  assert.equal(window.status, 200);
  assert.deepEqual(window.body.transactions.map((t: { id: number }) => t.id), [start.transactionId]);
  const after = await site.api('/api/admin/transactions?from=2024-05-01T08:30:00Z');
  assert.deepEqual(after.body.transactions.map((t: { id: number }) => t.id), [], 'started before 08:30 UTC');
  const day = await site.api('/api/admin/transactions/summary?from=2024-05-01T08:00:00.000Z&to=2024-05-01T23:59:59.999Z');
  assert.deepEqual([day.body.sessions, day.body.energyWh], [1, 2000]);
});

test('an orphan stop with an offset time is stored in UTC and deduped on retry', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-TZ2');
  await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'Local clock' });
  const stopReq = { transactionId: 987654, meterStop: 500, timestamp: '2024-05-01T01:00:00-05:00', idTag: 'X' };
  await cp.call('StopTransaction', stopReq);
  await cp.call('StopTransaction', stopReq);
  assert.equal(site.count('transaction', "status = 'ORPHAN_STOP' AND stopped_at = '2024-05-01T06:00:00.000Z' AND started_at = '2024-05-01T06:00:00.000Z'"), 1);
});
