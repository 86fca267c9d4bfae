// The simulator's answers for the optional OCPP profiles, against the real server: what demo mode and
// the admin page's browser test rely on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';
import { waitFor } from '../support/waitFor.js';
import { SimulatedCharger } from '../../src/sim/simulatedCharger.js';

test('simulator: reservation (Reserved, used by its idTag), local list version, firmware download, diagnostics upload, composite schedule', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-1');
  site.addIdTag('TAG-2');
  await site.addCharger('CP-1');
  const sim = new SimulatedCharger({ baseUrl: site.wsUrl, id: 'CP-1', connectors: 2, meterIntervalSec: 3600, powerW: 11000 });
  await sim.start();
  try {
    const reserved = await site.api('/api/admin/chargers/CP-1/reservations', { body: { connectorId: 1, idTag: 'TAG-1', expiresInMinutes: 30 } });
    assert.equal(reserved.status, 201, JSON.stringify(reserved.body));
    const second = await site.api('/api/admin/chargers/CP-1/reservations', { body: { connectorId: 1, idTag: 'TAG-2', expiresInMinutes: 30 } });
    assert.equal(second.body.reservation.status, 'Occupied', 'one reservation per connector');
    await waitFor('connector 1 Reserved', () => sim.connectors[1]!.status === 'Reserved');
    assert.equal(await sim.startSession(1, 'TAG-2'), undefined, 'someone else cannot take the reserved connector');
    const txId = await sim.startSession(1, 'TAG-1');
    assert.ok(txId);
    assert.equal(site.domain.reservations.byId(reserved.body.reservation.id)!.status, 'Used', 'StartTransaction carried the reservationId');
    const onTwo = await site.api('/api/admin/chargers/CP-1/reservations', { body: { connectorId: 2, idTag: 'TAG-2', expiresInMinutes: 30 } });
    const cancel = await site.api(`/api/admin/reservations/${onTwo.body.reservation.id}`, { method: 'DELETE' });
    assert.equal(cancel.body.status, 'Accepted');
    await waitFor('connector 2 Available again', () => sim.connectors[2]!.status === 'Available' && sim.connectors[2]!.reservationId === undefined);

    const sent = await site.api('/api/admin/chargers/CP-1/local-list', { body: { updateType: 'Full' } });
    assert.equal(sent.body.status, 'Accepted');
    assert.equal((await site.api('/api/admin/chargers/CP-1/local-list/version')).body.listVersion, sent.body.listVersion);

    const upload = await fetch(`${site.baseUrl}/api/admin/files/firmware?name=fw-9.bin`, {
      method: 'POST', body: new Uint8Array([1, 2, 3]), headers: { authorization: `Bearer ${site.createToken('admin')}`, 'content-type': 'application/octet-stream' },
    });
    const { file } = await upload.json() as { file: { id: number } };
    assert.equal((await site.api('/api/admin/chargers/CP-1/firmware', { body: { fileId: file.id } })).status, 200);
    await waitFor('firmware Installed', async () => (await site.api('/api/admin/chargers/CP-1/firmware')).body.firmwareStatus === 'Installed');

    const diag = await site.api('/api/admin/chargers/CP-1/diagnostics', { body: {} });
    assert.match(diag.body.fileName, /^diagnostics-\d+\.log$/);
    const uploaded = await waitFor('diagnostics Uploaded', async () => {
      const fw = (await site.api('/api/admin/chargers/CP-1/firmware')).body;
      return fw.diagnosticsStatus === 'Uploaded' && fw.diagnosticsFiles;
    });
    assert.equal(uploaded[0].name, diag.body.fileName, 'the file the charger named is stored');

    assert.equal((await site.api('/api/admin/chargers/CP-1/charging-profiles', { body: { connectorId: 1, csChargingProfiles: {
      chargingProfileId: 1, stackLevel: 0, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Relative',
      chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10, numberPhases: 3 }] },
    } } })).status, 201);
    const schedule = await site.api('/api/admin/chargers/CP-1/composite-schedule?connectorId=1&duration=600&chargingRateUnit=A');
    assert.equal(schedule.status, 200, JSON.stringify(schedule.body));
    assert.deepEqual(schedule.body.chargingSchedule.chargingSchedulePeriod, [{ startPeriod: 0, limit: 10 }]);
  } finally {
    await sim.stop();
  }
});
