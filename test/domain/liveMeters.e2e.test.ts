// A running session's live figures (energy register, power) are kept in memory and written in the
// background: a MeterValues commit stores its readings (what the charger was told is durable) but no longer
// rewrites the session row. Every reader sees the newest figures; a stop's figures are never overwritten by
// a later background write; a clean shutdown writes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, isoNow } from '../support/testSite.js';

const reading = (wh: number, w: number) => ({ timestamp: isoNow(), sampledValue: [
  { value: String(wh), measurand: 'Energy.Active.Import.Register' as const, unit: 'Wh' as const },
  { value: String(w), measurand: 'Power.Active.Import' as const, unit: 'W' as const },
] });

const stored = (site: Awaited<ReturnType<typeof startTestSite>>, id: number) =>
  site.database.sqlite.prepare('SELECT last_meter_wh AS wh, last_power_w AS w, status FROM "transaction" WHERE id = ?').get(id) as { wh: number; w: number | null; status: string };

test('MeterValues leaves the session row alone; readers see the live figures; the background write stores them', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-LIVE');
  const cp = await site.connectCharger('CP-LIVE');
  const { transactionId } = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-LIVE', meterStart: 1000, timestamp: isoNow() });
  await cp.call('MeterValues', { connectorId: 1, transactionId, meterValue: [reading(1500, 7400)] });
  await cp.call('MeterValues', { connectorId: 1, transactionId, meterValue: [reading(1800, 7200)] });
  assert.equal(site.count('meter_value', `transaction_id = ${transactionId}`), 4, 'the readings are stored with the answer');
  assert.equal(stored(site, transactionId).wh, 1000, 'the session row was rewritten per message');
  assert.equal(site.domain.transactions.byId(transactionId)!.lastMeterWh, 1800);
  const api = await site.api(`/api/admin/transactions/${transactionId}`);
  assert.equal(api.body.transaction?.lastMeterWh ?? api.body.lastMeterWh, 1800, JSON.stringify(api.body));
  const list = await site.api('/api/admin/transactions?status=RUNNING');
  assert.equal(list.body.transactions.find((t: { id: number }) => t.id === transactionId).lastPowerW, 7200);
  assert.equal((await site.api('/api/admin/transactions/summary')).body.energyWh, 800, 'totals count the live energy');
  await site.domain.transactions.live.flush();
  assert.deepEqual(stored(site, transactionId), { wh: 1800, w: 7200, status: 'RUNNING' });
});

test('a stop after live figures keeps the stop\'s figures, whatever the background write does after it', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-STOP');
  const cp = await site.connectCharger('CP-STOP');
  const { transactionId } = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-STOP', meterStart: 0, timestamp: isoNow() });
  await cp.call('MeterValues', { connectorId: 1, transactionId, meterValue: [reading(900, 7000)] });
  await cp.call('StopTransaction', { transactionId, meterStop: 1000, timestamp: isoNow(), reason: 'Local' });
  await site.domain.transactions.live.flush();
  assert.deepEqual(stored(site, transactionId), { wh: 1000, w: 0, status: 'COMPLETED' });
  assert.equal(site.domain.transactions.byId(transactionId)!.lastMeterWh, 1000);
  assert.equal(site.domain.transactions.byId(transactionId)!.energyWh, 1000);
});

test('a clean shutdown writes the live figures', async () => {
  const site = await startTestSite();
  site.addIdTag('TAG-SHUT');
  const cp = await site.connectCharger('CP-SHUT');
  const { transactionId } = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-SHUT', meterStart: 0, timestamp: isoNow() });
  await cp.call('MeterValues', { connectorId: 1, transactionId, meterValue: [reading(2500, 11000)] });
  const dir = site.dir;
  await cp.close();
  await site.stop();
  await using again = await startTestSite({}, dir);
  assert.equal(stored(again, transactionId).wh, 2500);
});
