// Online backup and restore of the SQLite database.
// Backup uses SQLite's backup API (better-sqlite3 db.backup()), safe while the server runs: in WAL mode
// the copy reads a consistent snapshot and never blocks the writer. It goes to "<target>.partial",
// is checked with PRAGMA integrity_check, made a single self-contained file (journal_mode=DELETE)
// and only then renamed into place, so a half-written file never looks like a backup.
// Restore needs the server stopped (checked: it refuses while any connection holds the database).
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Sqlite } from '../db/index.js';

export class BackupError extends Error {}

export interface BackupResult { file: string; bytes: number; pages: number; durationMs: number; /** copy steps (turns of the event loop) */ steps: number }

export interface BackupOptions {
  overwrite?: boolean;
  /** How long to keep trying while the source stays busy (the server's batch open, a checkpoint). */
  busyTimeoutMs?: number;
}

/** Opens a database file without creating it. */
function openExisting(file: string, readonly = false): Sqlite {
  if (!fs.existsSync(file)) throw new BackupError(`no database at ${file}`);
  return new Database(file, { fileMustExist: true, readonly });
}

/** "ok", or the first problems integrity_check reports. */
export function checkIntegrity(file: string): string {
  const db = openExisting(file, true);
  try {
    const rows = db.pragma('integrity_check(20)') as Array<{ integrity_check: string }>;
    return rows.map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

/**
 * Copies the live database (a file path, or the server's own open connection) to target.
 * From another process, each step copies everything left in one go: SQLite restarts a backup when
 * another connection writes between steps, and small steps would never finish under steady load.
 */
/** 400 KB of 4 KB pages a step: about a millisecond of copying between two turns of the event loop. */
const OWN_CONNECTION_STEP_PAGES = 100;

export async function backupDatabase(source: string | Sqlite, target: string, opts: BackupOptions = {}): Promise<BackupResult> {
  const started = Date.now();
  const file = path.resolve(target);
  if (fs.existsSync(file) && !opts.overwrite) throw new BackupError(`${file} already exists (choose another name or overwrite)`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  const emptyPartial = () => {
    fs.rmSync(partial, { force: true });
    // A backup holds password hashes and token digests: only its owner may read it, whatever the umask.
    fs.writeFileSync(partial, '', { mode: 0o600 });
  };
  emptyPartial();
  const db = typeof source === 'string' ? openExisting(source) : source;
  let pages = 0;
  let steps = 1;
  try {
    // Through the server's own connection its writes update the copy as it goes (no restart), so the copy
    // runs in slices, yielding to the event loop between them: chargers keep being answered. From a
    // separate connection every step copies what is left (see above).
    const ownConnection = typeof source !== 'string';
    const deadline = Date.now() + (opts.busyTimeoutMs ?? 10_000);
    for (;;) {
      const result = await db.backup(partial, {
        progress: ({ totalPages, remainingPages }) => { pages = totalPages; steps++; return ownConnection ? OWN_CONNECTION_STEP_PAGES : Math.max(remainingPages, 100); },
      });
      pages = result.totalPages;
      if (pages > 0 || sourcePages(db) === 0) break;
      // SQLITE_BUSY on the very first step (the server's connection holds its write batch open while
      // the previous batch syncs, or a checkpoint holds a lock): better-sqlite3 reports it as a finished
      // backup of 0 pages and would leave an empty file. Try again shortly, in a fresh file.
      if (Date.now() >= deadline) throw new BackupError('the database stayed busy; try again');
      await new Promise((resolve) => setTimeout(resolve, 20));
      emptyPartial();
      steps = 1;
    }
  } catch (err) {
    fs.rmSync(partial, { force: true });
    const code = (err as { code?: string }).code;
    const hint = code === 'SQLITE_FULL' || /full/i.test(String(err)) ? ' (the target disk is full)' : '';
    throw new BackupError(`backup to ${file} failed${hint}: ${(err as Error).message}`);
  } finally {
    if (typeof source === 'string') db.close();
  }
  try {
    const copy = new Database(partial);
    try {
      copy.pragma('journal_mode = DELETE'); // one file, no -wal/-shm beside it
      const integrity = (copy.pragma('integrity_check(5)') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; ');
      if (integrity !== 'ok') throw new BackupError(`backup ${file} failed its integrity check: ${integrity}`);
    } finally {
      copy.close();
    }
    fs.renameSync(partial, file);
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  }
  return { file, bytes: fs.statSync(file).size, pages, durationMs: Date.now() - started, steps };
}

/** Pages in the source database (0 only for a brand-new empty file). */
function sourcePages(db: Sqlite): number {
  return Number(db.pragma('page_count', { simple: true }));
}

/** True while some process (e.g. the running server) has the database open. */
export function databaseInUse(dbFile: string): boolean {
  if (!fs.existsSync(dbFile)) return false;
  const db = new Database(dbFile, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    return false;
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw err;
  } finally {
    db.close();
  }
}

export interface RestoreResult { restoredFrom: string; previous?: string }

/**
 * Replaces dbFile with a verified copy of backupFile. The current database (with its WAL, if a crash
 * left one) is kept as "<db>.before-restore-<time>". Migrations run when the server next starts,
 * so a backup from an older version is upgraded then.
 */
export function restoreDatabase(backupFile: string, dbFile: string): RestoreResult {
  const from = path.resolve(backupFile);
  const integrity = checkIntegrity(from);
  if (integrity !== 'ok') throw new BackupError(`${from} is damaged (integrity_check: ${integrity}); not restoring it`);
  const probe = openExisting(from, true);
  try {
    const isOurs = probe.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
    if (!isOurs) throw new BackupError(`${from} is not an ocpp-edge database (no migrations table)`);
  } finally {
    probe.close();
  }
  if (databaseInUse(dbFile)) throw new BackupError(`${dbFile} is in use: stop the service first (sudo systemctl stop ocpp-edge)`);

  let previous: string | undefined;
  if (fs.existsSync(dbFile)) {
    previous = `${dbFile}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    fs.renameSync(dbFile, previous);
    for (const suffix of ['-wal', '-shm']) {
      if (fs.existsSync(dbFile + suffix)) fs.renameSync(dbFile + suffix, previous + suffix);
    }
  }
  const staging = `${dbFile}.restoring`;
  fs.copyFileSync(from, staging);
  const fd = fs.openSync(staging, 'r');
  try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
  fs.renameSync(staging, dbFile);
  return { restoredFrom: from, previous };
}
