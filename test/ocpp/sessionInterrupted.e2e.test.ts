// The central office learns when a session is put in doubt (a new start on its connector, its connector idle),
// in the same commit as the change, and later that it was completed; every event valid against schemas/mqtt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, isoNow, type TestSite } from '../support/testSite.js';
import { ContractValidator, envelopeFor } from '../../src/sync/contract.js';

const validator = new ContractValidator();

/** Transaction events in the outbox, in seq order, each checked against its schema. */
function transactionEvents(site: TestSite): Array<{ event: string; id: number; status: string; occurredAt: string }> {
  site.domain.uow.commit();
  return site.domain.outbox.nextUnsent(0, 1000).filter((row) => row.topic === 'transactions').map((row) => {
    const message = envelopeFor(row, site.config.siteId);
    assert.equal(validator.problems(message), null, `seq ${row.seq}: ${row.payload}`);
    const tx = message.data.transaction as { id: number; status: string };
    return { event: message.data.event as string, id: tx.id, status: tx.status, occurredAt: message.occurredAt };
  });
}

const brief = (events: ReturnType<typeof transactionEvents>) => events.map((e) => [e.event, e.id, e.status]);

// A reboot is not evidence: many chargers send BootNotification on every reconnect
// (https://github.com/evcc-io/evcc/pull/25069). Doubt comes from evidence (here: the connector idle).
test('a reboot publishes nothing; an idle connector puts the session in doubt ("interrupted"), meter values resume it, its stop completes it', async () => {
  await using site = await startTestSite({ 'sessions.doubtAfterIdleSec': 60 });
  site.addIdTag('TAG-1');
  site.addIdTag('TAG-2');
  const cp = await site.connectCharger('CP-REBOOT');
  const a = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 0, timestamp: isoNow() });
  const b = await cp.call('StartTransaction', { connectorId: 2, idTag: 'TAG-2', meterStart: 0, timestamp: isoNow() });
  await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'X' });
  await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'X' });
  assert.deepEqual(brief(transactionEvents(site)), [['started', a.transactionId, 'RUNNING'], ['started', b.transactionId, 'RUNNING']]);

  await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });
  assert.equal(await site.blocks.sessionReview.run(new Date(Date.now() + 30_000)), 0, 'not idle long enough yet');
  const reviewAt = new Date(Date.now() + 61_000);
  assert.equal(await site.blocks.sessionReview.run(reviewAt), 1, 'only the idle connector\'s session');
  const events = transactionEvents(site);
  assert.deepEqual(brief(events).slice(2), [['interrupted', a.transactionId, 'INTERRUPTED']]);
  assert.equal(events[2]!.occurredAt, reviewAt.toISOString(), 'occurredAt is when the doubt was decided');

  await cp.call('MeterValues', { connectorId: 1, transactionId: a.transactionId, meterValue: [{ timestamp: isoNow(), sampledValue: [{ value: '300' }] }] });
  await cp.call('StopTransaction', { transactionId: a.transactionId, meterStop: 700, timestamp: isoNow(), reason: 'PowerLoss' });
  assert.deepEqual(brief(transactionEvents(site)).slice(3), [['resumed', a.transactionId, 'RUNNING'], ['completed', a.transactionId, 'COMPLETED']]);
});

test('a new start on a connector that still shows a session publishes "interrupted" for it before "started"', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-1');
  site.addIdTag('TAG-2');
  const cp = await site.connectCharger('CP-NEWSTART');
  const first = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 0, timestamp: isoNow() });
  const secondStart = { connectorId: 1, idTag: 'TAG-2', meterStart: 4000, timestamp: isoNow() };
  const second = await cp.call('StartTransaction', secondStart);
  await cp.call('StartTransaction', secondStart); // a retry of the second start interrupts nothing more
  assert.deepEqual(brief(transactionEvents(site)), [
    ['started', first.transactionId, 'RUNNING'],
    ['interrupted', first.transactionId, 'INTERRUPTED'],
    ['started', second.transactionId, 'RUNNING'],
  ]);
});

test('an operator closing a session in doubt publishes "completed" once; the charger\'s late stop publishes "corrected"', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-1');
  site.addIdTag('TAG-2');
  const cp = await site.connectCharger('CP-CLOSE-EV');
  const { transactionId } = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 100, timestamp: isoNow() });
  const next = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-2', meterStart: 1500, timestamp: isoNow() });
  const closed = await site.api(`/api/admin/transactions/${transactionId}/close`, { body: { meterStop: 900 } });
  assert.equal(closed.status, 200, JSON.stringify(closed.body));
  const late = { transactionId, meterStop: 1200, timestamp: isoNow() };
  await cp.call('StopTransaction', late);
  await cp.call('StopTransaction', late); // a retry corrects nothing more
  assert.deepEqual(brief(transactionEvents(site)), [
    ['started', transactionId, 'RUNNING'], ['interrupted', transactionId, 'INTERRUPTED'], ['started', next.transactionId, 'RUNNING'],
    ['completed', transactionId, 'COMPLETED'], ['corrected', transactionId, 'COMPLETED'],
  ]);
  assert.equal(site.domain.transactions.byId(transactionId)!.energyWh, 1100, 'the charger\'s figures');
});
