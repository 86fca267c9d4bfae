// A StopTransaction for a transaction the site never saw (ORPHAN_STOP) is kept for review, once per stop:
// a charger that lost our reply sends it again and must not create a second row or a second event.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, isoNow } from '../support/testSite.js';

const reading = (wh: number) => ({ timestamp: isoNow(), sampledValue: [{ value: String(wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] });

test('a retried stop for a transaction the site never saw is kept once: one ORPHAN_STOP row, one outbox event, same answer', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-O');
  const cp = await site.connectCharger('CP-ORPHAN');
  const other = await site.connectCharger('CP-OTHER');
  const stop = { transactionId: 9999, meterStop: 4200, timestamp: isoNow(), idTag: 'TAG-O', reason: 'PowerLoss', transactionData: [reading(4100), reading(4200)] };
  const first = await cp.call('StopTransaction', stop);
  const second = await cp.call('StopTransaction', stop);
  const raced = await Promise.all([cp.call('StopTransaction', stop), cp.call('StopTransaction', stop)]);
  for (const r of [second, ...raced]) assert.deepEqual(r, first, 'every retry gets the first answer');

  const chargerId = site.domain.chargers.byChargePointId('CP-ORPHAN')!.id;
  assert.equal(site.count('transaction', `status = 'ORPHAN_STOP' AND reported_transaction_id = 9999`), 1);
  assert.equal(site.count('outbox', `topic = 'transactions' AND payload LIKE '%"orphan-stop"%'`), 1);
  assert.equal(site.count('meter_value', `charger_id = ${chargerId}`), 2, 'its transactionData stored once');

  // Not the same stop: another meterStop from this charger, or the same id from another charger, is a new orphan.
  await cp.call('StopTransaction', { ...stop, meterStop: 5000, transactionData: undefined });
  await other.call('StopTransaction', { ...stop, transactionData: undefined });
  assert.equal(site.count('transaction', `status = 'ORPHAN_STOP' AND reported_transaction_id = 9999`), 3);
  assert.equal(site.count('outbox', `topic = 'transactions' AND payload LIKE '%"orphan-stop"%'`), 3);
});
