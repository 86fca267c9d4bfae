// Migration 0010_log_charger_spans on a database from before it: the log's index on (charge_point_id, id)
// goes (a B-tree leaf per charger per batch), log_charger_span is filled from the rows already there, and
// a charger's frames are found as before: the same rows, newest first, across buckets of 65,536 ids.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openDatabase } from '../../src/db/index.js';
import { databaseBefore } from '../support/databaseBefore.js';
import { startTestSite } from '../support/testSite.js';

const MIGRATION = '0010_log_charger_spans';
const BUCKET = 65_536;

test('the log loses its charger index; the spans name every bucket that holds each charger\'s rows; queries by charger return the same rows', async (t) => {
  const expected = new Map<string, unknown[]>();
  const file = databaseBefore(t, MIGRATION, (sqlite) => {
    assert.ok(sqlite.prepare("SELECT 1 FROM sqlite_master WHERE name = 'log_charger'").get(), 'the index before');
    const row = sqlite.prepare('INSERT INTO log (id, charge_point_id, direction, message_type, action, unique_id, payload, created_at) VALUES (?, ?, ?, 2, ?, ?, ?, ?)');
    // Three chargers, rows in buckets 0, 1 and 3 (ids far apart, as a long-running site has them).
    let n = 0;
    for (const base of [1, BUCKET + 5, 3 * BUCKET + 100]) {
      for (const cp of ['CP-1', 'CP-2', 'CP-3']) {
        if (cp === 'CP-3' && base === BUCKET + 5) continue; // CP-3 was offline then
        for (let i = 0; i < 3; i++, n++) row.run(base + n, cp, i % 2 ? 'OUT' : 'IN', i ? 'Heartbeat' : 'BootNotification', `u${n}`, JSON.stringify({ n }), new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString());
      }
    }
    const select = sqlite.prepare("SELECT id, charge_point_id AS chargePointId, direction, message_type AS messageType, action, unique_id AS uniqueId, payload, created_at AS createdAt FROM log WHERE charge_point_id = ? ORDER BY id DESC");
    for (const cp of ['CP-1', 'CP-2', 'CP-3']) expected.set(cp, (select.all(cp) as Array<{ payload: string }>).map((r) => ({ ...r, payload: JSON.parse(r.payload) })));
  });
  const { sqlite } = openDatabase(file);
  try {
    assert.equal(sqlite.prepare("SELECT 1 FROM sqlite_master WHERE name = 'log_charger'").get(), undefined, 'the index is gone');
    assert.deepEqual(sqlite.prepare('SELECT charge_point_id AS cp, bucket FROM log_charger_span ORDER BY cp, bucket').all(), [
      { cp: 'CP-1', bucket: 0 }, { cp: 'CP-1', bucket: 1 }, { cp: 'CP-1', bucket: 3 },
      { cp: 'CP-2', bucket: 0 }, { cp: 'CP-2', bucket: 1 }, { cp: 'CP-2', bucket: 3 },
      { cp: 'CP-3', bucket: 0 }, { cp: 'CP-3', bucket: 3 },
    ]);
  } finally { sqlite.close(); }

  // The server on the migrated file answers each charger's query with the rows it had, and pages across buckets.
  await using site = await startTestSite({}, path.dirname(file));
  for (const [cp, rows] of expected) {
    assert.deepEqual(site.domain.messageLog.query({ chargePointId: cp }), rows, cp);
    const res = await site.api(`/api/logs?chargePointId=${cp}&limit=2&before=${3 * BUCKET}`);
    assert.deepEqual(res.body.logs.map((r: { id: number }) => r.id), rows.map((r) => (r as { id: number }).id).filter((id) => id < 3 * BUCKET).slice(0, 2), `${cp} before bucket 3`);
  }
});
