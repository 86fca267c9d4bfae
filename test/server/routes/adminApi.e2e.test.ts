// The admin REST API over real HTTP: CRUD for stations, chargers, users and idTags, deletion that never
// orphans history, transactions with filters and paging, the message log and the seed's legacy routes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChargePoint } from '../../../src/sim/chargePoint.js';
import { startTestSite, isoNow } from '../../support/testSite.js';
import { waitFor } from '../../support/waitFor.js';

test('stations and chargers: create, read with live state, edit, and delete or archive', async () => {
  await using site = await startTestSite();
  const station = await site.api('/api/admin/stations', { body: { name: 'Depot', address: 'Main St 1', latitude: 52.1, longitude: 4.3 } });
  assert.equal(station.status, 201);
  const sid = station.body.station.id;
  assert.equal((await site.api('/api/admin/stations', { body: { name: '' } })).status, 400);
  assert.equal((await site.api('/api/admin/stations', { body: { name: 'X', latitude: 200 } })).status, 400);

  const made = await site.api('/api/admin/chargers', { body: { chargePointId: 'CP-1', name: 'Left', stationId: sid, password: 'charger-pass-1' } });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.equal(made.body.charger.hasPassword, true);
  assert.ok(!('passwordHash' in made.body.charger));
  assert.equal((await site.api('/api/admin/chargers', { body: { chargePointId: 'CP-1' } })).status, 409);
  assert.equal((await site.api('/api/admin/chargers', { body: { chargePointId: 'bad/id' } })).status, 400);
  assert.equal((await site.api('/api/admin/chargers', { body: { chargePointId: 'CP-9', stationId: 999 } })).status, 422);
  assert.equal((await site.api('/api/admin/chargers', { body: { chargePointId: 'CP-9', password: 'short' } })).status, 400);

  const cp = await ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-1', password: 'charger-pass-1' });
  await cp.call('Heartbeat', {});
  await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });
  const byCpId = await site.api('/api/admin/chargers/CP-1');
  assert.equal(byCpId.body.charger.online, true);
  assert.ok(byCpId.body.charger.lastHeartbeatAt);
  assert.equal(byCpId.body.charger.connectors[0].status, 'Available');
  assert.equal(byCpId.body.charger.statusHistory.length, 1);
  const byId = await site.api(`/api/admin/chargers/${made.body.charger.id}`);
  assert.equal(byId.body.charger.chargePointId, 'CP-1', 'the numeric id works too');
  const list = await site.api('/api/admin/chargers');
  assert.deepEqual(list.body.chargers.map((c: any) => [c.chargePointId, c.online]), [['CP-1', true]]);

  const edited = await site.api('/api/admin/chargers/CP-1', { method: 'PUT', body: { name: 'Right', maxCurrentA: 16 } });
  assert.equal(edited.body.charger.name, 'Right');
  assert.equal(edited.body.charger.maxCurrentA, 16);
  assert.equal((await site.api('/api/admin/chargers/CP-1', { method: 'PUT', body: { colour: 'red' } })).status, 400);

  const kept = await site.api(`/api/admin/stations/${sid}`, { method: 'DELETE' });
  assert.deepEqual([kept.status, kept.body.error.code, kept.body.error.details], [409, 'station_in_use', { chargers: 1 }], 'a station with chargers stays');
  // CP-1 has history (a status): it is archived, disconnected, hidden and kept.
  const removed = await site.api('/api/admin/chargers/CP-1', { method: 'DELETE' });
  assert.equal(removed.body.result, 'archived');
  await cp.waitClosed();
  assert.equal(site.count('status_history'), 1);
  assert.equal((await site.api('/api/admin/chargers')).body.chargers.length, 0);
  assert.equal((await site.api('/api/admin/chargers?archived=true')).body.chargers.length, 1);
  assert.equal((await site.api('/api/admin/chargers/CP-1/reset', { body: { type: 'Soft' } })).status, 404, 'no commands to an archived charger');
  // Registering it again restores it with its history.
  const back = await site.api('/api/admin/chargers', { body: { chargePointId: 'CP-1', name: 'Back' } });
  assert.equal(back.status, 201);
  assert.equal(back.body.charger.id, made.body.charger.id);
  assert.equal(back.body.charger.archivedAt, null);
  // One without history is really deleted.
  await site.api('/api/admin/chargers', { body: { chargePointId: 'CP-NEW' } });
  assert.equal((await site.api('/api/admin/chargers/CP-NEW', { method: 'DELETE' })).body.result, 'deleted');
  assert.equal(site.count('charger', "charge_point_id = 'CP-NEW'"), 0);

  await site.api('/api/admin/chargers/CP-1', { method: 'PUT', body: { stationId: null } });
  assert.equal((await site.api(`/api/admin/stations/${sid}`, { method: 'DELETE' })).status, 204);
  assert.equal((await site.api(`/api/admin/stations/${sid}`)).status, 404);
});

