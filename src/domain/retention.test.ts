import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../testing/testSite.js';
import { pruneOnce } from './retention.js';

const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();

test('retention deletes log rows and meter values older than configured, and caps the log rows', async () => {
  await using site = await startTestSite({ 'retention.logDays': 7, 'retention.logMaxRows': 50, 'retention.meterValueDays': 30 });
  const chargerId = await site.addCharger('CP-OLD');
  site.domain.uow.commit();
  const db = site.database.sqlite;
  const log = db.prepare("INSERT INTO log (charge_point_id, direction, message_type, action, payload, created_at) VALUES ('CP-OLD', 'IN', 2, 'Heartbeat', '{}', ?)");
  const mv = db.prepare("INSERT INTO meter_value (charger_id, connector_id, timestamp, measurand, value) VALUES (?, 1, ?, 'Energy.Active.Import.Register', '1')");
  for (let i = 0; i < 20; i++) { log.run(daysAgo(10)); mv.run(chargerId, daysAgo(40)); }
  for (let i = 0; i < 60; i++) { log.run(daysAgo(1)); mv.run(chargerId, daysAgo(2)); }
  const removed = pruneOnce(site.domain, site.config);
  assert.equal(removed.meterValues, 20);
  assert.equal(removed.log, 30, '20 too old, then 10 over the 50-row cap');
  assert.equal(site.count('log'), 50);
  assert.equal(site.count('log', `created_at < '${daysAgo(7)}'`), 0);
  assert.equal(site.count('meter_value'), 60);
});
