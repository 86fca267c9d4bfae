// Migration 0003_idtag_nocase on a database created before it (by the migrations up to 0002, as a site
// running the previous version has it): the lower(id_tag) indexes appear, data stays, lookups use them.
// A database holding tags that differ only in case is left untouched and the error names them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { and, eq, ne } from 'drizzle-orm';
import { openDatabase } from '../../src/db/index.js';
import { databaseBefore } from '../support/databaseBefore.js';
import { idTags, transactions } from '../../src/db/schema.js';
import { idTagIs } from '../../src/domain/idTagCase.js';

const MIGRATION = '0003_idtag_nocase';


const indexes = (sqlite: Database.Database, table: string) =>
  (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name").all(table) as Array<{ name: string }>).map((r) => r.name);
const addTag = (sqlite: Database.Database, tag: string) =>
  sqlite.prepare("INSERT INTO id_tag (id_tag, status, kind, created_at) VALUES (?, 'Accepted', 'RFID', '2026-01-01T00:00:00.000Z')").run(tag);

test('a database from before the migration gets the lower(id_tag) indexes, keeps its tags, and lookups use the indexes', (t) => {
  const file = databaseBefore(t, MIGRATION, (sqlite) => {
    assert.ok(indexes(sqlite, 'id_tag').includes('id_tag_id_tag_unique'), 'the old exact index is there before');
    addTag(sqlite, 'ABC123');
    addTag(sqlite, 'Other-1');
    sqlite.prepare("INSERT INTO charger (charge_point_id, registration_status, created_at) VALUES ('CP-1', 'Accepted', '2026-01-01T00:00:00.000Z')").run();
    sqlite.prepare(`INSERT INTO "transaction" (charger_id, connector_id, id_tag, status, auth_status, meter_start, started_at, start_received_at)
      VALUES (1, 1, 'abc123', 'RUNNING', 'Accepted', 0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`).run();
  });
  const { sqlite, db } = openDatabase(file);
  try {
    assert.deepEqual(indexes(sqlite, 'id_tag'), ['id_tag_lower_unique']);
    assert.ok(indexes(sqlite, 'transaction').includes('transaction_id_tag_lower'));
    assert.ok(!indexes(sqlite, 'transaction').includes('transaction_id_tag'));
    assert.deepEqual(db.select({ tag: idTags.idTag }).from(idTags).orderBy(idTags.id).all().map((r) => r.tag), ['ABC123', 'Other-1'], 'spellings kept');
    assert.equal(db.select().from(idTags).where(idTagIs(idTags.idTag, 'aBc123')).get()?.idTag, 'ABC123');
    assert.throws(() => addTag(sqlite, 'abc123'), /UNIQUE constraint failed/);

    // The queries as the domain builds them (IdTags.find, the ConcurrentTx check) are index searches.
    const plan = (q: { toSQL(): { sql: string; params: unknown[] } }) => {
      const { sql, params } = q.toSQL();
      return (sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((r) => r.detail).join('; ');
    };
    assert.match(plan(db.select().from(idTags).where(idTagIs(idTags.idTag, 'abc123'))), /SEARCH id_tag USING INDEX id_tag_lower_unique/);
    const running = db.select({ id: transactions.id }).from(transactions)
      .where(and(idTagIs(transactions.idTag, 'ABC123'), eq(transactions.status, 'RUNNING'), ne(transactions.chargerId, 2)));
    assert.match(plan(running), /SEARCH transaction USING INDEX transaction_id_tag_lower \(<expr>=\? AND status=\?\)/);
    assert.equal(running.all().length, 1, 'the session started as abc123 is ABC123 charging');
  } finally {
    sqlite.close();
  }
});

test('tags differing only in case fail the migration with their names, and the database is left as it was', (t) => {
  const file = databaseBefore(t, MIGRATION, (sqlite) => {
    for (const tag of ['abc123', 'ABC123', 'Abc123', 'X1', 'x1', 'UNIQUE-1']) addTag(sqlite, tag);
  });
  assert.throws(() => openDatabase(file), (err: Error) => {
    assert.match(err.message, /idTags are now case-insensitive/);
    assert.match(err.message, /differ only in case: ABC123 \/ Abc123 \/ abc123, X1 \/ x1\./);
    assert.match(err.message, /nothing was changed/);
    const causes: string[] = [];
    for (let c = err.cause as Error | undefined; c; c = c.cause as Error | undefined) causes.push(c.message);
    assert.match(causes.join(' <- '), /UNIQUE constraint failed: index 'id_tag_lower_unique'/, 'SQLite\'s own reason is kept as the cause');
    return true;
  });
  const before = new Database(file);
  try {
    assert.ok(indexes(before, 'id_tag').includes('id_tag_id_tag_unique'), 'rolled back: the old index is still there');
    assert.ok(!indexes(before, 'id_tag').includes('id_tag_lower_unique'));
    assert.equal((before.prepare('SELECT count(*) AS n FROM id_tag').get() as { n: number }).n, 6);
    // The operator keeps one spelling of each card; then the upgrade goes through.
    before.prepare("DELETE FROM id_tag WHERE id_tag IN ('abc123', 'Abc123', 'x1')").run();
  } finally {
    before.close();
  }
  const { sqlite } = openDatabase(file);
  try {
    assert.deepEqual(indexes(sqlite, 'id_tag'), ['id_tag_lower_unique']);
  } finally {
    sqlite.close();
  }
});
