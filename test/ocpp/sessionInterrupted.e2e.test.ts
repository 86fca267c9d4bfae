// The central office learns when a session is interrupted (charger reboot, or a new start on its connector),
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

test('a reboot publishes "interrupted" for each running session once; its late stop publishes "completed"', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-1');
  site.addIdTag('TAG-2');
  const cp = await site.connectCharger('CP-REBOOT');
  const a = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 0, timestamp: isoNow() });
  const b = await cp.call('StartTransaction', { connectorId: 2, idTag: 'TAG-2', meterStart: 0, timestamp: isoNow() });
  const boot = await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'X' });
  await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'X' }); // nothing left running: no event
  const events = transactionEvents(site);
  assert.deepEqual(brief(events), [
    ['started', a.transactionId, 'RUNNING'], ['started', b.transactionId, 'RUNNING'],
    ['interrupted', a.transactionId, 'INTERRUPTED'], ['interrupted', b.transactionId, 'INTERRUPTED'],
  ]);
  assert.equal(events[2]!.occurredAt, site.domain.transactions.byId(a.transactionId)!.interruptedAt);
  assert.equal(events[2]!.occurredAt, boot.currentTime, 'occurredAt is when the reboot was seen');

  await cp.call('StopTransaction', { transactionId: a.transactionId, meterStop: 700, timestamp: isoNow(), reason: 'PowerLoss' });
  assert.deepEqual(brief(transactionEvents(site)).slice(4), [['completed', a.transactionId, 'COMPLETED']]);
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

test('an operator closing an interrupted session publishes "completed" once', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-1');
  const cp = await site.connectCharger('CP-CLOSE-EV');
  const { transactionId } = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 100, timestamp: isoNow() });
  await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'X' });
  const closed = await site.api(`/api/admin/transactions/${transactionId}/close`, { body: { meterStop: 900 } });
  assert.equal(closed.status, 200, JSON.stringify(closed.body));
  await cp.call('StopTransaction', { transactionId, meterStop: 1200, timestamp: isoNow() }); // late: changes nothing
  assert.deepEqual(brief(transactionEvents(site)), [
    ['started', transactionId, 'RUNNING'], ['interrupted', transactionId, 'INTERRUPTED'], ['completed', transactionId, 'COMPLETED'],
  ]);
});
