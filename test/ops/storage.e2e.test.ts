// A full disk (SQLite's max_page_count makes the real SQLITE_FULL path happen on any machine):
// chargers get a CALLERROR instead of a false acknowledgement, health says degraded with the reason,
// the file stays consistent, and everything recovers once there is room again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { startTestSite, isoNow } from '../support/testSite.js';
import { CallErrorReply } from '../../src/sim/chargePoint.js';
import { createLogger } from '../../src/log.js';
import { StorageMonitor } from '../../src/ops/storage.js';

const SAMPLES = 20;
const meterValues = (transactionId: number, n: number) => ({
  connectorId: 1, transactionId,
  meterValue: [{ timestamp: isoNow(), sampledValue: Array.from({ length: SAMPLES }, (_, i) => ({ value: String(n * 100 + i), measurand: 'Energy.Active.Import.Register', unit: 'Wh' })) }],
});

test('disk full: CALLERROR not a false ack, health degraded, consistent file, recovery', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-1');
  const cp = await site.connectCharger('CP-1');
  const { transactionId } = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 0, timestamp: isoNow() });
  assert.equal((await site.api('/api/health', { token: null })).status, 200);

  site.domain.uow.commit();
  const sqlite = site.database.sqlite;
  const pages = sqlite.pragma('page_count', { simple: true }) as number;
  sqlite.pragma(`max_page_count = ${pages + 3}`);
  let acked = 0;
  let refusal: CallErrorReply | undefined;
  for (let n = 0; n < 500 && !refusal; n++) {
    try { await cp.call('MeterValues', meterValues(transactionId, n)); acked++; } catch (err) {
      assert.ok(err instanceof CallErrorReply, String(err));
      refusal = err;
    }
  }
  assert.ok(refusal, 'the full disk was hit');
  assert.equal(refusal.code, 'InternalError');
  const degraded = await site.api('/api/health', { token: null });
  assert.equal(degraded.status, 503);
  assert.equal(degraded.body.status, 'degraded');
  assert.equal(degraded.body.storage.lastWriteError.code, 'SQLITE_FULL');
  assert.ok(cp.isOpen, 'the charger stays connected');

  sqlite.pragma('max_page_count = 1073741823');
  site.storage.recoverAfterMs = 100;
  await new Promise((r) => setTimeout(r, 150)); // the quiet spell before health trusts the disk again
  await cp.call('MeterValues', meterValues(transactionId, 9999));
  acked++;
  const healthy = await site.api('/api/health', { token: null });
  assert.equal(healthy.status, 200, JSON.stringify(healthy.body));
  assert.equal(healthy.body.storage.lastWriteError, undefined);
  assert.equal(sqlite.pragma('integrity_check', { simple: true }), 'ok');
  assert.equal(site.count('meter_value', `transaction_id = ${transactionId}`), acked * SAMPLES, 'exactly the acknowledged meter values are stored');
});

test('the storage monitor logs one clear line per episode and ignores non-storage errors', () => {
  const lines: string[] = [];
  const logger = createLogger('info', new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } }));
  let commits = 0;
  const monitor = new StorageMonitor('/tmp', logger, { commits: () => commits });
  monitor.recoverAfterMs = 0;
  monitor.recordWriteError(Object.assign(new Error('UNIQUE constraint failed'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }));
  assert.equal(monitor.status().lastWriteError, undefined);
  const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
  monitor.recordWriteError(full);
  monitor.recordWriteError(full);
  assert.equal(lines.filter((l) => l.includes('database writes are failing: the disk is full (SQLITE_FULL)')).length, 1);
  assert.equal(monitor.status().status, 'degraded');
  assert.equal(monitor.status().status, 'degraded', 'still degraded without a successful commit');
  commits++;
  assert.equal(monitor.status().status, 'ok');
});
