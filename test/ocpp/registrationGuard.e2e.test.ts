// A charger that is not Accepted gets BootNotification and Heartbeat answered and every other call
// refused with SecurityError (OCPP 1.6 4.2.1), so an untrusted id cannot authorize tags or start sessions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, isoNow } from '../support/testSite.js';
import { CallErrorReply, type ChargePoint } from '../../src/sim/chargePoint.js';
import { SimulatedCharger } from '../../src/sim/simulatedCharger.js';
import { waitFor } from '../support/waitFor.js';

const BOOT = { chargePointVendor: 'Acme', chargePointModel: 'X' };

async function securityError(cp: ChargePoint, action: string, payload: object): Promise<CallErrorReply> {
  const err = await cp.call(action, payload).then(() => assert.fail(`${action} should be refused`), (e) => e);
  assert.ok(err instanceof CallErrorReply, String(err));
  assert.equal(err.code, 'SecurityError', `${action}: ${err.description}`);
  return err;
}

test('a Pending charger gets only BootNotification and Heartbeat until an operator accepts it and it boots again', async () => {
  await using site = await startTestSite({ 'ocpp.unknownChargers': 'pending' });
  site.addIdTag('TAG-REAL');
  const rogue = await site.connectCharger('ROGUE', { register: false });
  assert.equal((await rogue.call('BootNotification', BOOT)).status, 'Pending');
  assert.ok((await rogue.call('Heartbeat', {})).currentTime, 'Heartbeat is tolerated');

  const auth = await securityError(rogue, 'Authorize', { idTag: 'TAG-REAL' });
  assert.match(auth.description, /not yet accepted/);
  await securityError(rogue, 'StartTransaction', { connectorId: 1, idTag: 'TAG-REAL', meterStart: 0, timestamp: isoNow() });
  await securityError(rogue, 'StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });
  await securityError(rogue, 'MeterValues', { connectorId: 1, meterValue: [{ timestamp: isoNow(), sampledValue: [{ value: '1' }] }] });
  assert.equal(site.count('transaction'), 0, 'nothing stored');
  assert.equal(site.count('status_history'), 0);
  await waitFor('the refused call in the message log', () => site.count('log_entry', "action = 'Authorize' AND direction = 'IN'") > 0);
  assert.equal(site.count('log_entry', "action = 'Authorize' AND direction = 'IN'"), 1, 'the refused call is in the message log');

  const accept = await site.api('/api/admin/chargers/ROGUE', { method: 'PUT', body: { registrationStatus: 'Accepted' } });
  assert.equal(accept.status, 200, JSON.stringify(accept.body));
  assert.equal((await rogue.call('BootNotification', BOOT)).status, 'Accepted');
  assert.equal((await rogue.call('Authorize', { idTag: 'TAG-REAL' })).idTagInfo.status, 'Accepted');
  const start = await rogue.call('StartTransaction', { connectorId: 1, idTag: 'TAG-REAL', meterStart: 0, timestamp: isoNow() });
  assert.equal(start.idTagInfo.status, 'Accepted');
  assert.equal(site.count('transaction', `id = ${Number(start.transactionId)}`), 1);
});

test('a Rejected charger is refused too, and rejecting a connected charger takes effect at once', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-1');
  const created = await site.api('/api/admin/chargers', { body: { chargePointId: 'CP-NO', registrationStatus: 'Rejected' } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const rejected = await site.connectCharger('CP-NO', { register: false });
  assert.equal((await rejected.call('BootNotification', BOOT)).status, 'Rejected');
  const err = await securityError(rejected, 'Authorize', { idTag: 'TAG-1' });
  assert.match(err.description, /Rejected/);

  const cp = await site.connectCharger('CP-YES');
  assert.equal((await cp.call('BootNotification', BOOT)).status, 'Accepted');
  assert.equal((await cp.call('Authorize', { idTag: 'TAG-1' })).idTagInfo.status, 'Accepted');
  assert.equal((await site.api('/api/admin/chargers/CP-YES', { method: 'PUT', body: { registrationStatus: 'Rejected' } })).status, 200);
  await securityError(cp, 'StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 0, timestamp: isoNow() });
  assert.equal(site.count('transaction'), 0);
});

test('the simulator, booted Pending, waits quietly instead of failing on refused status notifications', async () => {
  await using site = await startTestSite({ 'ocpp.unknownChargers': 'pending' });
  const sim = new SimulatedCharger({ baseUrl: site.wsUrl, id: 'SIM-NEW' });
  try {
    await sim.start();
    assert.equal(site.count('status_history'), 0);
    // The log is written in the background: once its BootNotification answer is there, a later try would be too.
    await waitFor('the BootNotification answer in the log', () => site.count('log_entry', "action = 'BootNotification' AND direction = 'OUT'") > 0);
    assert.equal(site.count('log_entry', "action = 'StatusNotification'"), 0, 'it did not even try');
  } finally { await sim.stop(); }
});
