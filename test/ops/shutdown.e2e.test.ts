// The real server as a child process under charging load: SIGTERM stops it cleanly (sockets closed
// with 1001, exit 0) and SIGKILL loses nothing either; in both cases every StartTransaction,
// MeterValues and StopTransaction the chargers got an answer to is in the SQLite file after a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/index.js';
import { createDomain } from '../../src/domain/index.js';
import { ChargePoint } from '../../src/sim/chargePoint.js';
import { spawnServer, type ServerProcess } from '../support/serverProcess.js';

const CHARGERS = 6;
const isoNow = () => new Date().toISOString();

/** Registers the chargers and their tags before the server runs (the server owns the file afterwards). */
async function prepareDataDir(): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-shutdown-'));
  const database = openDatabase(path.join(dataDir, 'ocpp-edge.db'));
  const domain = createDomain(database.db, database.sqlite, loadConfig({ env: {}, overrides: { dataDir } }));
  for (let i = 0; i < CHARGERS; i++) {
    await domain.chargers.create({ chargePointId: `CP-${i}` });
    database.sqlite.prepare("INSERT INTO id_tag (id_tag, status, kind, created_at) VALUES (?, 'Accepted', 'RFID', ?)").run(`TAG-${i}`, isoNow());
  }
  domain.uow.commit();
  database.sqlite.close();
  return dataDir;
}

interface Acked {
  starts: Map<number, { charger: string; meterStart: number }>; stops: Map<number, number>;
  /** "<transactionId>:<Wh>" of every acknowledged MeterValues. */
  meterValues: Set<string>; messages: number;
}

/** Each charger runs sessions back to back (start, meter values, stop) until its socket goes away. */
async function driveLoad(server: ServerProcess, acked: Acked) {
  const chargers = await Promise.all(Array.from({ length: CHARGERS }, (_, i) =>
    ChargePoint.connect({ baseUrl: `ws://127.0.0.1:${server.port}/ocpp`, id: `CP-${i}`, callTimeoutMs: 5000 })));
  const loops = chargers.map((cp, i) => (async () => {
    let meter = 0;
    try {
      for (;;) {
        const meterStart = meter;
        const start = await cp.call('StartTransaction', { connectorId: 1, idTag: `TAG-${i}`, meterStart, timestamp: isoNow() });
        acked.starts.set(start.transactionId, { charger: `CP-${i}`, meterStart });
        acked.messages++;
        for (let k = 0; k < 2; k++) {
          meter += 100;
          await cp.call('MeterValues', { connectorId: 1, transactionId: start.transactionId, meterValue: [{ timestamp: isoNow(), sampledValue: [{ value: String(meter) }] }] });
          acked.meterValues.add(`${start.transactionId}:${meter}`);
          acked.messages++;
        }
        meter += 100;
        await cp.call('StopTransaction', { transactionId: start.transactionId, meterStop: meter, timestamp: isoNow(), reason: 'Local' });
        acked.stops.set(start.transactionId, meter);
        acked.messages++;
      }
    } catch { /* the server went away: that is the point */ }
  })());
  return { chargers, done: () => Promise.all(loops) };
}

async function untilAcked(acked: Acked, n: number) {
  const deadline = Date.now() + 30_000;
  while (acked.messages < n) {
    if (Date.now() > deadline) throw new Error(`only ${acked.messages} messages acknowledged`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Every acknowledged start is a row; every acknowledged stop completed its row with the meter value. */
function assertAllAcknowledgedStored(dbFile: string, acked: Acked) {
  const db = new Database(dbFile, { readonly: true });
  try {
    assert.equal((db.pragma('integrity_check') as Array<{ integrity_check: string }>)[0]!.integrity_check, 'ok');
    const byId = db.prepare('SELECT t.id, t.status, t.meter_start AS meterStart, t.meter_stop AS meterStop, c.charge_point_id AS cp FROM "transaction" t JOIN charger c ON c.id = t.charger_id WHERE t.id = ?');
    for (const [id, start] of acked.starts) {
      const row = byId.get(id) as { status: string; meterStart: number; meterStop: number | null; cp: string } | undefined;
      assert.ok(row, `acknowledged StartTransaction ${id} is in the database`);
      assert.equal(row.cp, start.charger);
      assert.equal(row.meterStart, start.meterStart);
      const stop = acked.stops.get(id);
      if (stop !== undefined) {
        assert.equal(row.status, 'COMPLETED', `acknowledged StopTransaction ${id} completed its row`);
        assert.equal(row.meterStop, stop);
      }
    }
    const stored = new Set((db.prepare('SELECT transaction_id AS tx, value FROM meter_value').all() as Array<{ tx: number; value: string }>)
      .map((r) => `${r.tx}:${r.value}`));
    const lost = [...acked.meterValues].filter((mv) => !stored.has(mv));
    assert.deepEqual(lost, [], 'every acknowledged MeterValues is stored');
    // ...and readable as its session's: within the id range of its span (kept in memory between background
    // writes, so after SIGKILL the restart gave the spans back from the readings: meterValueSpans.ts).
    const spanned = new Set((db.prepare(`SELECT m.transaction_id AS tx, m.value FROM meter_value m
      JOIN meter_value_span s ON s.transaction_id = m.transaction_id AND m.id BETWEEN s.first_id AND s.last_id`).all() as Array<{ tx: number; value: string }>)
      .map((r) => `${r.tx}:${r.value}`));
    assert.deepEqual([...acked.meterValues].filter((mv) => !spanned.has(mv)), [], 'every acknowledged MeterValues is in its session\'s span');
  } finally {
    db.close();
  }
}

for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
  test(`${signal} under load: every acknowledged start and stop survives, and the restarted server carries on`, async () => {
    const dataDir = await prepareDataDir();
    const dbFile = path.join(dataDir, 'ocpp-edge.db');
    const acked: Acked = { starts: new Map(), stops: new Map(), meterValues: new Set(), messages: 0 };
    try {
      {
        await using server = await spawnServer({ dataDir });
        const load = await driveLoad(server, acked);
        await untilAcked(acked, 300);
        const exit = await server.stop(signal);
        await load.done();
        if (signal === 'SIGTERM') {
          assert.equal(exit.code, 0, server.output.slice(-5).join('\n'));
          assert.ok(server.output.some((l) => l.includes('"msg":"stopped"')));
          const codes = await Promise.all(load.chargers.map((cp) => cp.waitClosed()));
          assert.deepEqual(codes, codes.map(() => 1001), 'chargers were told the server is going away');
        } else {
          assert.equal(exit.signal, 'SIGKILL');
        }
      }
      assert.ok(acked.starts.size >= CHARGERS && acked.stops.size > 0, `load ran (${acked.starts.size} starts, ${acked.stops.size} stops)`);

      // Restart on the same files: WAL recovery after SIGKILL, migrations are a no-op, chargers reconnect.
      await using again = await spawnServer({ dataDir });
      const cp = await ChargePoint.connect({ baseUrl: `ws://127.0.0.1:${again.port}/ocpp`, id: 'CP-0' });
      const next = await cp.call('StartTransaction', { connectorId: 2, idTag: 'TAG-0', meterStart: 0, timestamp: isoNow() });
      assert.ok(next.transactionId > Math.max(...acked.starts.keys()), 'transaction ids never repeat after a restart');
      await cp.close();
      assert.equal((await again.stop('SIGTERM')).code, 0);
      assertAllAcknowledgedStored(dbFile, acked);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
}
