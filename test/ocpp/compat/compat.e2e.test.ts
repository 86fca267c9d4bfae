// The compatibility corpus replayed against the real server over real WebSockets: in tolerant mode (the
// default) every real-world deviation is answered with a schema-valid CALLRESULT, processed as the
// corpus says, and each repair counted for the charger; in strict mode the same payloads get their
// CALLERROR, as before. Sources of each case: corpus.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, isoNow, type TestSite } from '../../support/testSite.js';
import { CallErrorReply } from '../../../src/sim/chargePoint.js';
import { OcppValidator } from '../../../src/ocpp/validate.js';
import { CORPUS, TAG, type CompatCase } from './corpus.js';
import { invalidCases, validPayloads } from '../../support/ocppFuzzCases.js';
import { assertConsistent } from '../../support/ocppFuzzChecks.js';

const validator = new OcppValidator();

async function replay(site: TestSite, c: CompatCase, n: number, compatMode: 'tolerant' | 'strict') {
  const id = `CP-COMPAT-${compatMode[0]}${n}`;
  const cp = await site.connectCharger(id, { compatMode });
  const chargerId = site.domain.chargers.byChargePointId(id)!.id;
  let tx = 0;
  if (c.needsTransaction) {
    tx = (await cp.call('StartTransaction', { connectorId: 1, idTag: TAG, meterStart: 0, timestamp: isoNow() })).transactionId;
  }
  const reply = await cp.call(c.action, c.payload({ tx, now: isoNow() })).catch((err) => err);
  return { cp, chargerId, tx, reply };
}

test('tolerant mode: every corpus case gets a valid CALLRESULT, is stored as expected and its repairs are counted', async () => {
  await using site = await startTestSite();
  site.addIdTag(TAG);
  for (const [n, c] of CORPUS.entries()) {
    const { cp, chargerId, tx, reply } = await replay(site, c, n, 'tolerant');
    assert.ok(!(reply instanceof Error), `${c.id}: ${reply}`);
    validator.check(c.action, 'response', reply);
    const repairs = site.database.sqlite.prepare('SELECT kind, path, count FROM compat_repair WHERE charger_id = ? ORDER BY kind, path').all(chargerId) as { kind: string; path: string; count: number }[];
    assert.deepEqual(repairs.map((r) => [r.kind, r.path]), [...c.repairs].sort((a, b) => (a[0] + a[1]).localeCompare(b[0] + b[1])), `${c.id} repairs`);
    assert.ok(repairs.every((r) => r.count === 1), `${c.id}: one message, counted once per kind and field`);
    assert.equal(site.count('compat_review', `charger_id = ${chargerId}`), c.reviewed ? 1 : 0, `${c.id} review`);
    site.domain.uow.commit();
    assert.deepEqual(site.database.sqlite.prepare(c.stored.sql).all({ charger: chargerId, tx }), c.stored.rows, `${c.id} stored`);
    assert.match((await cp.call('Heartbeat', {})).currentTime, /^\d{4}-/, `${c.id}: connection works on`);
  }
});

test('strict mode: the same deviations get the CALLERROR of the official schema, and nothing is counted', async () => {
  await using site = await startTestSite();
  site.addIdTag(TAG);
  for (const [n, c] of CORPUS.entries()) {
    if (c.repairs.length === 0 && !c.reviewed) continue; // schema-valid as sent
    const { chargerId, reply } = await replay(site, c, n, 'strict');
    assert.ok(reply instanceof CallErrorReply, `${c.id}: expected a CALLERROR, got ${JSON.stringify(reply)}`);
    assert.match(reply.code, /Violation$/, c.id);
    assert.equal(site.count('compat_repair', `charger_id = ${chargerId}`), 0, c.id);
    assert.equal(site.count('compat_review', `charger_id = ${chargerId}`), 0, c.id);
  }
});

