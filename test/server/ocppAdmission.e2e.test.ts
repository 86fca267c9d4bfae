// Admission at the WebSocket upgrade under the "pending" policy: a removed (archived) charger is refused
// like an unknown one, and any failure while admitting a charger is an HTTP error, never a dead server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';
import { ChargePoint } from '../../src/sim/chargePoint.js';

const refusal = (p: Promise<ChargePoint>) => p.then(
  async (cp) => { await cp.close(); return assert.fail('connection should be refused'); },
  (e) => e as Error & { status?: number });

test('pending policy: an archived charger that reconnects is refused with 404 and not revived', async () => {
  await using site = await startTestSite({ 'ocpp.unknownChargers': 'pending' });
  const cp = await site.connectCharger('CP-GONE');
  await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' }); // history: archive, not delete
  const removed = await site.api('/api/admin/chargers/CP-GONE', { method: 'DELETE' });
  assert.equal(removed.body.result, 'archived', JSON.stringify(removed.body));
  await cp.waitClosed();

  const err = await refusal(ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-GONE' }));
  assert.equal(err.status, 404, err.message);
  assert.equal(site.count('charger', "charge_point_id = 'CP-GONE'"), 1, 'still the one archived row');
  assert.equal(site.count('charger', "charge_point_id = 'CP-GONE' AND archived_at IS NOT NULL"), 1, 'still archived');

  // The server is alive and the pending policy still works for a genuinely new id.
  assert.equal((await site.api('/api/health', { token: null })).status, 200);
  const fresh = await site.connectCharger('CP-NEW', { register: false });
  assert.equal((await fresh.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'X' })).status, 'Pending');
  assert.equal(site.count('charger', "charge_point_id = 'CP-NEW' AND registration_status = 'Pending'"), 1);
});

test('a charger deleted without history is unknown again: the pending policy registers it afresh', async () => {
  await using site = await startTestSite({ 'ocpp.unknownChargers': 'pending' });
  await site.addCharger('CP-EMPTY');
  assert.equal((await site.api('/api/admin/chargers/CP-EMPTY', { method: 'DELETE' })).body.result, 'deleted');
  const cp = await site.connectCharger('CP-EMPTY', { register: false });
  assert.equal((await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'X' })).status, 'Pending');
});

test('an exception while admitting a charger answers 503 and the server keeps running', async () => {
  await using site = await startTestSite({ 'ocpp.unknownChargers': 'pending' });
  await site.addCharger('CP-OK');
  const chargers = site.domain.chargers;
  const original = { byChargePointId: chargers.byChargePointId, checkPassword: chargers.checkPassword };

  // Fault injection: the lookup throws synchronously inside the upgrade callback (e.g. a closed database).
  chargers.byChargePointId = () => { throw new Error('injected lookup failure'); };
  const sync = await refusal(ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-OK' }));
  assert.equal(sync.status, 503, sync.message);
  chargers.byChargePointId = original.byChargePointId;

  // ...and later, in the asynchronous part (the password check).
  chargers.checkPassword = async () => { throw new Error('injected password check failure'); };
  const async = await refusal(ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-OK' }));
  assert.equal(async.status, 503, async.message);
  chargers.checkPassword = original.checkPassword;

  assert.equal((await site.api('/api/health', { token: null })).status, 200, 'the server is still up');
  const cp = await site.connectCharger('CP-OK');
  assert.ok((await cp.call('Heartbeat', {})).currentTime);
});
