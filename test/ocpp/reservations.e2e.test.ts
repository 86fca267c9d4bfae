import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, isoNow } from '../support/testSite.js';
import { waitFor } from '../support/waitFor.js';

test('ReserveNow: the reservation id reaches the charger and StartTransaction uses it up', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-1', { parentIdTag: 'FLEET' });
  const cp = await site.connectCharger('CP-1');
  cp.on('ReserveNow', () => ({ status: 'Accepted' }));
  const expiryDate = new Date(Date.now() + 15 * 60_000).toISOString();
  const res = await site.api('/api/admin/chargers/CP-1/reservations', { body: { connectorId: 1, idTag: 'TAG-1', expiryDate } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const { reservation } = res.body;
  assert.equal(reservation.status, 'Accepted');
  assert.deepEqual(cp.received.at(-1), {
    action: 'ReserveNow', payload: { connectorId: 1, expiryDate, idTag: 'TAG-1', reservationId: reservation.id, parentIdTag: 'FLEET' },
  });
  const start = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 0, reservationId: reservation.id, timestamp: isoNow() });
  const used = site.domain.reservations.byId(reservation.id)!;
  assert.equal(used.status, 'Used');
  assert.equal(used.transactionId, start.transactionId);
  assert.equal(site.domain.transactions.byId(start.transactionId)!.reservationId, reservation.id);
  const listed = await site.api('/api/admin/reservations?chargePointId=CP-1');
  assert.equal(listed.body.reservations[0].status, 'Used');
  assert.equal(listed.body.reservations[0].chargePointId, 'CP-1');
});

test('a charger that leaves out reservationId still uses the reservation held for its connector and idTag', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-1');
  const cp = await site.connectCharger('CP-1');
  cp.on('ReserveNow', () => ({ status: 'Accepted' }));
  const { body } = await site.api('/api/admin/chargers/CP-1/reservations', { body: { connectorId: 2, idTag: 'TAG-1', expiresInMinutes: 10 } });
  await cp.call('StartTransaction', { connectorId: 2, idTag: 'TAG-1', meterStart: 0, timestamp: isoNow() });
  assert.equal(site.domain.reservations.byId(body.reservation.id)!.status, 'Used');
});

test('a connector that faults loses its reservation; others keep theirs', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-1');
  site.addIdTag('TAG-2');
  const cp = await site.connectCharger('CP-1');
  cp.on('ReserveNow', () => ({ status: 'Accepted' }));
  const r1 = (await site.api('/api/admin/chargers/CP-1/reservations', { body: { connectorId: 1, idTag: 'TAG-1', expiresInMinutes: 10 } })).body.reservation;
  const r2 = (await site.api('/api/admin/chargers/CP-1/reservations', { body: { connectorId: 2, idTag: 'TAG-2', expiresInMinutes: 10 } })).body.reservation;
  await cp.call('StatusNotification', { connectorId: 1, errorCode: 'GroundFailure', status: 'Faulted' });
  assert.equal(site.domain.reservations.byId(r1.id)!.status, 'Cancelled');
  assert.equal(site.domain.reservations.byId(r2.id)!.status, 'Accepted');
  const open = await site.api('/api/admin/reservations?open=true');
  assert.deepEqual(open.body.reservations.map((r: any) => r.id), [r2.id]);
});

test('reservations expire at their expiry date', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-1');
  const cp = await site.connectCharger('CP-1');
  cp.on('ReserveNow', () => ({ status: 'Accepted' }));
  const r = (await site.api('/api/admin/chargers/CP-1/reservations', { body: { connectorId: 1, idTag: 'TAG-1', expiresInMinutes: 5 } })).body.reservation;
  assert.deepEqual(await site.blocks.reservations.expireDue(new Date(Date.now() + 60_000)), [], 'not yet');
  const expired = await site.blocks.reservations.expireDue(new Date(Date.now() + 6 * 60_000));
  assert.deepEqual(expired.map((x) => x.id), [r.id]);
  assert.equal(site.domain.reservations.byId(r.id)!.status, 'Expired');
});

