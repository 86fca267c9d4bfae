// Migration 0009_meter_value_append_ids on a database from before it: meter_value loses AUTOINCREMENT (an
// insert no longer rewrites sqlite_sequence, a 4 KB page per commit) and its second index; the rows keep
// their ids; retention's marks that named ids above the newest row (its newest rows were deleted under
// AUTOINCREMENT) are lowered to it, so the ids now handed out (max + 1) are never taken for old ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../../src/db/index.js';
import { databaseBefore } from '../support/databaseBefore.js';
import { MeterValues } from '../../src/domain/meterValues.js';
import { UnitOfWork } from '../../src/db/unitOfWork.js';

const MIGRATION = '0009_meter_value_append_ids';
const MARKS = 'retention.idMarks.meter_value';


const ddl = (sqlite: Database.Database, name: string) => (sqlite.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(name) as { sql: string } | undefined)?.sql;

test('meter_value without AUTOINCREMENT and its reading index: rows and ids kept, marks above the newest id lowered to it', (t) => {
  const file = databaseBefore(t, MIGRATION, (sqlite) => {
    assert.match(ddl(sqlite, 'meter_value')!, /AUTOINCREMENT/i, 'AUTOINCREMENT before');
    sqlite.prepare("INSERT INTO charger (charge_point_id, registration_status, created_at) VALUES ('CP-1', 'Accepted', '2026-01-01T00:00:00.000Z')").run();
    const mv = sqlite.prepare("INSERT INTO meter_value (charger_id, connector_id, timestamp, measurand, value, normalized) VALUES (1, 1, ?, 'Energy.Active.Import.Register', ?, ?)");
    for (let i = 1; i <= 10; i++) mv.run(`2026-01-01T00:0${i % 10}:00.000Z`, String(i), i);
    sqlite.prepare('DELETE FROM meter_value WHERE id > 6').run(); // the newest rows went (AUTOINCREMENT still says 10)
    sqlite.prepare('INSERT INTO setting (key, value) VALUES (?, ?)').run(MARKS, JSON.stringify({ legacyMaxId: 8, marks: [['2026-01-02T00:00:00.000Z', 3], ['2026-01-03T00:00:00.000Z', 10]] }));
  });
  const { sqlite } = openDatabase(file);
  try {
    assert.doesNotMatch(ddl(sqlite, 'meter_value')!, /AUTOINCREMENT/i);
    assert.equal(ddl(sqlite, 'meter_value_reading'), undefined, 'the reading index is gone');
    assert.equal(ddl(sqlite, 'meter_value_tx'), undefined, 'the session index went too, in 0011 (meterValueSpans.test.ts)');
    assert.deepEqual(sqlite.prepare('SELECT id, value FROM meter_value ORDER BY id').all().map((r) => (r as { id: number }).id), [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(JSON.parse((sqlite.prepare('SELECT value FROM setting WHERE key = ?').get(MARKS) as { value: string }).value),
      { legacyMaxId: 6, marks: [['2026-01-02T00:00:00.000Z', 3], ['2026-01-03T00:00:00.000Z', 6]] });
    // The next row takes max + 1 and no sqlite_sequence row is touched.
    const seqBefore = sqlite.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'meter_value'").get();
    sqlite.prepare("INSERT INTO meter_value (charger_id, connector_id, timestamp, measurand, value) VALUES (1, 1, '2026-02-01T00:00:00.000Z', 'Voltage', '230')").run();
    assert.equal((sqlite.prepare('SELECT max(id) AS id FROM meter_value').get() as { id: number }).id, 7);
    assert.deepEqual(sqlite.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'meter_value'").get(), seqBefore);
  } finally { sqlite.close(); }
});

test('retention never deletes the newest meter value, so its id is never handed out again', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-mv-'));
  const { sqlite } = openDatabase(path.join(dir, 'ocpp-edge.db'));
  t.after(() => { sqlite.close(); fs.rmSync(dir, { recursive: true, force: true }); });
  sqlite.prepare("INSERT INTO charger (charge_point_id, registration_status, created_at) VALUES ('CP-1', 'Accepted', '2026-01-01T00:00:00.000Z')").run();
  const mv = sqlite.prepare("INSERT INTO meter_value (charger_id, connector_id, timestamp, measurand, value) VALUES (1, 1, '2026-01-01T00:00:00.000Z', 'Voltage', '230')");
  for (let i = 0; i < 5; i++) mv.run();
  const meterValues = new MeterValues(sqlite, new UnitOfWork(sqlite));
  // Every row is older than the cut-off, and the row cap (1) would keep only the newest anyway.
  sqlite.prepare('INSERT INTO setting (key, value) VALUES (?, ?)').run(`retention.idMarks.meter_value`, JSON.stringify({ legacyMaxId: 0, marks: [['2026-01-02T00:00:00.000Z', 5]] }));
  const plan = meterValues.prunePlan('2026-06-01T00:00:00.000Z', '2026-07-01T00:00:00.000Z', 3_600_000, 1);
  assert.ok(plan.length > 0);
  for (const d of plan) sqlite.prepare(`DELETE FROM meter_value WHERE ${d.where}`).run(...d.args);
  assert.deepEqual(sqlite.prepare('SELECT id FROM meter_value').all(), [{ id: 5 }], 'the newest row stays');
  mv.run();
  assert.equal((sqlite.prepare('SELECT max(id) AS id FROM meter_value').get() as { id: number }).id, 6, 'the next id is a new one');
});
