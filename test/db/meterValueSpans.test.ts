// meter_value without an index by session (migration 0011_meter_value_spans): a session's readings are found
// through the id range meter_value_span names. The migration fills the spans from the rows already there; the
// readings of interleaved sessions come back as before; a retry is still stored once and a claim widens the
// span (how a retry is found since 0012: meterValueUnattached.test.ts); retention drops emptied spans; a commit of readings from 50 sessions writes a few pages, not 50;
// spans grow in memory and are written in the background, and what a crash lost of them comes back from the readings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { openDatabase } from '../../src/db/index.js';
import { databaseBefore } from '../support/databaseBefore.js';
import { MeterValues } from '../../src/domain/meterValues.js';
import { UnitOfWork } from '../../src/db/unitOfWork.js';
import { SPANS_COVER_KEY } from '../../src/domain/meterValueSpans.js';

const MIGRATION = '0011_meter_value_spans';
const REGISTER = 'Energy.Active.Import.Register';

function addCharger(sqlite: Database.Database): void {
  sqlite.prepare("INSERT INTO charger (charge_point_id, registration_status, created_at) VALUES ('CP-1', 'Accepted', '2026-01-01T00:00:00.000Z')").run();
}
function addSessions(sqlite: Database.Database, n: number): void {
  const tx = sqlite.prepare(`INSERT INTO "transaction" (charger_id, connector_id, id_tag, status, auth_status, meter_start, started_at, start_received_at)
    VALUES (1, ?, 'TAG', 'RUNNING', 'Accepted', 0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`);
  for (let i = 1; i <= n; i++) tx.run(i);
}
const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
const reading = (minute: number, wh: number) => ({ timestamp: at(minute), sampledValue: [{ value: String(wh), measurand: REGISTER as typeof REGISTER, unit: 'Wh' as const }] });

