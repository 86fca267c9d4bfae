// Retention on a real database file: old log rows, meter values and sent outbox rows go, recent ones
// and unsent outbox rows stay, the log row cap keeps the newest rows, freed pages go back to the disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startTestSite, type TestSite } from '../support/testSite.js';

const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();

/** Rows in time order (as the server writes them): ids grow with time. */
function insertLog(site: TestSite, n: number, at: string, payload = '{}') {
  site.domain.uow.commit();
  const stmt = site.database.sqlite.prepare("INSERT INTO log (charge_point_id, direction, message_type, action, unique_id, payload, created_at) VALUES ('CP-R', 'IN', 2, 'Heartbeat', ?, ?, ?)");
  site.database.sqlite.transaction(() => { for (let i = 0; i < n; i++) stmt.run(`u${i}`, payload, at); })();
}

function insertMeterValues(site: TestSite, chargerId: number, n: number, at: string) {
  site.domain.uow.commit();
  const stmt = site.database.sqlite.prepare("INSERT INTO meter_value (charger_id, connector_id, timestamp, measurand, value, normalized) VALUES (?, 1, ?, 'Energy.Active.Import.Register', '1', 1)");
  site.database.sqlite.transaction(() => { for (let i = 0; i < n; i++) stmt.run(chargerId, at); })();
}

/** Meter values go by when the server received them: mark the rows so far as received `days` ago. */
function receivedDaysAgo(site: TestSite, days: number) {
  site.domain.uow.commit();
  site.domain.meterValues.receivedMarks.record(daysAgo(days), 0);
}

function insertOutbox(site: TestSite, n: number, occurredAt: string, sentAt: string | null) {
  site.domain.uow.commit();
  const stmt = site.database.sqlite.prepare("INSERT INTO outbox (event_id, topic, schema, payload, occurred_at, sent_at) VALUES (?, 'test', 'test/v1', '{}', ?, ?)");
  for (let i = 0; i < n; i++) stmt.run(`${occurredAt}-${sentAt}-${i}-${Math.random()}`, occurredAt, sentAt);
}

test('retention deletes log rows and meter values older than configured, and caps the log rows', async () => {
  await using site = await startTestSite({ 'retention.logDays': 7, 'retention.logMaxRows': 50, 'retention.meterValueDays': 30 });
  const chargerId = await site.addCharger('CP-OLD');
  site.domain.uow.commit();
  const db = site.database.sqlite;
  const log = db.prepare("INSERT INTO log (charge_point_id, direction, message_type, action, payload, created_at) VALUES ('CP-OLD', 'IN', 2, 'Heartbeat', '{}', ?)");
  const mv = db.prepare("INSERT INTO meter_value (charger_id, connector_id, timestamp, measurand, value) VALUES (?, 1, ?, 'Energy.Active.Import.Register', '1')");
  for (let i = 0; i < 20; i++) { log.run(daysAgo(10)); mv.run(chargerId, daysAgo(40)); }
  receivedDaysAgo(site, 40);
  for (let i = 0; i < 60; i++) { log.run(daysAgo(1)); mv.run(chargerId, daysAgo(2)); }
  const removed = await site.domain.retention.pruneOnce(site.config);
  assert.equal(removed.meterValues, 20);
  assert.equal(removed.log, 30, '20 too old, then 10 over the 50-row cap');
  assert.equal(site.count('log'), 50);
  assert.equal(site.count('log_entry', `created_at < '${daysAgo(7)}'`), 0);
  assert.equal(site.count('meter_value'), 60);
});

test('old rows go, recent rows and unsent outbox events stay', async () => {
  await using site = await startTestSite({ 'retention.logDays': 7, 'retention.logMaxRows': 0, 'retention.meterValueDays': 30, 'retention.outboxSentDays': 7 });
  const chargerId = await site.addCharger('CP-R');
  insertLog(site, 200, daysAgo(10));
  insertLog(site, 50, daysAgo(1));
  insertMeterValues(site, chargerId, 100, daysAgo(40));
  receivedDaysAgo(site, 40);
  insertMeterValues(site, chargerId, 20, daysAgo(2));
  const outboxBefore = site.count('outbox');
  insertOutbox(site, 10, daysAgo(9), daysAgo(8));
  insertOutbox(site, 5, daysAgo(9), null);
  insertOutbox(site, 3, daysAgo(1), daysAgo(1));

  const removed = await site.domain.retention.pruneOnce(site.config);
  assert.equal(removed.log, 200);
  assert.equal(removed.meterValues, 100);
  assert.equal(removed.outbox, 10);
  assert.equal(site.count('log'), 50);
  assert.equal(site.count('meter_value'), 20);
  assert.equal(site.count('outbox', 'sent_at IS NULL') - outboxBefore, 5, 'unsent events are never pruned, however old');
  assert.equal(site.count('outbox', 'sent_at IS NOT NULL'), 3);
});

