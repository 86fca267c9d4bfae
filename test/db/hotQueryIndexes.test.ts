// Migration 0004: the hot queries have the indexes they need, and the append-only log and status history
// no longer use AUTOINCREMENT (which rewrote sqlite_sequence on every commit that appended to them);
// meter_value neither since 0009 (meterValueAppendIds.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/db/index.js';

function open(t: { after: (fn: () => void) => void }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-idx-'));
  const opened = openDatabase(path.join(dir, 'ocpp-edge.db'));
  t.after(() => { opened.sqlite.close(); fs.rmSync(dir, { recursive: true, force: true }); });
  return opened.sqlite;
}

const plan = (sqlite: ReturnType<typeof open>, sql: string) =>
  (sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((r) => r.detail).join(' | ');

test('sessions of a user by status, status history by connector and time, reservations by connector use an index', (t) => {
  const sqlite = open(t);
  assert.match(plan(sqlite, `SELECT * FROM "transaction" WHERE user_id = 1 AND status IN ('RUNNING', 'INTERRUPTED')`), /USING INDEX transaction_user/);
  assert.match(plan(sqlite, `SELECT status FROM status_history WHERE charger_id = 1 AND connector_id = 1 AND received_at > '2026' AND received_at <= '2027' ORDER BY id`),
    /USING INDEX status_history_connector_time/);
  assert.match(plan(sqlite, `SELECT * FROM reservation WHERE charger_id = 1 AND connector_id = 1 AND status IN ('Requested', 'Accepted')`), /USING INDEX reservation_connector/);
});

test('appending to the log, the status history and the meter values leaves sqlite_sequence alone', (t) => {
  const sqlite = open(t);
  for (const table of ['log', 'status_history', 'meter_value']) {
    const ddl = (sqlite.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(table) as { sql: string }).sql;
    assert.doesNotMatch(ddl, /AUTOINCREMENT/i, table);
  }
  sqlite.prepare("INSERT INTO log (charge_point_id, direction, message_type, payload, created_at) VALUES ('CP', 'IN', 2, '{}', '2026-01-01')").run();
  const seq = sqlite.prepare("SELECT name FROM sqlite_sequence WHERE name IN ('log', 'status_history', 'meter_value')").all();
  assert.deepEqual(seq, []);
});
