// Retention against wrong clocks: a charger whose clock says 1970 (after a reboot) or is far off must
// not make retention delete rows the server received recently, and rows go once they are old by the
// time the server received them, whatever time the charger wrote on them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, type TestSite } from '../support/testSite.js';

const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(Date.now() - d * DAY).toISOString();
const EPOCH = '1970-01-01T00:00:07.000Z';

function insertMeterValues(site: TestSite, chargerId: number, n: number, at: string) {
  site.domain.uow.commit();
  const stmt = site.database.sqlite.prepare("INSERT INTO meter_value (charger_id, connector_id, timestamp, measurand, value, normalized) VALUES (?, 1, ?, 'Energy.Active.Import.Register', '1', 1)");
  site.database.sqlite.transaction(() => { for (let i = 0; i < n; i++) stmt.run(chargerId, at); })();
}

function insertLog(site: TestSite, n: number, at: string) {
  site.domain.uow.commit();
  const stmt = site.database.sqlite.prepare("INSERT INTO log (charge_point_id, direction, message_type, action, payload, created_at) VALUES ('CP-C', 'IN', 2, 'Heartbeat', '{}', ?)");
  site.database.sqlite.transaction(() => { for (let i = 0; i < n; i++) stmt.run(at); })();
}

test('one meter value dated 1970 among recent rows does not take them with it', async () => {
  await using site = await startTestSite({ 'retention.meterValueDays': 30 });
  const chargerId = await site.addCharger('CP-C');
  insertMeterValues(site, chargerId, 100, daysAgo(2));
  insertMeterValues(site, chargerId, 1, EPOCH); // the charger rebooted and had no time yet
  insertMeterValues(site, chargerId, 100, daysAgo(1));
  const removed = await site.domain.retention.pruneOnce(site.config);
  assert.equal(removed.meterValues, 0, 'all 201 were received now: none is 30 days old by the server clock');
  assert.equal(site.count('meter_value'), 201);
});

test('meter values go meterValueDays after the server received them, whatever the charger clock said', async () => {
  await using site = await startTestSite({ 'retention.meterValueDays': 30 });
  const chargerId = await site.addCharger('CP-C');
  const now = Date.now();
  insertMeterValues(site, chargerId, 10, EPOCH);
  insertMeterValues(site, chargerId, 10, daysAgo(0));
  insertMeterValues(site, chargerId, 10, '2099-01-01T00:00:00.000Z'); // a clock far ahead
  assert.equal((await site.domain.retention.pruneOnce(site.config, { now })).meterValues, 0);
  // A charger that was offline for weeks delivers its queued values: old by its clock, new to us.
  insertMeterValues(site, chargerId, 7, daysAgo(40));
  assert.equal((await site.domain.retention.pruneOnce(site.config, { now: now + 29 * DAY })).meterValues, 0, 'not 30 days yet');
  const removed = await site.domain.retention.pruneOnce(site.config, { now: now + 31 * DAY });
  assert.equal(removed.meterValues, 30, 'the 30 received 31 days ago, 1970, today and 2099 alike');
  assert.equal(site.count('meter_value'), 7);
  assert.equal(site.count('meter_value', `timestamp = '${daysAgo(40)}'`), 0, 'sanity: the late ones carry their own time');
});

test('a database from before the marks: rows old by the charger clock go, recent ones stay', async () => {
  await using site = await startTestSite({ 'retention.meterValueDays': 30 });
  const chargerId = await site.addCharger('CP-C');
  insertMeterValues(site, chargerId, 50, daysAgo(40));
  insertMeterValues(site, chargerId, 100, daysAgo(2));
  insertMeterValues(site, chargerId, 1, EPOCH);
  insertMeterValues(site, chargerId, 100, daysAgo(1));
  site.database.sqlite.prepare("DELETE FROM setting WHERE key LIKE 'retention.idMarks.%'").run(); // as an upgraded database has none
  const now = Date.now();
  const removed = await site.domain.retention.pruneOnce(site.config, { now });
  assert.equal(removed.meterValues, 50, 'the 50 from 40 days ago, cut by the charger clock');
  assert.equal(site.count('meter_value', `timestamp >= '${daysAgo(30)}'`), 200, 'nothing dated after the cut-off');
  // The 1970 row may stay behind the charger-clock cut; the mark taken at the upgrade catches it later.
  // All but the newest row: it always stays, so its id (max + 1 is the next) is never handed out again.
  const left = site.count('meter_value');
  assert.equal((await site.domain.retention.pruneOnce(site.config, { now: now + 31 * DAY })).meterValues, left - 1);
  assert.equal(site.count('meter_value'), 1);
});

test('a log row dated 1970 (server clock before NTP) does not take younger log rows with it', async () => {
  await using site = await startTestSite({ 'retention.logDays': 7, 'retention.logMaxRows': 0 });
  const before = site.count('log');
  insertLog(site, 100, daysAgo(2));
  insertLog(site, 1, EPOCH);
  insertLog(site, 100, daysAgo(1));
  const removed = await site.domain.retention.pruneOnce(site.config);
  assert.equal(removed.log, 1);
  assert.equal(site.count('log') - before, 200);
});
