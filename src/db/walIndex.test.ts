// Looking at the -shm must leave SQLite's POSIX locks on it alone: closing a descriptor of the file drops
// every lock the process holds there. Seen as a SIGBUS in the backup e2e test: the CLI, another process,
// found no lock on the -shm, took itself for its first user and truncated it under the server's mapping.
// https://www.sqlite.org/howtocorrupt.html#_posix_advisory_locks_canceled_by_a_separate_thread_doing_close_
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { createLogger } from '../log.js';
import { startCheckpointer } from './checkpointer.js';
import { WalIndex } from './walIndex.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function tempDb(t: { after(fn: () => void): void }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-walindex-'));
  const file = path.join(dir, 'x.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (v TEXT)');
  t.after(() => { if (db.open) db.close(); fs.rmSync(dir, { recursive: true, force: true }); });
  return { db, file };
}

/** Another process (like `ocpp-edge backup` beside the server) opens the database and tries to write. */
function otherProcessWrites(file: string): string {
  const script = `const db = new (require('better-sqlite3'))(${JSON.stringify(file)}); db.pragma('busy_timeout = 0');
    try { db.exec("BEGIN IMMEDIATE; INSERT INTO t VALUES ('other'); COMMIT"); console.log('wrote'); } catch (e) { console.log(e.code); }`;
  return execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }).trim();
}

test('reading the waiting frames keeps the write lock: another process cannot write beside this one', (t) => {
  const { db, file } = tempDb(t);
  const index = new WalIndex(file);
  db.exec("BEGIN IMMEDIATE; INSERT INTO t VALUES ('ours')"); // holds the WAL write lock, like an open batch
  assert.equal(otherProcessWrites(file), 'SQLITE_BUSY', 'the lock works to begin with');
  for (let i = 0; i < 3; i++) assert.equal(index.waitingFrames(), 2); // the table and the journal-mode change
  assert.equal(otherProcessWrites(file), 'SQLITE_BUSY', 'still locked after looking at the -shm');
  db.exec('COMMIT');
  assert.deepEqual(db.prepare('SELECT v FROM t').pluck().all(), ['ours']);
  db.close();
  index.close();
});

test("the checkpointer's ticks keep this process's locks on the -shm", async (t) => {
  const { db, file } = tempDb(t);
  // minPages > 0: every tick reads the -shm; nothing is due, so none checkpoints.
  const ckpt = startCheckpointer(db, file, createLogger('silent'), { intervalMs: 10, minPages: 1000, maxDelayMs: 60_000 });
  db.exec("BEGIN IMMEDIATE; INSERT INTO t VALUES ('ours')");
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(otherProcessWrites(file), 'SQLITE_BUSY');
  db.exec('COMMIT');
  await ckpt.stop();
  db.close();
  ckpt.closeWalIndex();
  assert.equal(otherProcessWrites(file), 'wrote', 'once closed, the database is free for others');
});