// EVerest/libocpp chargers send the whole session as transactionData, which "can become really large":
// https://github.com/EVerest/libocpp/pull/651
test('a 10-hour StopTransaction with 1-minute transactionData (>150 KB) is accepted and stored; larger frames stay bounded', async () => {
  await using site = await startTestSite({ 'ocpp.maxTransactionFrameBytes': 400 * 1024 });
  site.addIdTag(TAG);
  const cp = await site.connectCharger('CP-LONG');
  const start = Date.parse('2026-01-01T08:00:00Z');
  const { transactionId } = await cp.call('StartTransaction', { connectorId: 1, idTag: TAG, meterStart: 0, timestamp: new Date(start).toISOString() });
  const transactionData = Array.from({ length: 600 }, (_, i) => ({
    timestamp: new Date(start + (i + 1) * 60_000).toISOString(),
    sampledValue: [
      { value: String((i + 1) * 183), context: 'Sample.Periodic', measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
      { value: '11000', context: 'Sample.Periodic', measurand: 'Power.Active.Import', unit: 'W' },
      { value: '16.0', context: 'Sample.Periodic', measurand: 'Current.Import', unit: 'A', phase: 'L1' },
    ],
  }));
  const stop = { transactionId, meterStop: 600 * 183, timestamp: new Date(start + 601 * 60_000).toISOString(), reason: 'EVDisconnected', transactionData };
  const bytes = Buffer.byteLength(JSON.stringify([2, 'x', 'StopTransaction', stop]));
  assert.ok(bytes > 150 * 1024 && bytes < 400 * 1024, `frame of ${bytes} bytes`);
  validator.check('StopTransaction', 'response', await cp.call('StopTransaction', stop));
  assert.equal(site.count('transaction', `id = ${transactionId} AND status = 'COMPLETED' AND meter_stop = ${600 * 183}`), 1);
  assert.equal(site.count('meter_value', `transaction_id = ${transactionId}`), 1800);

  // The larger limit is only for the actions that need it: a Heartbeat this size is refused, the connection works on.
  const padded = await cp.call('DataTransfer', { vendorId: 'x', data: 'y'.repeat(200 * 1024) }).catch((e) => e);
  assert.ok(!(padded instanceof CallErrorReply), 'DataTransfer may be large');
  const big = await cp.call('Heartbeat', { pad: 'y'.repeat(100 * 1024) }).catch((e) => e);
  assert.ok(big instanceof CallErrorReply && big.code === 'FormationViolation', 'a large Heartbeat is refused');
  const tooBig = await cp.call('StopTransaction', { ...stop, transactionData: [...transactionData, ...transactionData] }).catch((e) => e);
  assert.ok(tooBig instanceof Error, 'a StopTransaction over the transaction frame limit is not processed');
  assert.equal(site.count('meter_value', `transaction_id = ${transactionId}`), 1800, 'nothing more stored');
  const again = await site.connectCharger('CP-LONG-2');
  assert.match((await again.call('Heartbeat', {})).currentTime, /^\d{4}-/, 'the server keeps serving');
});

test('tolerant mode: a transaction message the layer cannot repair is answered, kept for review and counted in /metrics', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-WORST');
  for (const [action, payload] of [['StartTransaction', { idTag: 7 }], ['StopTransaction', { meterStop: 'lots' }], ['MeterValues', { meterValue: 'none' }]] as const) {
    const reply = await cp.call(action, payload);
    validator.check(action, 'response', reply);
  }
  assert.equal(site.count('compat_review'), 3);
  assert.equal(site.count('transaction'), 0, 'nothing half-written');
  const metrics = await fetch(`${site.baseUrl}/metrics`, { headers: { authorization: `Bearer ${site.createToken('admin')}` } }).then((r) => r.text());
  assert.match(metrics, /ocpp_edge_compat_repairs_total\{action="StopTransaction",kind="stored_for_review"\} 1/);
  // The envelope stays strict in tolerant mode too.
  const broken = await cp.sendRaw('[2,"env-1","StopTransaction"]', 'env-1').catch((e) => e);
  assert.ok(broken instanceof CallErrorReply && broken.code === 'FormationViolation');
});

test('tolerant mode over the whole fuzz set: transaction messages always get a valid CALLRESULT, others a result or their CALLERROR, never an InternalError', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-FUZZ-TOLERANT');
  const payloads = validPayloads(isoNow(), 'FUZZ', 1);
  let answered = 0;
  for (const [action, valid] of Object.entries(payloads)) {
    for (const c of invalidCases(action, valid)) {
      const reply = await cp.call(action, c.payload as object).catch((e) => e);
      if (['StartTransaction', 'StopTransaction', 'MeterValues'].includes(action)) {
        assert.ok(!(reply instanceof Error), `${action} ${c.what}: ${reply}`);
        validator.check(action, 'response', reply);
        answered++;
      } else if (reply instanceof CallErrorReply) {
        assert.equal(reply.code, c.code, `${action} ${c.what}`);
      } else {
        assert.ok(!(reply instanceof Error), `${action} ${c.what}: ${reply}`);
        validator.check(action, 'response', reply);
      }
    }
  }
  assert.ok(answered > 100, `only ${answered} transaction cases`);
  assert.equal(site.count('log_entry', `direction = 'OUT' AND message_type = 4 AND payload LIKE '%InternalError%'`), 0);
  assertConsistent(site);
});

// Legrand GreenUp sends errorCode "Error": https://github.com/lbbrhzn/ocpp/issues/1248
test('the API shows the repairs in plain language and sets the mode, which takes effect on the live connection', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-API');
  const legrand = { connectorId: 0, errorCode: 'Error', status: 'Faulted', timestamp: '2024-08-03T16:16:55Z' };
  for (let i = 0; i < 3; i++) await cp.call('StatusNotification', legrand);
  const { body } = await site.api('/api/admin/chargers/CP-API/compatibility');
  assert.equal(body.compatMode, 'tolerant');
  assert.deepEqual(body.repairs.map((r: { description: string }) => r.description), ["3 StatusNotifications had errorCode 'Error'; mapped to OtherError"]);
  assert.equal((await site.api('/api/admin/chargers/CP-API', { method: 'PUT', body: { compatMode: 'lenient' } })).status, 400);
  const put = await site.api('/api/admin/chargers/CP-API', { method: 'PUT', body: { compatMode: 'strict' } });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.equal(put.body.charger.compatMode, 'strict');
  const refused = await cp.call('StatusNotification', legrand).catch((e) => e);
  assert.ok(refused instanceof CallErrorReply && refused.code === 'PropertyConstraintViolation', String(refused));
  assert.equal((await site.api('/api/admin/chargers/CP-API/compatibility')).body.repairs[0].count, 3, 'strict mode repairs nothing');
});

test('messages kept for review are pruned on the status-history window, recent ones stay', async () => {
  await using site = await startTestSite({ 'retention.statusHistoryDays': 30 });
  const chargerId = await site.addCharger('CP-OLD-REVIEW');
  site.domain.uow.commit();
  const insert = site.database.sqlite.prepare(`INSERT INTO compat_review (charger_id, action, unique_id, payload, reason, received_at) VALUES (?, 'StopTransaction', 'u', '{}', 'r', ?)`);
  for (const days of [400, 31, 29, 1]) insert.run(chargerId, new Date(Date.now() - days * 86_400_000).toISOString());
  const removed = await site.domain.retention.pruneOnce(site.config);
  assert.equal(removed.compatReviews, 2);
  assert.equal(site.count('compat_review'), 2);
});
