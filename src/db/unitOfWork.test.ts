import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { UnitOfWork } from './unitOfWork.js';

function memoryDb() {
  const sqlite = new Database(':memory:');
  sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  return sqlite;
}
const count = (sqlite: Database.Database) => (sqlite.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n;

test('writes in one event-loop turn share one COMMIT and resolve only after it', async () => {
  const sqlite = memoryDb();
  const uow = new UnitOfWork(sqlite);
  const insert = sqlite.prepare('INSERT INTO t (v) VALUES (?)');
  const settled: number[] = [];
  const a = uow.run(() => insert.run('a').lastInsertRowid).then((id) => { settled.push(Number(id)); });
  const b = uow.run(() => insert.run('b').lastInsertRowid).then((id) => { settled.push(Number(id)); });
  assert.ok(sqlite.inTransaction, 'the batch is still open');
  await Promise.resolve();
  assert.deepEqual(settled, [], 'nothing resolves before the commit');
  await Promise.all([a, b]);
  assert.deepEqual(settled, [1, 2]);
  assert.equal(uow.commits, 1);
  assert.equal(sqlite.inTransaction, false);
  assert.equal(count(sqlite), 2);
});

test('a failing write rolls back only its own savepoint; the rest of the batch commits', async () => {
  const sqlite = memoryDb();
  const uow = new UnitOfWork(sqlite);
  const insert = sqlite.prepare('INSERT INTO t (v) VALUES (?)');
  const good = uow.run(() => insert.run('kept'));
  const bad = uow.run(() => { insert.run('half-written'); insert.run(null); });
  await assert.rejects(bad, /NOT NULL/);
  await good;
  assert.deepEqual(sqlite.prepare('SELECT v FROM t').all(), [{ v: 'kept' }]);
});

test('onCommit side effects wait for the commit; a closed database rejects the pending writes instead of throwing', async () => {
  const sqlite = memoryDb();
  const errors: unknown[] = [];
  const uow = new UnitOfWork(sqlite, (err) => errors.push(err));
  const insert = sqlite.prepare('INSERT INTO t (v) VALUES (?)');
  let sideEffect = false;
  const pending = uow.run(() => insert.run('x'));
  uow.onCommit(() => { sideEffect = true; });
  sqlite.close();
  await assert.rejects(pending, /closed before these writes were committed/);
  assert.equal(sideEffect, false, 'what never became durable is not announced');
  assert.equal(errors.length, 1);
});

test('side effects announced by a write that then fails are dropped with it; the others run', async () => {
  const sqlite = memoryDb();
  const uow = new UnitOfWork(sqlite);
  const insert = sqlite.prepare('INSERT INTO t (v) VALUES (?)');
  const announced: string[] = [];
  const good = uow.run(() => { insert.run('kept'); uow.onCommit(() => announced.push('kept')); });
  const bad = uow.run(() => { insert.run('gone'); uow.onCommit(() => announced.push('gone')); throw new Error('changed my mind'); });
  await assert.rejects(bad, /changed my mind/);
  await good;
  assert.deepEqual(announced, ['kept']);
});

test('a write after the database was closed is a rejected promise, not a throw (callers chain .catch)', async () => {
  const sqlite = memoryDb();
  const uow = new UnitOfWork(sqlite);
  sqlite.close();
  let result: Promise<unknown> | undefined;
  assert.doesNotThrow(() => { result = uow.run(() => 1); });
  await assert.rejects(result!, /the database is closed/);
});
