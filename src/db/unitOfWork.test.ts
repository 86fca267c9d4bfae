import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
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

/** A WAL database file as the server opens it, with an insert into t; closed and deleted after the test. */
function walDb(t: { after(fn: () => void): void }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uow-'));
  const sqlite = new Database(path.join(dir, 'wal.db'));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  t.after(() => { if (sqlite.open) sqlite.close(); fs.rmSync(dir, { recursive: true, force: true }); });
  return { sqlite, dir, insert: sqlite.prepare('INSERT INTO t (v) VALUES (?)') };
}

test('on a WAL file, a batch resolves only after an fdatasync of the WAL; writes that arrive during it gather in the next batch', async (t) => {
  const { sqlite, insert } = walDb(t);
  const uow = new UnitOfWork(sqlite);
  const order: string[] = [];
  // The sync runs on libuv's thread pool; a fast disk (or tmpfs) can finish it within one turn. Keeping the
  // pool's threads busy for a while first makes the sync last many turns, so the writes below surely arrive during it.
  const busy = Array.from({ length: Number(process.env.UV_THREADPOOL_SIZE ?? 4) }, () =>
    new Promise((r) => crypto.pbkdf2('busy', 'salt', 100_000, 64, 'sha512', r)));
  const first = uow.run(() => insert.run('a')).then(() => order.push(`a resolved after ${uow.syncs} sync(s)`));
  await new Promise((r) => setImmediate(r)); // the first batch commits and its fdatasync starts
  assert.equal(uow.commits, 1);
  assert.equal(uow.syncs, 0, 'committed but not yet synced');
  assert.deepEqual(order, [], 'nobody is told before the sync');
  // Ten more batches, one per event-loop turn, while the first sync may still be running.
  const more: Promise<unknown>[] = [];
  for (let i = 0; i < 10; i++) {
    more.push(uow.run(() => insert.run(`b${i}`)));
    await new Promise((r) => setImmediate(r));
  }
  assert.equal(uow.syncs, 0, 'the first sync still waits for a thread');
  assert.equal(uow.commits, 1, 'writes that arrived during the sync wait, in one open batch');
  await Promise.all([first, ...more, ...busy]);
  assert.equal(order[0], 'a resolved after 1 sync(s)');
  // Ten turns of writes that arrived while the sync ran shared one COMMIT instead of one each.
  assert.equal(uow.commits, 2, `${uow.commits} commits`);
  assert.equal(uow.syncs, uow.commits);
  assert.equal(count(sqlite), 11);
});

test('a WAL that cannot be synced rejects the batch and announces nothing', async (t) => {
  const { sqlite, dir, insert } = walDb(t);
  const errors: unknown[] = [];
  const storage: unknown[] = [];
  const uow = new UnitOfWork(sqlite, (err) => errors.push(err));
  uow.onSqliteError = (err) => storage.push(err);
  await uow.run(() => insert.run('durable'));
  // The journal is unlinked from under the database (a failing card is the real case): the sync cannot run.
  fs.unlinkSync(path.join(dir, 'wal.db-wal'));
  let announced = false;
  const lost = uow.run(() => { insert.run('not durable'); uow.onCommit(() => { announced = true; }); });
  await assert.rejects(lost, /ENOENT/);
  assert.equal(announced, false);
  assert.equal(errors.length, 1);
  assert.match(String((storage[0] as Error).message), /could not sync the database journal/);
});

test('commit() commits the open batch and syncs the WAL before it returns (shutdown, command line)', async (t) => {
  const { sqlite, insert } = walDb(t);
  const uow = new UnitOfWork(sqlite);
  const syncsBefore = uow.syncs;
  const later = uow.run(() => insert.run('at shutdown'));
  uow.commit();
  assert.equal(uow.syncs, syncsBefore + 1, 'commit() synced before returning');
  await later;
});

test('a side effect asked for between batches waits for the sync of the batch before it', async (t) => {
  const { sqlite, insert } = walDb(t);
  const uow = new UnitOfWork(sqlite);
  const written = uow.run(() => insert.run('a'));
  await new Promise((r) => setImmediate(r)); // committed, its fdatasync under way
  assert.equal(uow.syncs, 0);
  let syncsSeen = -1;
  uow.onCommit(() => { syncsSeen = uow.syncs; });
  await written;
  await new Promise((r) => setImmediate(r));
  assert.equal(syncsSeen, 1, 'ran only after the sync that made the batch durable');
});

test('commit() also settles a batch whose background sync is still running, once', async (t) => {
  const { sqlite, insert } = walDb(t);
  const uow = new UnitOfWork(sqlite);
  let announced = 0;
  const written = uow.run(() => { insert.run('a'); uow.onCommit(() => { announced++; }); });
  await new Promise((r) => setImmediate(r)); // committed; its fdatasync is on the thread pool
  assert.equal(announced, 0);
  uow.commit(); // shutdown: what that batch announces must happen before this returns
  assert.equal(announced, 1);
  await written;
  await new Promise((r) => setTimeout(r, 50)); // the background sync ends: nothing runs twice
  assert.equal(announced, 1);
});
