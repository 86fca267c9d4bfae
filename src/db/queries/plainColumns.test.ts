import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plainColumns } from './plainColumns.js';
import { idTags, tariffs } from '../schema.js';

test('plainColumns names every column under its field name, and refuses a table with a column Drizzle converts', () => {
  const list = plainColumns(idTags);
  assert.match(list, /^"id" AS "id", "id_tag" AS "idTag", /);
  assert.match(list, /"parent_id_tag" AS "parentIdTag"/);
  assert.equal(list.split(', ').length, 10, 'the ten columns of id_tag');
  // tariff.is_default is a boolean column: a plain statement would hand back 0/1.
  assert.throws(() => plainColumns(tariffs), /is_default is SQLiteBoolean/);
});
