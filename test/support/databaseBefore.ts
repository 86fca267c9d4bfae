// A database file as the version before a given migration left it: for tests of that migration on real data.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { migrationsDir } from '../../src/db/index.js';

/** Applies every migration before `migration` (its tag in the journal) to a new file, runs `seed` on it, returns the file. */
export function databaseBefore(t: { after: (fn: () => void) => void }, migration: string, seed: (sqlite: Database.Database) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-migration-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const older = path.join(dir, 'migrations');
  fs.cpSync(migrationsDir, older, { recursive: true });
  const journalFile = path.join(older, 'meta/_journal.json');
  const journal = JSON.parse(fs.readFileSync(journalFile, 'utf8')) as { entries: Array<{ tag: string }> };
  const at = journal.entries.findIndex((e) => e.tag === migration);
  assert.ok(at > 0, `${migration} is in the journal`);
  journal.entries = journal.entries.slice(0, at);
  fs.writeFileSync(journalFile, JSON.stringify(journal));
  const file = path.join(dir, 'ocpp-edge.db');
  const sqlite = new Database(file);
  migrate(drizzle(sqlite), { migrationsFolder: older });
  seed(sqlite);
  sqlite.close();
  return file;
}
