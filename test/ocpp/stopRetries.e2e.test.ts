// A charger that lost our reply sends the same StopTransaction again: nothing it carries may be stored twice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, isoNow } from '../support/testSite.js';

const reading = (wh: number) => ({ timestamp: isoNow(), sampledValue: [{ value: String(wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] });

test('a retried stop stores its transactionData meter readings once', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-M');
  const cp = await site.connectCharger('CP-METER');
  const { transactionId } = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-M', meterStart: 0, timestamp: isoNow() });
  const stop = { transactionId, meterStop: 3000, timestamp: isoNow(), transactionData: [reading(1000), reading(2000), reading(3000)] };
  await cp.call('StopTransaction', stop);
  assert.equal(site.count('meter_value', `transaction_id = ${transactionId}`), 3);
  await cp.call('StopTransaction', stop);
  await Promise.all([cp.call('StopTransaction', stop), cp.call('StopTransaction', stop)]);
  assert.equal(site.count('meter_value', `transaction_id = ${transactionId}`), 3, 'retries add no readings');
  assert.equal(site.domain.transactions.byId(transactionId)!.status, 'COMPLETED');
});

test('the stop that completes a session in doubt still stores its readings', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-I');
  site.addIdTag('TAG-J');
  const cp = await site.connectCharger('CP-INT');
  const { transactionId } = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-I', meterStart: 0, timestamp: isoNow() });
  await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-J', meterStart: 2000, timestamp: isoNow() }); // evidence its stop was missed
  assert.equal(site.domain.transactions.byId(transactionId)!.status, 'INTERRUPTED');
  const stop = { transactionId, meterStop: 2000, timestamp: isoNow(), reason: 'PowerLoss', transactionData: [reading(1000), reading(2000)] };
  await cp.call('StopTransaction', stop);
  await cp.call('StopTransaction', stop);
  assert.equal(site.count('meter_value', `transaction_id = ${transactionId}`), 2);
});
