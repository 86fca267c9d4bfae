// meter_value without an index by time (migration 0012_meter_value_unattached): a session's repeated reading is
// found in the session's own id range, looked for only when it is not newer than the newest the session has
// (meter_value_span.newest_at); readings no session took keep a partial index by time, for a retry or a claim.
// Real-world repeats: a Webasto on an unstable link resent the MeterValues already sent at every reconnection
// (https://github.com/sap-labs-france/ev-dashboard/issues/1686); a retried StopTransaction re-inserted every
// reading of its transactionData (https://github.com/citrineos/citrineos-core/pull/880); offline queues deliver
// older readings late.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { openDatabase } from '../../src/db/index.js';
import { databaseBefore } from '../support/databaseBefore.js';
import { MeterValues } from '../../src/domain/meterValues.js';
import { UnitOfWork } from '../../src/db/unitOfWork.js';

const REGISTER = 'Energy.Active.Import.Register';
const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
const reading = (minute: number, wh: number, extra: Array<{ value: string; measurand: 'Power.Active.Import' }> = []) => ({
  timestamp: at(minute), sampledValue: [{ value: String(wh), measurand: REGISTER as typeof REGISTER, unit: 'Wh' as const }, ...extra],
});

function seed(sqlite: Database.Database, sessions: number): void {
  sqlite.prepare("INSERT INTO charger (charge_point_id, registration_status, created_at) VALUES ('CP-1', 'Accepted', '2026-01-01T00:00:00.000Z')").run();
  const tx = sqlite.prepare(`INSERT INTO "transaction" (charger_id, connector_id, id_tag, status, auth_status, meter_start, started_at, start_received_at)
    VALUES (1, ?, 'TAG', 'RUNNING', 'Accepted', 0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`);
  for (let i = 1; i <= sessions; i++) tx.run(i);
}

