// Online backup while chargers keep writing, then restore: the copy opens, passes integrity_check,
// holds everything acknowledged before the backup began, and a server started on it serves that data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startTestSite, isoNow, type TestSite } from '../support/testSite.js';
import { runCli } from '../support/cliProcess.js';
import { waitFor } from '../support/waitFor.js';
import { backupDatabase, restoreDatabase, checkIntegrity, databaseInUse, BackupError } from '../../src/ops/backup.js';

const meterValues = (txId: number, wh: number) => ({
  connectorId: 1, transactionId: txId,
  meterValue: [{ timestamp: isoNow(), sampledValue: [
    { value: String(wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
    { value: '7400', measurand: 'Power.Active.Import', unit: 'W' },
  ] }],
});

/** Chargers sending MeterValues as fast as they are answered until stop() is called. */
async function loadWith(site: TestSite, chargers: number) {
  site.addIdTag('TAG-LOAD');
  let running = true;
  let acknowledged = 0;
  const loops = await Promise.all(Array.from({ length: chargers }, async (_, i) => {
    const cp = await site.connectCharger(`CP-LOAD-${i}`);
    const { transactionId } = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-LOAD', meterStart: 0, timestamp: isoNow() });
    // Wrapped: an async function returning the loop's promise would wait for the loop to end.
    return { done: (async () => {
      let wh = 0;
      while (running) { await cp.call('MeterValues', meterValues(transactionId, wh += 10)); acknowledged++; }
    })() };
  }));
  return { get acknowledged() { return acknowledged; }, stop: async () => { running = false; await Promise.all(loops.map((l) => l.done)); } };
}

/** Enough rows that a backup takes many steps. */
function seed(site: TestSite, rows: number) {
  site.domain.uow.commit();
  const chargerId = site.domain.chargers.byChargePointId('CP-LOAD-0')!.id;
  const insert = site.database.sqlite.prepare(`INSERT INTO meter_value (charger_id, connector_id, timestamp, measurand, value, normalized)
    VALUES (?, 1, ?, 'Energy.Active.Import.Register', ?, ?)`);
  site.database.sqlite.transaction(() => { for (let i = 0; i < rows; i++) insert.run(chargerId, isoNow(), String(i), i); })();
}

const count = (file: string, table: string) => {
  const db = new Database(file, { readonly: true });
  try { return (db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n; } finally { db.close(); }
};

for (const via of ['a separate connection (the CLI)', "the server's own connection"] as const) {
  test(`backup from ${via} while chargers send MeterValues is consistent`, async () => {
    await using site = await startTestSite();
    const load = await loadWith(site, 4);
    seed(site, 30_000);
    const target = path.join(site.dir, 'backups', 'live.db');
    const ackedBefore = load.acknowledged;
    const rowsBefore = site.count('meter_value');
    // The CLI is another process (a copy through a second connection in this process would hold this
    // event loop, the server's, for the whole copy); the server's own connection copies in slices.
    // The server's event loop must keep turning during the copy (a 1 ms timer fires), and chargers go on
    // being answered (each answer also waits for its WAL sync, which can outlast a short copy on a busy disk).
    const viaCli = via.startsWith('a separate');
    let turns = 0;
    const ticker = setInterval(() => { turns++; }, 1);
    const cli = viaCli ? await runCli(site.dir, ['backup', target]) : null;
    const result = viaCli ? null : await backupDatabase(site.database.sqlite, target);
    clearInterval(ticker);
    await waitFor('chargers answered during and after the backup', () => load.acknowledged > ackedBefore + 4, 15_000);
    await load.stop();
    if (cli) assert.equal(cli.code, 0, cli.err);
    assert.ok(turns > 0, "the server's event loop ran while the backup copied");
    if (result) assert.ok(result.pages > 100 && result.steps > 1, `a backup in ${result.steps} steps`);
    assert.equal(checkIntegrity(target), 'ok');
    assert.ok(!fs.existsSync(`${target}.partial`) && !fs.existsSync(`${target}-wal`), 'one finished file');
    const inBackup = count(target, 'meter_value');
    assert.ok(inBackup >= rowsBefore, `backup holds every row committed before it began (${inBackup} >= ${rowsBefore})`);
    assert.ok(inBackup <= site.count('meter_value'));
    assert.equal(count(target, 'transaction'), 4);
  });
}

test('restore replaces the database (kept aside) and a server started on it has the backed-up data', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-restore-'));
  const backup = path.join(dir, 'backup.db');
  const siteDir = path.join(dir, 'site');
  const site = await startTestSite({}, siteDir); // stopped by hand: disposing would delete siteDir
  const dbFile = site.database.file;
  site.addIdTag('TAG-BEFORE');
  await backupDatabase(site.database.sqlite, backup);
  site.addIdTag('TAG-AFTER');
  assert.throws(() => restoreDatabase(backup, dbFile), /in use: stop the service first/);
  await site.stop();
  const restored = restoreDatabase(backup, dbFile);
  assert.ok(restored.previous && fs.existsSync(restored.previous), 'the replaced database is kept');
  assert.equal(count(restored.previous, 'id_tag'), 2);

  await using again = await startTestSite({}, siteDir);
  assert.equal(again.count('id_tag', "id_tag = 'TAG-BEFORE'"), 1);
  assert.equal(again.count('id_tag', "id_tag = 'TAG-AFTER'"), 0);
  assert.equal(databaseInUse(again.database.file), true);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('restore refuses a damaged file or one that is not an ocpp-edge database', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-restore-bad-'));
  const foreign = path.join(dir, 'foreign.db');
  const db = new Database(foreign);
  db.exec('CREATE TABLE t (x)');
  db.close();
  assert.throws(() => restoreDatabase(foreign, path.join(dir, 'ocpp-edge.db')), /not an ocpp-edge database/);
  const garbage = path.join(dir, 'garbage.db');
  fs.writeFileSync(garbage, Buffer.alloc(8192, 7));
  assert.throws(() => restoreDatabase(garbage, path.join(dir, 'ocpp-edge.db')), (err: Error) => /file is not a database|damaged/.test(err.message));
  assert.ok(!fs.existsSync(path.join(dir, 'ocpp-edge.db')), 'nothing was put in place');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('backup refuses to overwrite an existing file', async () => {
  await using site = await startTestSite();
  const target = path.join(site.dir, 'exists.db');
  fs.writeFileSync(target, 'precious');
  await assert.rejects(backupDatabase(site.database.file, target), BackupError);
  assert.equal(fs.readFileSync(target, 'utf8'), 'precious');
});

test('a backup is readable by its owner only (it holds password hashes)', async () => {
  await using site = await startTestSite();
  const target = path.join(site.dir, 'private.db');
  const previous = process.umask(0o022); // the usual umask would give 0644
  try {
    await backupDatabase(site.database.file, target);
  } finally {
    process.umask(previous);
  }
  assert.equal(fs.statSync(target).mode & 0o777, 0o600);
  assert.equal(checkIntegrity(target), 'ok');
});

/** A WAL database of n rows in a directory of its own, with the connection a server would hold. */
function walDatabase(rows: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-backup-busy-'));
  const db = new Database(path.join(dir, 'live.db'));
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE reading (id INTEGER PRIMARY KEY, value TEXT)');
  const insert = db.prepare('INSERT INTO reading (value) VALUES (?)');
  db.transaction(() => { for (let i = 0; i < rows; i++) insert.run(`value ${i}`); })();
  return { dir, db, insert, [Symbol.dispose]: () => { db.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

// The server's connection holds its next write batch open (BEGIN IMMEDIATE) while the previous batch's
// fdatasync runs, so a backup can start inside a write transaction: SQLite answers the first step with
// SQLITE_BUSY, which better-sqlite3 reports as a finished backup of 0 pages. It used to leave an empty
// file that passed the integrity check (a CI run: "a backup in 1 steps", and nothing in the copy).
test('a backup that starts while the connection holds a write transaction waits for it and copies everything', async () => {
  using live = walDatabase(5000);
  live.db.exec('BEGIN IMMEDIATE');
  live.insert.run('written inside the open batch');
  setTimeout(() => live.db.exec('COMMIT'), 100);
  const target = path.join(live.dir, 'copy.db');
  const result = await backupDatabase(live.db, target);
  assert.ok(result.pages > 10, `pages copied: ${result.pages}`);
  assert.equal(checkIntegrity(target), 'ok');
  assert.equal(count(target, 'reading'), 5001, 'every committed row, the batch committed during the wait included');
});

test('a backup whose source stays busy fails with a reason and leaves no file', async () => {
  using live = walDatabase(100);
  live.db.exec('BEGIN IMMEDIATE');
  const target = path.join(live.dir, 'copy.db');
  await assert.rejects(backupDatabase(live.db, target, { busyTimeoutMs: 200 }), (err: Error) => err instanceof BackupError && /stayed busy/.test(err.message));
  live.db.exec('COMMIT');
  assert.ok(!fs.existsSync(target) && !fs.existsSync(`${target}.partial`), 'no file left behind');
});
