import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { plainColumns, plainRows } from './plainColumns.js';
import { idTags, tariffs } from '../schema.js';

test('plainColumns names every column under its field name, and refuses a table with a column Drizzle converts', () => {
  const list = plainColumns(idTags);
  assert.match(list, /^"id" AS "id", "id_tag" AS "idTag", /);
  assert.match(list, /"parent_id_tag" AS "parentIdTag"/);
  assert.equal(list.split(', ').length, 10, 'the ten columns of id_tag');
  // tariff.is_default is a boolean column: a plain statement would hand back 0/1.
  assert.throws(() => plainColumns(tariffs), /is_default is SQLiteBoolean/);
});

test('plainRows gives a boolean column back as a boolean, as Drizzle would', () => {
  const sqlite = new Database(':memory:');
  sqlite.exec("CREATE TABLE tariff (id INTEGER PRIMARY KEY, name TEXT, currency TEXT, price_per_kwh INTEGER, session_fee INTEGER, price_per_minute INTEGER, idle_fee_per_minute INTEGER, tax_percent REAL, is_default INTEGER, created_at TEXT)");
  sqlite.exec("INSERT INTO tariff VALUES (1, 'a', 'EUR', 30, 0, 0, 0, 19.5, 1, 'x'), (2, 'b', 'EUR', 40, 0, 0, 0, 0, 0, 'y')");
  const tariff = plainRows<{ id: number; isDefault: boolean; taxPercent: number }>(tariffs);
  const byId = tariff.get(sqlite.prepare(`SELECT ${tariff.columns} FROM tariff WHERE id = @id`));
  assert.deepEqual([byId.get({ id: 1 })?.isDefault, byId.get({ id: 2 })?.isDefault, byId.get({ id: 1 })?.taxPercent], [true, false, 19.5]);
  assert.equal(byId.get({ id: 3 }), undefined);
  const first = tariff.get(sqlite.prepare(`SELECT ${tariff.columns} FROM tariff ORDER BY id LIMIT 1`));
  assert.equal(first.get()?.id, 1, 'a statement without parameters');
  sqlite.close();
});