test('the log row cap keeps the newest rows', async () => {
  await using site = await startTestSite({ 'retention.logDays': 0, 'retention.logMaxRows': 100 });
  insertLog(site, 250, daysAgo(0));
  const newest = (site.database.sqlite.prepare('SELECT max(id) AS id FROM log').get() as { id: number }).id;
  assert.equal((await site.domain.retention.pruneOnce(site.config)).log, 150);
  assert.equal(site.count('log'), 100);
  assert.equal(site.count('log_entry', `id > ${newest - 100}`), 100, 'the 100 newest are the ones kept');
});

test('a big prune gives its pages back to the disk (incremental vacuum)', async () => {
  await using site = await startTestSite({ 'retention.logDays': 7, 'retention.logMaxRows': 0 });
  const sqlite = site.database.sqlite;
  assert.equal(sqlite.pragma('auto_vacuum', { simple: true }), 2, 'new databases use incremental auto_vacuum');
  insertLog(site, 20_000, daysAgo(30), JSON.stringify({ filler: 'x'.repeat(400) }));
  insertLog(site, 10, daysAgo(0));
  const pagesBefore = sqlite.pragma('page_count', { simple: true }) as number;
  const removed = await site.domain.retention.pruneOnce(site.config);
  assert.equal(removed.log, 20_000);
  assert.ok(removed.reclaimedPages > 1000, `reclaimed ${removed.reclaimedPages} pages`);
  assert.equal(sqlite.pragma('freelist_count', { simple: true }), 0);
  const pagesAfter = sqlite.pragma('page_count', { simple: true }) as number;
  assert.ok(pagesAfter < pagesBefore / 4, `file shrank from ${pagesBefore} to ${pagesAfter} pages`);
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  assert.ok(fs.statSync(site.database.file).size <= pagesAfter * (sqlite.pragma('page_size', { simple: true }) as number));
  assert.equal(sqlite.pragma('integrity_check', { simple: true }), 'ok');
});

test('retention runs by itself in the background', async () => {
  await using site = await startTestSite({ 'retention.logDays': 7, 'retention.intervalSec': 1 });
  insertLog(site, 30, daysAgo(10));
  const deadline = Date.now() + 15_000;
  while (site.count('log_entry', `created_at < '${daysAgo(7)}'`) > 0) {
    assert.ok(Date.now() < deadline, 'old rows were not pruned in the background');
    await new Promise((r) => setTimeout(r, 100));
  }
});

test('without MQTT, unsent outbox events older than the window go; with MQTT they never do', async () => {
  for (const mqttEnabled of [false, true]) {
    await using site = await startTestSite({ 'retention.outboxUnsentDaysWithoutMqtt': 30, 'mqtt.enabled': mqttEnabled, 'mqtt.url': 'mqtt://127.0.0.1:1' });
    const before = site.count('outbox');
    insertOutbox(site, 4, daysAgo(40), null);
    insertOutbox(site, 3, daysAgo(20), null);
    await site.domain.retention.pruneOnce(site.config);
    assert.equal(site.count('outbox') - before, mqttEnabled ? 7 : 3, `mqtt.enabled=${mqttEnabled}`);
  }
});

test('MQTT turned off in the page while the sync still runs: background retention keeps the unsent events', async () => {
  await using site = await startTestSite({
    'retention.logDays': 7, 'retention.intervalSec': 1, 'retention.outboxUnsentDaysWithoutMqtt': 30,
    'mqtt.enabled': true, 'mqtt.url': 'mqtt://127.0.0.1:1',
  });
  const off = await site.api('/api/admin/site', { method: 'PUT', body: { mqttUrl: null } });
  assert.equal(off.status, 200);
  assert.equal(site.config.mqtt.enabled, false, 'the config says off for the next start');
  const before = site.count('outbox');
  insertOutbox(site, 4, daysAgo(40), null);
  insertLog(site, 5, daysAgo(10)); // its removal tells us a retention run has happened
  const deadline = Date.now() + 15_000;
  while (site.count('log_entry', `created_at < '${daysAgo(7)}'`) > 0) {
    assert.ok(Date.now() < deadline, 'retention did not run');
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(site.count('outbox') - before, 4, 'the running sync may still send them: none pruned');
});
