// ocpp-edge backup <file> / restore <file>: src/ops/backup.ts (SQLite online backup, integrity-checked).
import fs from 'node:fs';
import { BackupError } from '../ops/backup.js';
import { flag, parse, positional } from './args.js';
import type { Command } from './command.js';
import { cliConfig, databaseFile } from './context.js';
import { CliError } from './errors.js';

const failure = (err: unknown): never => {
  if (err instanceof BackupError) throw new CliError(err.message);
  throw err;
};

export const backupCommand: Command = {
  summary: 'copy the database to a file',
  async run(argv, globals) {
    const help = `Usage: ocpp-edge backup <file> [--overwrite]

Writes a consistent, integrity-checked copy of the database to <file>. Safe while the server runs
(chargers keep charging). The copy is one self-contained SQLite file.
  --overwrite   replace <file> if it exists
Exit codes: 0 written, 1 failed (message says why: no database yet, file exists, disk full), 2 usage error.`;
    const p = parse('backup', argv, { overwrite: { type: 'boolean' } }, help, 1);
    if (!p) return;
    const target = positional(p, 'the backup file name', 'backup');
    const dbFile = databaseFile(cliConfig(globals));
    if (!fs.existsSync(dbFile)) throw new CliError(`no database at ${dbFile} yet (is dataDir right? run \`ocpp-edge config check\`)`);
    const { backupDatabase } = await import('../ops/backup.js');
    const r = await backupDatabase(dbFile, target, { overwrite: flag(p, 'overwrite') }).catch(failure);
    process.stdout.write(`backup written: ${r.file} (${(r.bytes / 1024).toFixed(0)} KiB, ${r.durationMs} ms)\n`);
  },
};

export const restoreCommand: Command = {
  summary: 'replace the database with a backup',
  async run(argv, globals) {
    const help = `Usage: ocpp-edge restore <file>

Replaces the database with <file> after checking it is an intact ocpp-edge database. Stop the server
first (sudo systemctl stop ocpp-edge); the current database is kept beside it as
ocpp-edge.db.before-restore-<time>. A backup from an older version is upgraded when the server starts.
Exit codes: 0 restored, 1 refused (server running, damaged or foreign file), 2 usage error.`;
    const p = parse('restore', argv, {}, help, 1);
    if (!p) return;
    const source = positional(p, 'the backup file', 'restore');
    if (!fs.existsSync(source)) throw new CliError(`no file ${source}`);
    const dbFile = databaseFile(cliConfig(globals));
    const { restoreDatabase } = await import('../ops/backup.js');
    let r;
    try { r = restoreDatabase(source, dbFile); } catch (err) { failure(err); }
    process.stdout.write(`restored ${dbFile} from ${r!.restoredFrom}${r!.previous ? `; the previous database is at ${r!.previous}` : ''}\nStart the server again: sudo systemctl start ocpp-edge\n`);
  },
};
