// What data commands work on: the configured database file, opened directly (not through the server).
// A running server may hold the same file: WAL lets both read and write safely, and each command's
// writes are one short transaction, so the server waits at most a few milliseconds (busy_timeout).
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { CliError, EXIT } from './errors.js';
import type { OpenedDb } from '../db/index.js';
import type { Domain } from '../domain/index.js';

export interface Globals {
  /** --config <file>; otherwise OCPP_EDGE_CONFIG or ./config.json, as for the server. */
  configFile?: string;
}

export interface CliContext {
  config: Config;
  database: OpenedDb;
  domain: Domain;
  dbFile: string;
  /** Commits anything pending and closes the database. */
  close(): void;
}

export function cliConfig(globals: Globals): Config {
  try {
    return loadConfig({ file: globals.configFile });
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(`${err.message}\nFix the file (or the OCPP_EDGE_* variable) and run \`ocpp-edge config check\`.`, EXIT.config);
    throw err;
  }
}

export const databaseFile = (config: Config) => path.join(config.dataDir, 'ocpp-edge.db');

/** Opens (creating and migrating when needed) the database in the configured dataDir. */
export async function openCli(globals: Globals): Promise<CliContext> {
  const config = cliConfig(globals);
  const dbFile = databaseFile(config);
  // Loaded lazily so `--help` and `config check` work even where a native module cannot load.
  const { openDatabase } = await import('../db/index.js');
  const { createDomain } = await import('../domain/index.js');
  let database: OpenedDb;
  try {
    database = openDatabase(dbFile);
  } catch (err) {
    throw new CliError(`cannot open the database ${dbFile}: ${(err as Error).message}\n` +
      'Check dataDir in the config and that you may write there (installed: run the command with sudo).');
  }
  // A failed commit rejects the command's own uow.run promise, which ends the command with its message.
  const domain = createDomain(database.db, database.sqlite, config);
  return {
    config, database, domain, dbFile,
    close() {
      domain.uow.commit();
      database.sqlite.close();
      domain.uow.closeWal();
    },
  };
}

/** Runs fn with an open database and always closes it. */
export async function withDatabase<T>(globals: Globals, fn: (ctx: CliContext) => Promise<T>): Promise<T> {
  const ctx = await openCli(globals);
  try {
    return await fn(ctx);
  } finally {
    ctx.close();
  }
}