test('migration 0011 fills each session\'s span from its rows, drops the session index; readings read back as before', (t) => {
  const before = new Map<number, unknown[]>();
  const file = databaseBefore(t, MIGRATION, (sqlite) => {
    assert.ok(sqlite.prepare("SELECT 1 FROM sqlite_master WHERE name = 'meter_value_tx'").get(), 'the index before');
    addCharger(sqlite);
    addSessions(sqlite, 3);
    const mv = sqlite.prepare(`INSERT INTO meter_value (transaction_id, charger_id, connector_id, timestamp, measurand, unit, value, normalized)
      VALUES (?, 1, 1, ?, '${REGISTER}', 'Wh', ?, ?)`);
    // Three sessions interleaved, an unattached reading between them, session 3 only late.
    for (let i = 0; i < 30; i++) mv.run(i % 10 === 9 ? null : (i < 20 ? 1 + (i % 2) : 3), at(i), String(i * 100), i * 100);
    const rows = sqlite.prepare(`SELECT id, timestamp, measurand, phase, location, context, unit, value, normalized FROM meter_value
      WHERE transaction_id = ? ORDER BY timestamp, id`);
    for (const tx of [1, 2, 3]) before.set(tx, rows.all(tx));
  });
  const { sqlite } = openDatabase(file);
  try {
    assert.equal(sqlite.prepare("SELECT 1 FROM sqlite_master WHERE name = 'meter_value_tx'").get(), undefined, 'the session index is gone');
    assert.deepEqual(sqlite.prepare('SELECT transaction_id AS tx, first_id AS first, last_id AS last FROM meter_value_span ORDER BY tx').all(),
      [{ tx: 1, first: 1, last: 19 }, { tx: 2, first: 2, last: 18 }, { tx: 3, first: 21, last: 29 }]);
    const meterValues = new MeterValues(sqlite, new UnitOfWork(sqlite));
    for (const tx of [1, 2, 3]) assert.deepEqual(meterValues.forTransaction(tx), before.get(tx), `session ${tx}`);
    assert.deepEqual(meterValues.forTransaction(1, 10).map((r) => r.id), [11, 13, 15, 17, 19], 'only the rows after a live page\'s last one');
    assert.deepEqual(meterValues.registerReadings(3).map((r) => r.wh), [2000, 2100, 2200, 2300, 2400, 2500, 2600, 2700, 2800]);
    const plan = (sql: string) => (sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
    assert.match(plan('SELECT id FROM meter_value WHERE rowid BETWEEN 1 AND 9 AND transaction_id = 1'), /USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/);
  } finally { sqlite.close(); }
});

function freshDatabase(t: { after: (fn: () => void) => void }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-mv-spans-'));
  const file = path.join(dir, 'ocpp-edge.db');
  const { sqlite } = openDatabase(file);
  t.after(() => { sqlite.close(); fs.rmSync(dir, { recursive: true, force: true }); });
  addCharger(sqlite);
  return { sqlite, file };
}

test('store: a retry is stored once, a claimed reading widens the session\'s span, retention drops emptied spans', async (t) => {
  const { sqlite } = freshDatabase(t);
  addSessions(sqlite, 2);
  const meterValues = new MeterValues(sqlite, new UnitOfWork(sqlite));
  meterValues.store(1, 1, null, [reading(0, 0)]); // sent before the charger knew its transaction id
  for (let m = 1; m <= 5; m++) { meterValues.store(1, 1, 1, [reading(m, m * 10)]); meterValues.store(1, 2, 2, [reading(m, m * 20)]); }
  meterValues.store(1, 1, 1, [reading(0, 0), reading(3, 30), reading(6, 60)]); // a StopTransaction's transactionData repeats some
  assert.deepEqual(meterValues.registerReadings(1).map((r) => r.wh), [0, 10, 20, 30, 40, 50, 60], 'each once; the unattached one claimed');
  assert.deepEqual(meterValues.registerReadings(2).map((r) => r.wh), [20, 40, 60, 80, 100]);
  assert.deepEqual(meterValues.spans.of(1), { first: 1, last: 12, newestAt: at(6) });
  assert.equal(meterValues.spans.of(99), null);
  assert.deepEqual(meterValues.forTransaction(99), []);
  await meterValues.spans.flush(); // the spans kept in memory reach the table
  // Retention took every reading of session 2 and the older ones of session 1 (ids 1..11 but the newest row stays).
  sqlite.prepare('DELETE FROM meter_value WHERE rowid < 12').run();
  assert.equal(meterValues.spans.pruneBelowOldest(), 1);
  assert.deepEqual(sqlite.prepare('SELECT transaction_id AS tx FROM meter_value_span').all(), [{ tx: 1 }]);
  assert.deepEqual(meterValues.registerReadings(1).map((r) => r.wh), [60]);
});

test('a commit of one reading from each of 50 sessions writes a few pages, not one per session', (t) => {
  const { sqlite, file } = freshDatabase(t);
  addSessions(sqlite, 50);
  const meterValues = new MeterValues(sqlite, new UnitOfWork(sqlite));
  const sample = (minute: number, tx: number) => ({ timestamp: at(minute), sampledValue: [
    { value: String(minute * 100 + tx), measurand: REGISTER as typeof REGISTER, unit: 'Wh' as const },
    { value: '7400', measurand: 'Power.Active.Import' as const, unit: 'W' as const },
    { value: '32', measurand: 'Current.Import' as const, unit: 'A' as const },
    { value: '230', measurand: 'Voltage' as const, unit: 'V' as const },
  ] });
  // Hours of a site: 40 readings of every session, interleaved as they arrive, so each session's rows are spread.
  for (let m = 0; m < 40; m++) sqlite.transaction(() => { for (let tx = 1; tx <= 50; tx++) meterValues.store(1, tx, tx, [sample(m, tx)]); })();
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.transaction(() => { for (let tx = 1; tx <= 50; tx++) meterValues.store(1, tx, tx, [sample(40, tx)]); })();
  const frames = fs.statSync(`${file}-wal`).size / (4096 + 24);
  // 200 rows of ~70 bytes fill ~4 meter_value leaves, the 50 spans share one leaf; with interior pages, the
  // header and the pointer map, 8 frames. The index by session (before 0011) added one leaf per session: 69
  // frames for this commit; the index by time (0011, before 0012) ~2 leaves and its interior page: 14.
  assert.ok(frames <= 11, `WAL frames for the commit: ${frames}`);
  assert.equal(meterValues.forTransaction(7).length, 41 * 4);
});

// A site that lost power (or was SIGKILLed) between span writes: the readings are durable, the spans' growth
// was only in memory. The next start gives it back from the readings past the mark, claims included.
test('spans kept in memory at a crash come back from the readings on the next start', async (t) => {
  const { sqlite, file } = freshDatabase(t);
  addSessions(sqlite, 3);
  let uow = new UnitOfWork(sqlite);
  let meterValues = new MeterValues(sqlite, uow);
  const store = (tx: number | null, minute: number) => uow.run(() => meterValues.store(1, tx ?? 3, tx, [reading(minute, minute * 10)]));
  await store(null, 0); // before the charger knew its transaction id
  for (let m = 1; m <= 4; m++) { await store(1, m); await store(2, m); }
  await meterValues.spans.flush();
  const mark = () => Number((sqlite.prepare(`SELECT value FROM setting WHERE key = '${SPANS_COVER_KEY}'`).get() as { value: string }).value);
  assert.equal(mark(), 9, 'the mark: every reading up to id 9 is in a stored span');
  for (let m = 5; m <= 7; m++) { await store(1, m); await store(2, m); } // ids 10..15, their spans only in memory
  await store(3, 8); // a new session (id 16), its span only in memory
  await uow.run(() => meterValues.store(1, 3, 3, [reading(0, 0)])); // session 3 claims the unattached reading (id 1): stored at once
  assert.deepEqual(meterValues.spans.of(3), { first: 1, last: 16, newestAt: at(8) });
  const stored = sqlite.prepare('SELECT transaction_id AS tx, first_id AS first, last_id AS last FROM meter_value_span ORDER BY tx');
  assert.deepEqual(stored.all(), [{ tx: 1, first: 2, last: 8 }, { tx: 2, first: 3, last: 9 }, { tx: 3, first: 1, last: 1 }], 'on disk: the spans at the mark, and the claim');
  sqlite.close(); // the crash: what was in memory is gone (every write above was committed)
  const reopened = openDatabase(file).sqlite;
  t.after(() => reopened.close());
  uow = new UnitOfWork(reopened);
  meterValues = new MeterValues(reopened, uow);
  assert.deepEqual(meterValues.registerReadings(1).map((r) => r.wh), [10, 20, 30, 40, 50, 60, 70]);
  assert.deepEqual(meterValues.registerReadings(2).map((r) => r.wh), [10, 20, 30, 40, 50, 60, 70]);
  assert.deepEqual(meterValues.registerReadings(3).map((r) => r.wh), [0, 80]);
  assert.deepEqual(meterValues.spans.of(1), { first: 2, last: 14, newestAt: at(7) }, 'and the newest time, which finds retries');
  // A retry of a reading whose span had been lost is still stored once.
  await uow.run(() => meterValues.store(1, 1, 1, [reading(7, 70)]));
  assert.equal(meterValues.forTransaction(1).length, 7);
  assert.equal((reopened.prepare(`SELECT value FROM setting WHERE key = '${SPANS_COVER_KEY}'`).get() as { value: string }).value, '16', 'recovery moved the mark to the newest reading');
});

test('a database from before the mark: its stored spans are whole, so nothing is scanned again', (t) => {
  const { sqlite } = freshDatabase(t);
  addSessions(sqlite, 1);
  const mv = sqlite.prepare(`INSERT INTO meter_value (transaction_id, charger_id, connector_id, timestamp, measurand, unit, value, normalized) VALUES (?, 1, 1, ?, '${REGISTER}', 'Wh', ?, ?)`);
  for (let i = 1; i <= 5; i++) mv.run(1, at(i), String(i), i);
  mv.run(null, at(6), '6', 6);
  sqlite.prepare(`INSERT INTO meter_value_span (transaction_id, first_id, last_id, newest_at) VALUES (1, 1, 5, ?)`).run(at(5));
  const meterValues = new MeterValues(sqlite, new UnitOfWork(sqlite));
  assert.deepEqual(meterValues.spans.of(1), { first: 1, last: 5, newestAt: at(5) });
  assert.equal((sqlite.prepare(`SELECT value FROM setting WHERE key = '${SPANS_COVER_KEY}'`).get() as { value: string }).value, '5', 'the mark, from the spans themselves');
});
