import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, isoNow } from '../support/testSite.js';

test('tariff CRUD: create, read, change, one default at most, validation, delete refused while in use', async () => {
  await using site = await startTestSite();
  const created = await site.api('/api/admin/tariffs', { body: { name: 'Standard', currency: 'EUR', pricePerKwh: 35, sessionFee: 100, taxPercent: 19, isDefault: true } });
  assert.equal(created.status, 201);
  const std = created.body.tariff;
  assert.deepEqual([std.pricePerKwh, std.sessionFee, std.pricePerMinute, std.idleFeePerMinute, std.taxPercent, std.isDefault], [35, 100, 0, 0, 19, true]);
  const night = (await site.api('/api/admin/tariffs', { body: { name: 'Night', currency: 'EUR', pricePerKwh: 20, isDefault: true } })).body.tariff;
  const list = (await site.api('/api/admin/tariffs', { token: site.createToken('viewer') })).body.tariffs;
  assert.deepEqual(list.map((t: any) => [t.name, t.isDefault]), [['Standard', false], ['Night', true]]);
  const changed = await site.api(`/api/admin/tariffs/${std.id}`, { method: 'PATCH', body: { pricePerKwh: 40 } });
  assert.equal(changed.body.tariff.pricePerKwh, 40);
  assert.equal((await site.api(`/api/admin/tariffs/${std.id}`)).body.tariff.pricePerKwh, 40);
  for (const bad of [{ name: 'x', currency: 'euro', pricePerKwh: 1 }, { name: 'x', currency: 'EUR', pricePerKwh: -1 }, { name: 'x', currency: 'EUR', pricePerKwh: 1.5 },
    { name: 'x', currency: 'EUR' }, { name: 'x', currency: 'EUR', pricePerKwh: 1, taxPercent: 101 }, { name: 'x', currency: 'EUR', pricePerKwh: 1, extra: 1 }]) {
    const r = await site.api('/api/admin/tariffs', { body: bad });
    assert.equal(r.status, 400, JSON.stringify(bad));
    assert.equal(r.body.error.code, 'invalid_body');
  }
  assert.equal((await site.api('/api/admin/tariffs/999')).status, 404);
  // Used by a session: kept for history.
  site.addIdTag('TAG-1');
  const cp = await site.connectCharger('CP-1');
  await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 0, timestamp: isoNow() });
  const inUse = await site.api(`/api/admin/tariffs/${night.id}`, { method: 'DELETE' });
  assert.equal(inUse.status, 409);
  assert.equal(inUse.body.error.code, 'tariff_in_use');
  assert.equal((await site.api(`/api/admin/tariffs/${std.id}`, { method: 'DELETE' })).status, 204);
  assert.equal(site.count('tariff'), 1);
});

test('resolution: charger tariff, else station tariff, else default, else none', async () => {
  await using site = await startTestSite();
  const mk = async (name: string, isDefault = false) =>
    (await site.api('/api/admin/tariffs', { body: { name, currency: 'EUR', pricePerKwh: 10, isDefault } })).body.tariff.id as number;
  await site.addCharger('CP-1');
  const effective = async () => (await site.api('/api/admin/chargers/CP-1/tariff')).body.effective;
  assert.equal(await effective(), null, 'no tariff at all: sessions are free');
  const dflt = await mk('Default', true);
  assert.deepEqual([(await effective()).tariff.id, (await effective()).source], [dflt, 'default']);
  const ofStation = await mk('Station');
  site.domain.uow.commit();
  const stationId = (site.database.sqlite.prepare("INSERT INTO station (name, created_at) VALUES ('Depot', ?) RETURNING id").get(isoNow()) as { id: number }).id;
  site.database.sqlite.prepare('UPDATE charger SET station_id = ? WHERE charge_point_id = ?').run(stationId, 'CP-1');
  await site.domain.uow.run(() => site.domain.tariffs.assignToStation(stationId, ofStation));
  assert.deepEqual([(await effective()).tariff.id, (await effective()).source], [ofStation, 'station']);
  const own = await mk('Own');
  const put = await site.api('/api/admin/chargers/CP-1/tariff', { method: 'PUT', body: { tariffId: own } });
  assert.equal(put.body.effective.source, 'charger');
  // A session records what it started with.
  site.addIdTag('TAG-1');
  const cp = await site.connectCharger('CP-1');
  const s = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 0, timestamp: isoNow() });
  assert.equal(site.domain.transactions.byId(s.transactionId)!.tariffId, own);
  await site.api('/api/admin/chargers/CP-1/tariff', { method: 'PUT', body: { tariffId: null } });
  assert.equal((await effective()).source, 'station');
  assert.equal((await site.api('/api/admin/chargers/CP-1/tariff', { method: 'PUT', body: { tariffId: 999 } })).status, 422);
  assert.equal((await site.api('/api/admin/chargers/NOPE/tariff', { method: 'PUT', body: { tariffId: null } })).status, 404);
});