test('a charger with a running session cannot be deleted; the password route changes who may connect', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-1');
  const cp = await site.connectCharger('CP-1');
  await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 0, timestamp: isoNow() });
  const refused = await site.api('/api/admin/chargers/CP-1', { method: 'DELETE' });
  assert.equal(refused.status, 409);
  assert.equal(refused.body.error.code, 'charger_busy');
  assert.equal((await site.api('/api/admin/chargers/CP-1/password', { method: 'PUT', body: { password: 'brand-new-pass' } })).body.hasPassword, true);
  await cp.close();
  await assert.rejects(site.connectCharger('CP-1'), (err: any) => err.status === 401);
  const again = await ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-1', password: 'brand-new-pass' });
  assert.ok(again.isOpen);
  await again.close();
});

test('users and idTags: CRUD, idTags.changed after each change, deletion refused while referenced', async () => {
  await using site = await startTestSite();
  const events: string[] = [];
  site.domain.events.on('idTags.changed', () => events.push('changed'));
  const user = await site.api('/api/admin/users', { body: { fullName: 'Dana Driver', phoneNumber: '+31 600000001', email: 'dana@example.org' } });
  assert.equal(user.status, 201);
  const uid = user.body.user.id;
  const dup = await site.api('/api/admin/users', { body: { fullName: 'Dup', phoneNumber: '+31 600000001' } });
  assert.deepEqual([dup.status, dup.body.error.code], [409, 'phone_taken']);
  assert.equal((await site.api('/api/admin/users', { body: { email: 'x@y.z' } })).status, 400);
  assert.equal((await site.api(`/api/admin/users/${uid}`, { method: 'PUT', body: { fullName: 'Dana D.' } })).body.user.fullName, 'Dana D.');

  const tag = await site.api('/api/admin/id-tags', { body: { idTag: 'TAG-DANA', userId: uid, expiryDate: '2099-01-01T00:00:00Z' } });
  assert.equal(tag.status, 201);
  assert.equal(tag.body.idTag.expiryDate, '2099-01-01T00:00:00.000Z');
  assert.deepEqual(events, ['changed'], 'announced after commit');
  assert.equal((await site.api('/api/admin/id-tags', { body: { idTag: 'TAG-DANA' } })).status, 409);
  assert.equal((await site.api('/api/admin/id-tags', { body: { idTag: 'X'.repeat(21) } })).status, 400);
  const noUser = await site.api('/api/admin/id-tags', { body: { idTag: 'T2', userId: 999 } });
  assert.deepEqual([noUser.status, noUser.body.error.code], [422, 'user_not_found']);
  const noParent = await site.api('/api/admin/id-tags', { body: { idTag: 'T3', parentIdTag: 'NOBODY' } });
  assert.deepEqual([noParent.status, noParent.body.error.code], [422, 'parent_not_found']);
  await site.api('/api/admin/id-tags', { body: { idTag: 'TAG-KID', parentIdTag: 'TAG-DANA' } });
  assert.equal((await site.api('/api/admin/id-tags?userId=' + uid)).body.idTags.map((t: any) => t.idTag).join(), 'TAG-DANA');
  const blocked = await site.api('/api/admin/id-tags/TAG-DANA', { method: 'PUT', body: { status: 'Blocked' } });
  assert.equal(blocked.body.idTag.status, 'Blocked');
  assert.equal(site.domain.authorization.authorize('TAG-DANA', { chargerId: 1 }).idTagInfo.status, 'Blocked', 'authorization sees it');
  assert.equal((await site.api(`/api/admin/id-tags/${tag.body.idTag.id}`)).body.idTag.idTag, 'TAG-DANA', 'numeric id works');
  assert.equal((await site.api('/api/admin/id-tags/TAG-DANA', { method: 'DELETE' })).status, 409, 'a parent stays while children use it');
  const inUse = await site.api(`/api/admin/users/${uid}`, { method: 'DELETE' });
  assert.deepEqual([inUse.status, inUse.body.error.code], [409, 'user_in_use'], 'a user with tags stays');
  assert.equal((await site.api('/api/admin/id-tags/TAG-KID', { method: 'DELETE' })).status, 204);
  assert.equal((await site.api('/api/admin/id-tags/TAG-DANA', { method: 'DELETE' })).status, 204);
  assert.equal(events.length, 5);
  assert.equal((await site.api(`/api/admin/users/${uid}`, { method: 'DELETE' })).status, 204);
  assert.equal((await site.api(`/api/admin/users/${uid}`)).status, 404);
});