test('CancelReservation: Accepted cancels, a busy connector answers Occupied (409)', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-1');
  const cp = await site.connectCharger('CP-1');
  cp.on('ReserveNow', (p) => ({ status: p.connectorId === 2 ? 'Occupied' : 'Accepted' }));
  cp.on('CancelReservation', () => ({ status: 'Accepted' }));
  const r = (await site.api('/api/admin/chargers/CP-1/reservations', { body: { connectorId: 1, idTag: 'TAG-1', expiresInMinutes: 5 } })).body.reservation;
  const cancel = await site.api(`/api/admin/reservations/${r.id}`, { method: 'DELETE' });
  assert.equal(cancel.status, 200);
  assert.equal(cancel.body.reservation.status, 'Cancelled');
  assert.deepEqual(cp.received.at(-1), { action: 'CancelReservation', payload: { reservationId: r.id } });
  assert.equal((await site.api(`/api/admin/reservations/${r.id}`, { method: 'DELETE' })).status, 409, 'already cancelled');
  const busy = await site.api('/api/admin/chargers/CP-1/reservations', { body: { connectorId: 2, idTag: 'TAG-1', expiresInMinutes: 5 } });
  assert.equal(busy.status, 409);
  assert.equal(busy.body.reservation.status, 'Occupied');
});

test('reservation API validation', async () => {
  await using site = await startTestSite();
  await site.connectCharger('CP-1');
  const past = await site.api('/api/admin/chargers/CP-1/reservations', { body: { connectorId: 1, idTag: 'TAG-1', expiryDate: '2001-01-01T00:00:00Z' } });
  assert.equal(past.status, 400);
  assert.equal((await site.api('/api/admin/chargers/CP-1/reservations', { body: { connectorId: 1, idTag: 'TAG-1' } })).status, 400, 'no expiry');
  assert.equal((await site.api('/api/admin/chargers/CP-1/reservations', { body: { connectorId: -1, idTag: 'T', expiresInMinutes: 5 } })).status, 400);
  assert.equal((await site.api('/api/admin/reservations/999', { method: 'DELETE' })).status, 404);
  // The charger does not implement reservations: the row is kept as Failed, the caller gets 502.
  const failed = await site.api('/api/admin/chargers/CP-1/reservations', { body: { connectorId: 1, idTag: 'TAG-1', expiresInMinutes: 5 } });
  assert.equal(failed.status, 502);
  await waitFor('the failed row', () => site.count('reservation', "status = 'Failed'") === 1);
});

test('a ReserveNow the charger does not answer is Unknown: open, cancellable, used by a StartTransaction, expires', async () => {
  await using site = await startTestSite({ 'ocpp.callTimeoutSec': 0.5 });
  site.addIdTag('TAG-1');
  const cp = await site.connectCharger('CP-1');
  cp.on('ReserveNow', () => new Promise(() => {})); // got it, never answers
  const reserve = async (connectorId: number) => {
    const res = await site.api('/api/admin/chargers/CP-1/reservations', { body: { connectorId, idTag: 'TAG-1', expiresInMinutes: 5 } });
    assert.equal(res.status, 504, JSON.stringify(res.body));
    assert.equal(res.body.error.details.reservation.status, 'Unknown');
    return res.body.error.details.reservation.id as number;
  };
  const [r1, r2, r3, r4] = [await reserve(1), await reserve(2), await reserve(1), await reserve(2)];
  const open = await site.api('/api/admin/reservations?chargePointId=CP-1&open=true');
  assert.deepEqual(open.body.reservations.map((r: any) => [r.id, r.status]), [[r4, 'Unknown'], [r3, 'Unknown'], [r2, 'Unknown'], [r1, 'Unknown']]);

  // The charger did hold r1: cancelling works.
  cp.on('CancelReservation', (p) => ({ status: p.reservationId === r1 ? 'Accepted' : 'Rejected' }));
  const cancel = await site.api(`/api/admin/reservations/${r1}`, { method: 'DELETE' });
  assert.equal(cancel.status, 200, JSON.stringify(cancel.body));
  assert.equal(cancel.body.reservation.status, 'Cancelled');
  // It never got r4: it answers Rejected, so nothing is reserved any more.
  const gone = await site.api(`/api/admin/reservations/${r4}`, { method: 'DELETE' });
  assert.deepEqual([gone.status, gone.body.status, gone.body.reservation.status], [200, 'Rejected', 'Cancelled']);

  // It held r2 and the driver arrived.
  const start = await cp.call('StartTransaction', { connectorId: 2, idTag: 'TAG-1', meterStart: 0, reservationId: r2, timestamp: isoNow() });
  assert.deepEqual([site.domain.reservations.byId(r2)!.status, site.domain.reservations.byId(r2)!.transactionId], ['Used', start.transactionId]);

  const expired = await site.blocks.reservations.expireDue(new Date(Date.now() + 6 * 60_000));
  assert.deepEqual(expired.map((x) => x.id), [r3]);
  assert.equal(site.count('reservation', "status = 'Failed'"), 0);
});