function freshStore(t: { after: (fn: () => void) => void }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-mv-unattached-'));
  const { sqlite } = openDatabase(path.join(dir, 'ocpp-edge.db'));
  t.after(() => { sqlite.close(); fs.rmSync(dir, { recursive: true, force: true }); });
  seed(sqlite, 3);
  return { sqlite, meterValues: new MeterValues(sqlite, new UnitOfWork(sqlite)) };
}
const plan = (sqlite: Database.Database, sql: string) => (sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
const count = (sqlite: Database.Database, where: string) => (sqlite.prepare(`SELECT count(*) AS n FROM meter_value WHERE ${where}`).get() as { n: number }).n;

test('migration 0012 drops the time index, indexes only unattached readings and fills each span\'s newest time from its rows', (t) => {
  const file = databaseBefore(t, '0012_meter_value_unattached', (sqlite) => {
    seed(sqlite, 3);
    const mv = sqlite.prepare(`INSERT INTO meter_value (transaction_id, charger_id, connector_id, timestamp, measurand, unit, value, normalized)
      VALUES (?, 1, 1, ?, '${REGISTER}', 'Wh', ?, ?)`);
    // Session 1's readings arrived out of order (a queued batch): its newest is minute 20, not its last row's minute 5.
    for (const [tx, minute] of [[1, 10], [2, 11], [1, 20], [null, 12], [1, 5], [2, 13]] as const) mv.run(tx, at(minute), String(minute), minute);
    sqlite.prepare('INSERT INTO meter_value_span (transaction_id, first_id, last_id) VALUES (1, 1, 5), (2, 2, 6), (3, 7, 9)').run(); // 3: rows gone
  });
  const { sqlite } = openDatabase(file);
  try {
    assert.equal(sqlite.prepare("SELECT 1 FROM sqlite_master WHERE name = 'meter_value_time'").get(), undefined, 'no index by time for every reading');
    assert.deepEqual(sqlite.prepare('SELECT transaction_id AS tx, newest_at AS newestAt FROM meter_value_span ORDER BY tx').all(),
      [{ tx: 1, newestAt: at(20) }, { tx: 2, newestAt: at(13) }, { tx: 3, newestAt: null }]);
    assert.match(plan(sqlite, "SELECT id FROM meter_value WHERE transaction_id IS NULL AND timestamp = '2026' AND charger_id = 1 AND value = '1'"),
      /USING INDEX meter_value_unattached \(timestamp=\? AND charger_id=\?\)/);
    // A session's reading the charger sends again after the migration is still found.
    const meterValues = new MeterValues(sqlite, new UnitOfWork(sqlite));
    meterValues.store(1, 1, 1, [reading(5, 5), reading(21, 21)]);
    assert.deepEqual(meterValues.registerReadings(1).map((r) => r.wh), [5, 10, 20, 21]);
    meterValues.store(1, 1, 2, [reading(12, 12)]); // the unattached one, claimed by session 2
    assert.equal(count(sqlite, 'transaction_id IS NULL'), 0);
    assert.deepEqual(meterValues.spans.of(2), { first: 2, last: 6, newestAt: at(13) });
  } finally { sqlite.close(); }
});

test('a session\'s repeats are stored once wherever they come: a retry, a late queued batch, a stop\'s transactionData, twice in one message', (t) => {
  const { sqlite, meterValues } = freshStore(t);
  const power = [{ value: '7400', measurand: 'Power.Active.Import' as const }];
  // Two sessions interleaved for an hour: session 1's rows are spread among session 2's.
  for (let m = 10; m < 70; m++) { meterValues.store(1, 1, 1, [reading(m, m * 10, power)]); meterValues.store(1, 2, 2, [reading(m, m * 20, power)]); }
  meterValues.store(1, 1, 1, [reading(69, 690, power)]); // the retry of the last one, its answer lost
  meterValues.store(1, 1, 1, [reading(30, 300, power)]); // the retry of an old one (after a reconnect)
  // The queue a charger kept while offline: older than the newest stored, but new readings.
  meterValues.store(1, 1, 1, [reading(5, 50), reading(6, 60), reading(5, 50)]);
  // A stop repeating the whole session, and one reading the session never sent.
  meterValues.store(1, 1, 1, [...Array.from({ length: 60 }, (_, k) => reading(10 + k, (10 + k) * 10)), reading(70, 700)]);
  assert.deepEqual(meterValues.registerReadings(1).map((r) => r.wh), [50, 60, ...Array.from({ length: 60 }, (_, k) => (10 + k) * 10), 700]);
  assert.equal(count(sqlite, 'transaction_id = 1'), 2 + 60 * 2 + 1, 'each register and power reading once');
  assert.equal(count(sqlite, 'transaction_id = 2'), 60 * 2, 'the other session untouched');
  assert.equal(meterValues.spans.of(1)!.newestAt, at(70));
  // The same time and register but another value is another reading (a meter reset, a second meter): kept.
  meterValues.store(1, 1, 1, [reading(70, 0)]);
  assert.equal(count(sqlite, `transaction_id = 1 AND timestamp = '${at(70)}'`), 2);
  // Same time and value on another connector, or under another session, is not a repeat of session 1's.
  meterValues.store(1, 2, 2, [reading(70, 700)]);
  assert.equal(count(sqlite, `transaction_id = 2 AND timestamp = '${at(70)}'`), 1);
});

test('readings no session took: a retry is stored once, a session claims them later, and they never match another session\'s rows', (t) => {
  const { sqlite, meterValues } = freshStore(t);
  meterValues.store(1, 1, null, [reading(1, 100)]); // sent before the charger knew its transaction id
  meterValues.store(1, 1, null, [reading(1, 100)]); // and retried
  assert.equal(count(sqlite, 'transaction_id IS NULL'), 1);
  meterValues.store(1, 1, 3, [reading(2, 200)]);
  meterValues.store(1, 1, null, [reading(2, 200)]); // same as session 3's reading, but a reading with no session
  assert.equal(count(sqlite, 'transaction_id IS NULL'), 2, 'not folded into session 3');
  meterValues.store(1, 1, 1, [reading(1, 100), reading(3, 300)]); // session 1's stop repeats the unattached one
  assert.deepEqual(meterValues.registerReadings(1).map((r) => r.wh), [100, 300]);
  assert.equal(count(sqlite, 'transaction_id IS NULL'), 1, 'the claimed one left the unattached index');
  assert.deepEqual(meterValues.spans.of(1), { first: 1, last: 4, newestAt: at(3) });
});
