// An ORPHAN_STOP row (a stop for a transaction we never knew) has an id the charger never got. A stop or
// meter values naming that id must not turn the kept record into a session (it became COMPLETED, with
// the new stop's values over the ones kept for review).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, isoNow } from '../support/testSite.js';

test('a StopTransaction or MeterValues naming an ORPHAN_STOP row leaves that row as it was', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-O');
  await cp.call('StopTransaction', { transactionId: 4242, meterStop: 100, timestamp: isoNow(), reason: 'PowerLoss' });
  const orphan = site.database.sqlite.prepare(`SELECT * FROM "transaction" WHERE status = 'ORPHAN_STOP'`).get() as Record<string, unknown>;
  assert.equal(orphan.reported_transaction_id, 4242);

  await cp.call('MeterValues', { connectorId: 1, transactionId: orphan.id, meterValue: [{ timestamp: isoNow(), sampledValue: [{ value: '150' }] }] });
  await cp.call('StopTransaction', { transactionId: orphan.id, meterStop: 200, timestamp: isoNow(), reason: 'Local' });

  assert.deepEqual(site.database.sqlite.prepare('SELECT * FROM "transaction" WHERE id = ?').get(orphan.id), orphan, 'the kept row is unchanged');
  assert.equal(site.count('transaction', `status = 'ORPHAN_STOP' AND reported_transaction_id = ${orphan.id} AND meter_stop = 200`), 1,
    'the second stop is an orphan of its own');
  assert.equal(site.count('transaction', `status = 'COMPLETED'`), 0);
  assert.equal(site.count('meter_value', 'transaction_id IS NOT NULL'), 0, 'meter values are not attached to the orphan record');
  assert.equal(site.count('outbox', `topic = 'transactions' AND payload LIKE '%"completed"%'`), 0);
});
