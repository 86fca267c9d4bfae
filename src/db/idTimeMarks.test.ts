import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { IdTimeMarks } from './idTimeMarks.js';

const HOUR = 3_600_000;
const at = (h: number) => new Date(Date.UTC(2026, 0, 1) + h * HOUR).toISOString();

function setup() {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, x TEXT); CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  const add = (n: number) => { for (let i = 0; i < n; i++) db.prepare("INSERT INTO t (x) VALUES ('')").run(); };
  const stored = () => JSON.parse((db.prepare("SELECT value FROM setting WHERE key = 'retention.idMarks.t'").get() as { value: string }).value);
  return { db, add, stored, marks: new IdTimeMarks(db, 't') };
}

test('tells the highest id written by a time, and keeps older marks spaced out', () => {
  const { add, marks, stored } = setup();
  add(5);
  marks.record(at(0), 10 * HOUR); // rows 1..5 predate the first mark: legacy
  for (let h = 1; h <= 48; h++) { add(1); marks.record(at(h), 10 * HOUR); }
  assert.equal(stored().legacyMaxId, 5);
  assert.ok(stored().marks.length <= 7, `hourly marks thinned to ${stored().marks.length}`);
  assert.equal(marks.receivedBefore(at(-1)), 0, 'nothing known before the first mark');
  const id = marks.receivedBefore(at(25));
  assert.ok(id >= 5 + 15 && id <= 5 + 25, `at most 10 h behind: ${id}`);
  assert.equal(marks.legacyMaxId(), 0, 'legacy rows are covered now');
  assert.ok(stored().marks.length < 7, 'marks before the one used are forgotten');
});

test('a clock before it was set takes no mark; marks from a clock that ran ahead are dropped', () => {
  const { add, marks, stored } = setup();
  marks.record(at(0), HOUR);
  add(3);
  marks.record('1970-01-01T00:00:05.000Z', HOUR);
  assert.equal(stored().marks.length, 1, 'no mark at 1970');
  marks.record('2099-01-01T00:00:00.000Z', HOUR); // the clock jumped a long way ahead
  add(3);
  marks.record(at(1), HOUR); // and came back
  assert.deepEqual(stored().marks.map((m: [string, number]) => m[0]), [at(0), at(1)]);
  assert.equal(marks.receivedBefore('2098-01-01T00:00:00.000Z'), 6, 'the 2099 mark is gone');
});
