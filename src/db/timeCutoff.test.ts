import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { firstIdAtOrAfter } from './timeCutoff.js';

function table(times: string[]) {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, at TEXT)');
  const insert = db.prepare('INSERT INTO t (at) VALUES (?)');
  for (const at of times) insert.run(at);
  return db;
}

test('finds the first row at or after the cut-off', () => {
  const times = Array.from({ length: 1000 }, (_, i) => new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString());
  const db = table(times);
  for (const k of [0, 1, 499, 500, 998, 999]) assert.equal(firstIdAtOrAfter(db, 't', 'at', times[k]!), k + 1);
  assert.equal(firstIdAtOrAfter(db, 't', 'at', '2025-01-01T00:00:00.000Z'), 1, 'everything is newer');
  assert.equal(firstIdAtOrAfter(db, 't', 'at', '2027-01-01T00:00:00.000Z'), null, 'everything is older');
});

test('copes with gaps in the ids and an empty table', () => {
  const db = table(['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04', '2026-01-05']);
  db.exec('DELETE FROM t WHERE id IN (2, 3)');
  assert.equal(firstIdAtOrAfter(db, 't', 'at', '2026-01-02'), 4);
  db.exec('DELETE FROM t');
  assert.equal(firstIdAtOrAfter(db, 't', 'at', '2026-01-02'), null);
});