test('transactions: filters, paging with total, one session, its meter values', async () => {
  await using site = await startTestSite();
  const u = (await site.api('/api/admin/users', { body: { fullName: 'Pat' } })).body.user.id;
  site.addIdTag('TAG-A', { userId: u });
  site.addIdTag('TAG-B');
  const cp1 = await site.connectCharger('CP-1');
  const cp2 = await site.connectCharger('CP-2');
  const ids: number[] = [];
  const times = ['2024-01-01T10:00:00.000Z', '2024-01-02T10:00:00.000Z', '2024-01-03T10:00:00.000Z', '2024-01-04T10:00:00.000Z', '2024-01-05T10:00:00.000Z'];
  for (const [i, timestamp] of times.entries()) {
    const cp = i % 2 === 0 ? cp1 : cp2;
    const start = await cp.call('StartTransaction', { connectorId: 1, idTag: i < 3 ? 'TAG-A' : 'TAG-B', meterStart: 0, timestamp });
    ids.push(start.transactionId);
    if (i < 4) await cp.call('StopTransaction', { transactionId: start.transactionId, meterStop: 1000 * (i + 1), timestamp });
  }
  await cp1.call('MeterValues', { connectorId: 1, transactionId: ids[4], meterValue: [{ timestamp: isoNow(), sampledValue: [{ value: '500' }, { value: '7000', measurand: 'Power.Active.Import', unit: 'W' }] }] });

  const get = async (q: string) => (await site.api(`/api/admin/transactions${q}`)).body;
  const all = await get('');
  assert.equal(all.total, 5);
  assert.deepEqual(all.transactions.map((t: any) => t.id), [...ids].reverse(), 'newest first');
  assert.equal(all.transactions[0].chargePointId, 'CP-1');
  assert.equal((await get('?chargePointId=CP-2')).total, 2);
  assert.equal((await get('?charger=CP-1')).total, 3);
  assert.equal((await get(`?chargerId=${site.domain.chargers.byChargePointId('CP-2')!.id}`)).total, 2);
  assert.equal((await get('?idTag=TAG-B')).total, 2);
  assert.equal((await get(`?userId=${u}`)).total, 3);
  assert.deepEqual((await get('?status=RUNNING')).transactions.map((t: any) => t.id), [ids[4]]);
  assert.equal((await get('?status=completed,running')).total, 5);
  assert.deepEqual((await get('?from=2024-01-02T00:00:00Z&to=2024-01-03T23:59:59Z')).transactions.map((t: any) => t.id), [ids[2], ids[1]]);
  const page2 = await get('?limit=2&offset=2');
  assert.equal(page2.total, 5);
  assert.deepEqual(page2.transactions.map((t: any) => t.id), [ids[2], ids[1]]);
  for (const bad of ['?status=DONE', '?from=yesterday', '?limit=0', '?limit=abc', '?offset=-1']) {
    const r = await site.api(`/api/admin/transactions${bad}`);
    assert.equal(r.status, 400, bad);
    assert.equal(r.body.error.code, 'invalid_parameter', bad);
  }
  const one = await site.api(`/api/admin/transactions/${ids[3]}`);
  assert.equal(one.body.transaction.energyWh, 4000);
  assert.equal(one.body.transaction.chargePointId, 'CP-2');
  assert.equal((await site.api('/api/admin/transactions/999999')).status, 404);
  const meter = await site.api(`/api/admin/transactions/${ids[4]}/meter-values`);
  assert.deepEqual(meter.body.meterValues.map((m: any) => [m.measurand, m.normalized]), [['Energy.Active.Import.Register', 500], ['Power.Active.Import', 7000]]);
  // afterId: only the rows stored after one the page has (the live chart's top-up); a bad one is 400.
  const after = await site.api(`/api/admin/transactions/${ids[4]}/meter-values?afterId=${meter.body.meterValues[0].id}`);
  assert.deepEqual(after.body.meterValues.map((m: any) => m.measurand), ['Power.Active.Import']);
  for (const bad of ['-1', 'x', '1.5']) assert.equal((await site.api(`/api/admin/transactions/${ids[4]}/meter-values?afterId=${bad}`)).status, 400, bad);
});

