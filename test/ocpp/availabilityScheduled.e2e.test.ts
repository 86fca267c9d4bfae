// A ChangeAvailability the charger answered Scheduled stays flagged only until it has happened: the
// connector reports the state that was asked for (Unavailable / Available), or the charger reboots.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, isoNow } from '../support/testSite.js';

test('the Scheduled flag clears when the connector reports the new state, and after a BootNotification', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-1');
  const cp = await site.connectCharger('CP-1');
  const status = (connectorId: number, s: string) => cp.call('StatusNotification', { connectorId, errorCode: 'NoError', status: s, timestamp: isoNow() });
  for (const c of [0, 1, 2]) await status(c, 'Available');
  const start = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 0, timestamp: isoNow() });
  await status(1, 'Charging');
  cp.on('ChangeAvailability', () => ({ status: 'Scheduled' }));
  const connector = async (id: number) => {
    const res = await site.api('/api/admin/chargers/CP-1');
    return res.body.charger.connectors.find((c: any) => c.connectorId === id) as { availability: string; availabilityScheduled: boolean };
  };
  const expect = async (id: number, availability: string, scheduled: boolean) => {
    const c = await connector(id);
    assert.deepEqual([c.availability, c.availabilityScheduled], [availability, scheduled], `connector ${id}`);
  };

  for (const c of [1, 2]) {
    assert.equal((await site.api('/api/admin/chargers/CP-1/change-availability', { body: { connectorId: c, type: 'Inoperative' } })).body.status, 'Scheduled');
  }
  await expect(1, 'Inoperative', true);

  await status(1, 'Charging');
  await status(1, 'Available'); // not the state that was asked for
  assert.equal((await connector(1)).availabilityScheduled, true, 'still waiting for Unavailable');
  await cp.call('StopTransaction', { transactionId: start.transactionId, meterStop: 100, timestamp: isoNow() });
  await status(1, 'Finishing');
  assert.equal((await connector(1)).availabilityScheduled, true);
  await status(1, 'Unavailable');
  await expect(1, 'Inoperative', false);
  assert.equal((await connector(2)).availabilityScheduled, true, "another connector's report does not clear it");

  // Back to Operative, scheduled: cleared by Available on that connector.
  await site.api('/api/admin/chargers/CP-1/change-availability', { body: { connectorId: 1, type: 'Operative' } });
  assert.equal((await connector(1)).availabilityScheduled, true);
  await status(1, 'Available');
  await expect(1, 'Operative', false);

  // A reboot puts connector 2's pending change into effect.
  await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'X' });
  await expect(2, 'Inoperative', false);
});
