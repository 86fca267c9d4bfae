// The commit window (unitOfWork.ts): routine writes wait up to windowMs to share a commit; an urgent write,
// a full batch or the window's end commits them. Real SQLite, in memory and in a WAL file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { UnitOfWork, WINDOW_MAX_RUNS } from './unitOfWork.js';

function database(file = ':memory:') {
  const sqlite = new Database(file);
  if (file !== ':memory:') sqlite.pragma('journal_mode = WAL');
  sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  return { sqlite, insert: sqlite.prepare('INSERT INTO t (v) VALUES (?)') };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('routine writes within the window share one commit, made when the window ends', async () => {
  const { sqlite, insert } = database();
  const uow = new UnitOfWork(sqlite);
  uow.windowMs = 300;
  let settled = 0;
  const writes = [uow.run(() => insert.run('a'), { routine: true }).then(() => settled++)];
  await sleep(50);
  writes.push(uow.run(() => insert.run('b'), { routine: true }).then(() => settled++));
  await sleep(100);
  assert.equal(settled, 0, 'nothing answered inside the window');
  assert.equal(uow.commits, 0);
  await Promise.all(writes);
  assert.equal(uow.commits, 1, 'one commit for both');
  assert.equal(sqlite.inTransaction, false);
});

test('an urgent write commits the open batch, routine members included, without waiting for the window', async () => {
  const { sqlite, insert } = database();
  const uow = new UnitOfWork(sqlite);
  uow.windowMs = 60_000;
  const routine = uow.run(() => insert.run('reading'), { routine: true });
  await sleep(20);
  const started = Date.now();
  await Promise.all([uow.run(() => insert.run('start')), routine]);
  assert.ok(Date.now() - started < 5_000, 'answered long before the window');
  assert.equal(uow.commits, 1);
  // The next routine batch waits again: a timer left from the urgent one does not commit it early.
  let later = false;
  const next = uow.run(() => insert.run('later'), { routine: true }).then(() => { later = true; });
  await sleep(50);
  assert.equal(later, false);
  uow.commit(); // shutdown's commit takes the waiting batch at once
  await next;
  assert.equal(uow.commits, 2);
});

test('a routine write with its own bound commits the batch by then; a later, looser bound does not delay it', async () => {
  const { sqlite, insert } = database();
  const uow = new UnitOfWork(sqlite);
  uow.windowMs = 60_000;
  const started = Date.now();
  const loose = uow.run(() => insert.run('every minute'), { routine: true });
  const tight = uow.run(() => insert.run('every 200 ms'), { routine: true, maxWaitMs: 50 });
  const looser = uow.run(() => insert.run('every second'), { routine: true, maxWaitMs: 250 });
  await Promise.all([loose, tight, looser]);
  const waited = Date.now() - started;
  assert.ok(waited >= 45 && waited < 1_000, `committed after ${waited} ms: the tightest bound, not the window`);
  assert.equal(uow.commits, 1, 'all three in the one commit');
  // A bound under a millisecond is no wait at all.
  const t = Date.now();
  await uow.run(() => insert.run('draining'), { routine: true, maxWaitMs: 0.5 });
  assert.ok(Date.now() - t < 40);
  assert.equal(uow.commits, 2);
});

test(`a batch of ${WINDOW_MAX_RUNS} routine writes commits without waiting for the window`, async () => {
  const { sqlite, insert } = database();
  const uow = new UnitOfWork(sqlite);
  uow.windowMs = 60_000;
  await Promise.all(Array.from({ length: WINDOW_MAX_RUNS }, (_, i) => uow.run(() => insert.run(`r${i}`), { routine: true })));
  assert.equal(uow.commits, 1);
});

test('with a WAL file: routine writes arriving during a sync wait for their window, then are durable', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-window-'));
  const { sqlite, insert } = database(path.join(dir, 'db.sqlite'));
  t.after(() => { sqlite.close(); fs.rmSync(dir, { recursive: true, force: true }); });
  const uow = new UnitOfWork(sqlite);
  uow.windowMs = 200;
  const urgent = uow.run(() => insert.run('start'));
  await new Promise((r) => setImmediate(r)); // after the batch's own setImmediate: committed, syncing
  assert.equal(uow.commits, 1);
  const routine = [0, 1, 2].map((i) => uow.run(() => insert.run(`reading ${i}`), { routine: true }));
  await urgent;
  assert.equal(uow.commits, 1, 'the sync ended; the routine batch is not due yet');
  await Promise.all(routine);
  assert.equal(uow.commits, 2);
  assert.ok(uow.syncs >= 2, 'each answered batch was synced');
  assert.equal((sqlite.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n, 4);
});

test('windowMs 0: a routine write commits on the next turn like any other', async () => {
  const { sqlite, insert } = database();
  const uow = new UnitOfWork(sqlite);
  await uow.run(() => insert.run('a'), { routine: true });
  assert.equal(uow.commits, 1);
});