test('legacy routes: connected charge points, any command by name (schema-checked), the message log with filters', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-1');
  await site.addCharger('CP-2');
  await cp.call('Heartbeat', {});
  const points = await site.api('/api/charge-points');
  assert.deepEqual(points.body.chargePoints.map((p: any) => p.chargePointId), ['CP-1'], 'only connected ones');

  cp.on('GetLocalListVersion', () => ({ listVersion: 7 }));
  const sent = await site.api('/api/charge-points/CP-1/request', { body: { action: 'GetLocalListVersion', payload: {} } });
  assert.equal(sent.status, 200);
  assert.deepEqual(sent.body, { action: 'GetLocalListVersion', result: { listVersion: 7 } });
  const bad = await site.api('/api/charge-points/CP-1/request', { body: { action: 'Reset', payload: { type: 'Medium' } } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'invalid_ocpp_payload');
  assert.equal(bad.body.error.details.code, 'PropertyConstraintViolation');
  assert.equal(bad.body.error.details.path, '/type');
  assert.equal((await site.api('/api/charge-points/CP-1/request', { body: { action: 'Heartbeat', payload: {} } })).body.error.code, 'unknown_action');
  assert.equal((await site.api('/api/charge-points/CP-1/request', { body: { payload: {} } })).status, 400);
  assert.equal((await site.api('/api/charge-points/CP-2/request', { body: { action: 'ClearCache' } })).status, 409, 'offline');
  cp.on('ChangeAvailability', () => ({ status: 'Scheduled' }));
  await site.api('/api/charge-points/CP-1/request', { body: { action: 'ChangeAvailability', payload: { connectorId: 1, type: 'Inoperative' } } });
  const conn = site.domain.chargers.connectorsOf(site.domain.chargers.byChargePointId('CP-1')!.id).find((c) => c.connectorId === 1)!;
  assert.equal(conn.availabilityScheduled, true, 'the legacy route keeps the same bookkeeping');

  await waitFor('log rows', () => site.count('log_entry', "charge_point_id = 'CP-1'") >= 6);
  const log = await site.api('/api/logs?chargePointId=CP-1&direction=out&action=GetLocalListVersion');
  assert.equal(log.body.logs.length, 1);
  assert.equal(log.body.logs[0].messageType, 2);
  const page = await site.api('/api/logs?chargePointId=CP-1&limit=2');
  assert.equal(page.body.logs.length, 2);
  const next = await site.api(`/api/logs?chargePointId=CP-1&limit=2&before=${page.body.nextBefore}`);
  assert.ok(next.body.logs.every((r: any) => r.id < page.body.nextBefore), 'the next page is older');
  assert.equal((await site.api('/api/logs?from=2999-01-01T00:00:00Z')).body.logs.length, 0);
  assert.equal((await site.api('/api/logs?direction=sideways')).status, 400);
});

test('the transactions summary totals sessions, energy and cost for a filter', async () => {
  await using site = await startTestSite();
  site.addIdTag('SUM-TAG');
  const cp = await site.connectCharger('CP-SUM');
  const a = await cp.call('StartTransaction', { connectorId: 1, idTag: 'SUM-TAG', meterStart: 1000, timestamp: isoNow() });
  await cp.call('StopTransaction', { transactionId: a.transactionId, meterStop: 4000, timestamp: isoNow() });
  const b = await cp.call('StartTransaction', { connectorId: 2, idTag: 'SUM-TAG', meterStart: 500, timestamp: isoNow() });
  await cp.call('MeterValues', { connectorId: 2, transactionId: b.transactionId, meterValue: [{ timestamp: isoNow(), sampledValue: [{ value: '1700' }] }] });
  const all = await site.api('/api/admin/transactions/summary');
  assert.equal(all.status, 200);
  assert.equal(all.body.sessions, 2);
  assert.equal(all.body.energyWh, 3000 + 1200, 'completed energy plus what the running session metered so far');
  const running = await site.api('/api/admin/transactions/summary?status=RUNNING');
  assert.deepEqual([running.body.sessions, running.body.energyWh], [1, 1200]);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
  const none = await site.api(`/api/admin/transactions/summary?from=${encodeURIComponent(tomorrow)}`);
  assert.deepEqual([none.body.sessions, none.body.energyWh], [0, 0]);
});
