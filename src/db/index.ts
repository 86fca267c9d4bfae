// Opens the SQLite file (WAL) and applies migrations. synchronous=NORMAL: a COMMIT appends to the WAL
// without waiting for the disk, and the unit of work (unitOfWork.ts) fdatasyncs the WAL off the event
// loop before it tells anyone a write is done, so an acknowledged write still survives a power cut.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.js';
import { explainMigrationError } from './migrationErrors.js';

export type Db = BetterSQLite3Database<typeof schema>;
export type Sqlite = Database.Database;
export { schema };

const here = path.dirname(fileURLToPath(import.meta.url));
const migrationCandidates = [path.join(here, 'migrations'), path.join(here, 'db/migrations'), path.resolve(here, '../src/db/migrations')];
export const migrationsDir = migrationCandidates.find((dir) => fs.existsSync(path.join(dir, 'meta'))) ?? migrationCandidates[0]!;

export interface OpenedDb { sqlite: Sqlite; db: Db; file: string }

export function openDatabase(file: string): OpenedDb {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  // SD card policy: space freed by retention is given back in small steps (PRAGMA incremental_vacuum,
  // see domain/retention.ts), never by a whole-file VACUUM rewrite. Takes effect for a new file only.
  sqlite.pragma('auto_vacuum = INCREMENTAL');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('journal_size_limit = 67108864'); // the WAL file shrinks back to 64 MB after a burst
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -16000');
  const db = drizzle(sqlite, { schema });
  try {
    migrate(db, { migrationsFolder: migrationsDir });
  } catch (err) {
    const explained = explainMigrationError(sqlite, file, err);
    sqlite.close(); // rolled back: leave the file to the operator
    throw explained;
  }
  return { sqlite, db, file };
}
