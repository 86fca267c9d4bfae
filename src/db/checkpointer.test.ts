import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createLogger } from '../log.js';
import { startCheckpointer } from './checkpointer.js';

function tempDb() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-ckpt-'));
  const file = path.join(dir, 'x.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  return { db, file, dir };
}

const until = async (cond: () => boolean, ms = 5000) => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 20))) if (cond()) return;
  assert.fail('condition not reached in time');
};

test('the worker checkpoints the WAL while the main connection writes, with automatic checkpoints off', async () => {
  const { db, file, dir } = tempDb();
  const ckpt = startCheckpointer(db, file, createLogger('silent'), { intervalMs: 50, minPages: 0 });
  assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 0, 'commits no longer checkpoint');
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  for (let batch = 0; batch < 20; batch++) db.transaction(() => { for (let i = 0; i < 200; i++) insert.run('x'.repeat(200)); })();
  await until(() => ckpt.status().lastCheckpointed > 0);
  assert.equal(ckpt.status().failed, null);
  await ckpt.stop();
  assert.equal((db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n, 4000);
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('when the worker cannot run, automatic checkpoints come back', async () => {
  const { db, file, dir } = tempDb();
  const ckpt = startCheckpointer(db, file, createLogger('silent'), { intervalMs: 50, module: 'no-such-sqlite-module' });
  assert.match(ckpt.status().failed ?? '', /cannot find no-such-sqlite-module/);
  assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 1000);
  await ckpt.stop();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a worker that dies brings automatic checkpoints back', async () => {
  const { db, dir } = tempDb();
  const ckpt = startCheckpointer(db, path.join(dir, 'missing-dir', 'nope.db'), createLogger('silent'), { intervalMs: 50 });
  await until(() => ckpt.status().failed !== null);
  assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 1000);
  await ckpt.stop();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a WAL past the restart size is checkpointed with RESTART, so the next commit starts it over', async () => {
  const { db, file, dir } = tempDb();
  db.pragma('journal_size_limit = 0'); // a WAL that starts over is cut back: its size shows each restart
  const ckpt = startCheckpointer(db, file, createLogger('silent'), { intervalMs: 50, restartPages: 200 });
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  const walBytes = () => fs.statSync(`${file}-wal`).size;
  // A writer that never pauses longer than one event-loop turn, like the group commit under load.
  let writing = true;
  let written = 0;
  let shrinks = 0;
  const writer = (async () => {
    let last = 0;
    while (writing) {
      const before = walBytes();
      db.transaction(() => { for (let i = 0; i < 50; i++) insert.run('x'.repeat(300)); })();
      const now = walBytes();
      written += Math.max(0, now - before);
      if (now < last) shrinks++;
      last = now;
      await new Promise((r) => setImmediate(r));
    }
  })();
  await until(() => ckpt.status().restarts >= 2, 15_000);
  writing = false;
  await writer;
  assert.ok(shrinks >= 1, 'the WAL started over while the writer kept writing');
  assert.ok(walBytes() < written, `the WAL (${walBytes()} bytes) is smaller than all that was written to it (${written})`);
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  await ckpt.stop();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a few small commits wait for the next checkpoint (the same pages are not written each interval); a big WAL is checkpointed at once', async () => {
  const { db, file, dir } = tempDb();
  const ckpt = startCheckpointer(db, file, createLogger('silent'), { intervalMs: 30, minPages: 100, maxDelayMs: 1500 });
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  for (let i = 0; i < 5; i++) insert.run('small'); // five commits, a handful of frames
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(ckpt.status().runs, 0, 'no checkpoint for a few frames before maxDelayMs');
  await until(() => ckpt.status().runs === 1, 3000);
  assert.ok(ckpt.status().lastCheckpointed > 0, 'after maxDelayMs the waiting frames are copied');
  assert.deepEqual([ckpt.status().mainThreadRuns, ckpt.status().worker], [1, false], 'a small backlog is copied on the main thread');
  db.transaction(() => { for (let i = 0; i < 2000; i++) insert.run('y'.repeat(400)); })(); // far more than 100 frames
  await until(() => ckpt.status().runs === 2, 5000); // the worker starts first: slow on a loaded machine
  assert.deepEqual([ckpt.status().mainThreadRuns, ckpt.status().worker], [1, true], 'a big one starts the worker');
  await ckpt.stop();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the worker stops after a while with nothing to do and starts again for the next big backlog', async () => {
  const { db, file, dir } = tempDb();
  const ckpt = startCheckpointer(db, file, createLogger('silent'), { intervalMs: 30, minPages: 100, workerIdleMs: 1000 });
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  const big = () => db.transaction(() => { for (let i = 0; i < 2000; i++) insert.run('y'.repeat(400)); })();
  big();
  await until(() => ckpt.status().runs === 1);
  assert.equal(ckpt.status().worker, true);
  await until(() => !ckpt.status().worker, 8000);
  big();
  await until(() => ckpt.status().runs === 2);
  assert.equal(ckpt.status().worker, true, 'started again');
  assert.equal(ckpt.status().failed, null, 'stopping an idle worker is no failure');
  assert.equal(db.pragma('wal_autocheckpoint', { simple: true }), 0);
  await ckpt.stop();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the main thread never checkpoints inside an open batch; it does once the batch commits', async () => {
  const { db, file, dir } = tempDb();
  const ckpt = startCheckpointer(db, file, createLogger('silent'), { intervalMs: 20, minPages: 100, maxDelayMs: 100 });
  db.prepare('INSERT INTO t (v) VALUES (?)').run('committed');
  db.exec('BEGIN IMMEDIATE'); // like the unit of work between its first write and its commit
  db.prepare('INSERT INTO t (v) VALUES (?)').run('pending');
  await new Promise((r) => setTimeout(r, 400));
  assert.equal(ckpt.status().runs, 0, 'not while the batch is open');
  db.exec('COMMIT');
  await until(() => ckpt.status().runs === 1, 2000);
  assert.equal(ckpt.status().mainThreadRuns, 1);
  await ckpt.stop();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
