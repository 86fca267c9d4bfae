// Retention in slices: everything expected goes (meter values, log, status history, security events,
// data transfers), nothing else, the database stays consistent, and chargers are answered meanwhile.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, type TestSite } from '../support/testSite.js';

const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(Date.now() - d * DAY).toISOString();

function insertMany(site: TestSite, sql: string, n: number, ...args: unknown[]) {
  site.domain.uow.commit();
  const stmt = site.database.sqlite.prepare(sql);
  site.database.sqlite.transaction(() => { for (let i = 0; i < n; i++) stmt.run(...args); })();
}
const meterValues = (site: TestSite, chargerId: number, n: number) => insertMany(site,
  "INSERT INTO meter_value (charger_id, connector_id, timestamp, measurand, value) VALUES (?, 1, ?, 'Energy.Active.Import.Register', '1')", n, chargerId, daysAgo(0));
const logRows = (site: TestSite, n: number, at: string) => insertMany(site,
  "INSERT INTO log (charge_point_id, direction, message_type, action, payload, created_at) VALUES ('CP-B', 'IN', 2, 'Heartbeat', '{}', ?)", n, at);
const statusRows = (site: TestSite, chargerId: number, n: number, at: string) => insertMany(site,
  "INSERT INTO status_history (charger_id, connector_id, status, error_code, received_at) VALUES (?, 1, 'Available', 'NoError', ?)", n, chargerId, at);
const securityRows = (site: TestSite, chargerId: number, n: number, at: string) => insertMany(site,
  "INSERT INTO security_event (charger_id, type, timestamp, received_at) VALUES (?, 'StartupOfTheDevice', ?, ?)", n, chargerId, at, at);
const transferRows = (site: TestSite, chargerId: number, n: number, at: string) => insertMany(site,
  "INSERT INTO data_transfer (charger_id, vendor_id, data, received_at) VALUES (?, 'acme', 'x', ?)", n, chargerId, at);

test('status history, security events and data transfers are kept 365 days by default', async () => {
  await using site = await startTestSite();
  const r = site.config.retention;
  assert.deepEqual([r.statusHistoryDays, r.securityEventDays, r.dataTransferDays], [365, 365, 365]);
  const chargerId = await site.addCharger('CP-B');
  const before = { status: site.count('status_history'), security: site.count('security_event'), transfer: site.count('data_transfer') };
  statusRows(site, chargerId, 30, daysAgo(400)); statusRows(site, chargerId, 4, daysAgo(300));
  securityRows(site, chargerId, 3, daysAgo(366)); securityRows(site, chargerId, 2, daysAgo(1));
  transferRows(site, chargerId, 5, daysAgo(500)); transferRows(site, chargerId, 6, daysAgo(364));
  const removed = await site.domain.retention.pruneOnce(site.config);
  assert.deepEqual([removed.statusHistory, removed.securityEvents, removed.dataTransfers], [30, 3, 5]);
  assert.equal(site.count('status_history') - before.status, 4);
  assert.equal(site.count('security_event') - before.security, 2);
  assert.equal(site.count('data_transfer') - before.transfer, 6);
});

test('slices of 1000 rows remove exactly the old rows of every kind and leave a consistent database', async () => {
  await using site = await startTestSite({ 'retention.logDays': 7, 'retention.logMaxRows': 0, 'retention.meterValueDays': 30,
    'retention.statusHistoryDays': 90, 'retention.securityEventDays': 90, 'retention.dataTransferDays': 90 });
  const chargerId = await site.addCharger('CP-B');
  const start = Date.now();
  meterValues(site, chargerId, 25_500);
  await site.domain.retention.pruneOnce(site.config, { now: start }); // the server's mark: these 25 500 arrived now
  logRows(site, 12_345, daysAgo(-21)); statusRows(site, chargerId, 2_500, daysAgo(51)); // all old by start + 40 days
  meterValues(site, chargerId, 3_000);
  const later = start + 40 * DAY;
  const fresh = new Date(later).toISOString();
  logRows(site, 100, fresh); statusRows(site, chargerId, 10, fresh);
  securityRows(site, chargerId, 1_001, daysAgo(60)); securityRows(site, chargerId, 7, fresh);
  transferRows(site, chargerId, 999, daysAgo(70)); transferRows(site, chargerId, 3, fresh);
  const before = { log: site.count('log'), mv: site.count('meter_value') };

  let slices = 0;
  const removed = await site.domain.retention.pruneOnce(site.config, { now: later, batchRows: 1000, shouldStop: () => { slices++; return false; } });
  assert.ok(slices > 40, `worked in ${slices} slices`);
  assert.equal(removed.meterValues, 25_500, 'the rows received 40 days ago, not the 3000 received since');
  assert.equal(site.count('meter_value'), before.mv - 25_500);
  assert.ok(removed.log >= 12_345 && site.count('log_entry', `created_at >= '${fresh}'`) === 100, 'old log rows gone, fresh ones kept');
  assert.equal(site.count('log_entry', `created_at < '${new Date(later - 7 * DAY).toISOString()}'`), 0);
  assert.equal(removed.statusHistory, 2_500);
  assert.equal(site.count('status_history', `received_at < '${new Date(later - 90 * DAY).toISOString()}'`), 0);
  assert.equal(site.count('status_history', `received_at = '${fresh}'`), 10);
  assert.deepEqual([removed.securityEvents, removed.dataTransfers], [1_001, 999]);
  assert.deepEqual([site.count('security_event', `received_at = '${fresh}'`), site.count('data_transfer')], [7, 3]);
  const sqlite = site.database.sqlite;
  assert.equal(sqlite.pragma('integrity_check', { simple: true }), 'ok');
  assert.deepEqual(sqlite.pragma('foreign_key_check'), []);
});

test('meter values over the row cap go, the newest stay', async () => {
  await using site = await startTestSite({ 'retention.meterValueDays': 0, 'retention.meterValueMaxRows': 100 });
  const chargerId = await site.addCharger('CP-B');
  meterValues(site, chargerId, 250);
  const newest = (site.database.sqlite.prepare('SELECT max(id) AS id FROM meter_value').get() as { id: number }).id;
  assert.equal((await site.domain.retention.pruneOnce(site.config, { batchRows: 40 })).meterValues, 150);
  assert.equal(site.count('meter_value', `id > ${newest - 100}`), 100);
  assert.equal(site.count('meter_value'), 100);
});

test('a charger is answered while a big prune runs', async () => {
  await using site = await startTestSite({ 'retention.logDays': 7, 'retention.logMaxRows': 0 });
  const cp = await site.connectCharger('CP-B');
  logRows(site, 60_000, daysAgo(30));
  let answered = 0;
  let pruning = true;
  const pinger = (async () => {
    while (pruning) { await cp.call('Heartbeat', {}); answered++; }
  })();
  const removed = await site.domain.retention.pruneOnce(site.config, { batchRows: 1000 });
  const answeredDuringPrune = answered;
  pruning = false;
  await pinger;
  assert.equal(removed.log >= 60_000, true);
  assert.ok(answeredDuringPrune > 0, 'heartbeats were answered between slices');
});
