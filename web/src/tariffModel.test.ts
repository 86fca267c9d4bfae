// The Tariffs page says which tariff prices each charger and how many chargers a price change reaches:
// its resolution must be the server's (own tariff, else the station's, else the default, else free), here
// checked against GET /api/admin/chargers/{id}/tariff on a real site for every combination.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../../test/support/testSite.js';

// A computed URL: the page's modules are plain JS without type declarations.
const { effectiveTariff, priceMinor } = await import(new URL('./tariffModel.js', import.meta.url).href);

test('priceMinor: major units with a dot or comma, blank is 0, anything else is refused in words', () => {
  assert.equal(priceMinor('0.35', 'Price per kWh'), 35);
  assert.equal(priceMinor('0,4', 'Price per kWh'), 40);
  assert.equal(priceMinor(' 12 ', 'Session fee'), 1200);
  assert.equal(priceMinor('', 'Session fee'), 0);
  for (const bad of ['0.355', '-1', '1e2', 'abc', '0.3.5']) {
    assert.throws(() => priceMinor(bad, 'Price per kWh'), (e: Error) => e.message.startsWith(`Price per kWh: "${bad}" is not a price.`));
  }
});

test('effectiveTariff: the page resolves each charger as the server does, with and without a default', async () => {
  await using site = await startTestSite();
  const make = async (body: object) => (await site.api('/api/admin/tariffs', { body: { currency: 'EUR', ...body } })).body.tariff.id as number;
  const fallback = await make({ name: 'Default', pricePerKwh: 30, isDefault: true });
  const ofStation = await make({ name: 'Station', pricePerKwh: 40 });
  const own = await make({ name: 'Own', pricePerKwh: 50 });
  const withTariff = (await site.api('/api/admin/stations', { body: { name: 'With tariff', tariffId: ofStation } })).body.station.id;
  const without = (await site.api('/api/admin/stations', { body: { name: 'Without' } })).body.station.id;
  const ids: string[] = [];
  for (const tariffId of [null, own]) {
    for (const stationId of [null, withTariff, without]) {
      const id = `CP-${ids.length}`;
      assert.equal((await site.api('/api/admin/chargers', { body: { chargePointId: id, tariffId, stationId } })).status, 201);
      ids.push(id);
    }
  }
  const compare = async () => {
    const tariffs = (await site.api('/api/admin/tariffs')).body.tariffs;
    const stations = (await site.api('/api/admin/stations')).body.stations;
    const chargers = (await site.api('/api/admin/chargers')).body.chargers;
    for (const c of chargers) {
      const server = (await site.api(`/api/admin/chargers/${c.chargePointId}/tariff`)).body.effective;
      const page = effectiveTariff(c, stations, tariffs);
      assert.deepEqual(page ? { id: page.tariff.id, source: page.source } : null, server && { id: server.tariff.id, source: server.source }, c.chargePointId);
    }
    return chargers.map((c: { chargePointId: string }) => effectiveTariff(c, stations, tariffs)?.source ?? 'free');
  };
  assert.deepEqual(await compare(), ['default', 'station', 'default', 'charger', 'charger', 'charger']);
  assert.equal((await site.api(`/api/admin/tariffs/${fallback}`, { method: 'PATCH', body: { isDefault: false } })).status, 200);
  assert.deepEqual(await compare(), ['free', 'station', 'free', 'charger', 'charger', 'charger']);
});
