// Hostile chargers against the real server: every schema violation of every charger-initiated action,
// schema-valid but hostile payloads and message orders, and broken frames. Never an InternalError, never
// a crash, the connection answers a Heartbeat afterwards, and the database stays consistent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, isoNow, type TestSite } from '../support/testSite.js';
import { addTariff, addUser, topUp } from '../support/wallets.js';
import { invalidCases, validPayloads } from '../support/ocppFuzzCases.js';
import { assertConsistent, expectCallError, expectValidResult, RawCharger, stillWorks } from '../support/ocppFuzzChecks.js';
import { handlers } from '../../src/ocpp/handlers/index.js';
import { OcppValidator } from '../../src/ocpp/validate.js';
import type { ChargePoint } from '../../src/sim/chargePoint.js';

const U20 = '€'.repeat(19) + '😀'; // 20 characters, 41 UTF-16 units, 62 bytes
const uni = (n: number) => 'ü'.repeat(n - 1) + '😀';

test('every schema violation of every charger-initiated action gets its CALLERROR code, stores nothing, and the connection works on', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-INVALID', { compatMode: 'strict' }); // conformance; the tolerant counterpart is test/ocpp/compat
  const payloads = validPayloads(isoNow(), 'FUZZ', 1);
  assert.deepEqual(Object.keys(payloads).sort(), Object.keys(handlers).sort(), 'every handled action has fuzz cases');
  const validator = new OcppValidator();
  let sent = 0;
  for (const [action, valid] of Object.entries(payloads)) {
    validator.check(action, 'request', valid);
    const cases = invalidCases(action, valid);
    assert.ok(cases.length > 0 || action === 'Heartbeat', `${action} has cases`);
    for (const c of cases) {
      await expectCallError(cp.call(action, c.payload as object), c.code, `${action} ${c.what}`);
      sent++;
    }
    await stillWorks(cp, action);
  }
  assert.ok(sent > 250, `only ${sent} cases`);
  for (const table of ['transaction', 'meter_value', 'status_history', 'data_transfer', 'security_event']) assert.equal(site.count(table), 0, table);
  assertConsistent(site);
});

test('schema-valid hostile payloads for every action get schema-valid answers and are stored as sent', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-HOSTILE');
  site.addIdTag(U20);
  const boot = { chargePointVendor: uni(20), chargePointModel: uni(20), chargePointSerialNumber: uni(25), chargeBoxSerialNumber: uni(25),
    firmwareVersion: uni(50), iccid: uni(20), imsi: uni(20), meterType: uni(25), meterSerialNumber: uni(25) };
  assert.equal((await expectValidResult(cp, 'BootNotification', boot)).status, 'Accepted');
  assert.equal(site.domain.chargers.byChargePointId('CP-HOSTILE')!.firmwareVersion, uni(50));
  await expectValidResult(cp, 'Heartbeat', {});
  for (const [idTag, status] of [[U20, 'Accepted'], ['😀'.repeat(20), 'Invalid'], ["' OR 1=1 --", 'Invalid'], ['', 'Invalid'], ['fuzz\u0000tag', 'Invalid'], ['\ud800lone', 'Invalid']]) {
    assert.equal((await expectValidResult(cp, 'Authorize', { idTag }, `Authorize ${idTag}`)).idTagInfo.status, status, idTag);
  }
  const times = ['1970-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '2024-05-01T10:00:00+14:00', '2024-05-01T10:00:00-12:00', '2016-12-31T23:59:60Z', '2024-05-01t10:00:00.123456789z'];
  const statuses = ['Available', 'Preparing', 'Charging', 'SuspendedEVSE', 'SuspendedEV', 'Finishing', 'Reserved', 'Unavailable', 'Faulted'];
  let i = 0;
  for (const connectorId of [0, 1, 7, Number.MAX_SAFE_INTEGER, -1]) {
    for (const status of statuses) {
      const timestamp = times[i++ % times.length]!;
      await expectValidResult(cp, 'StatusNotification', { connectorId, status, errorCode: i % 2 ? 'InternalError' : 'NoError', timestamp,
        info: uni(50), vendorId: uni(255), vendorErrorCode: uni(50) }, `StatusNotification ${connectorId} ${status}`);
    }
  }
  const chargerId = site.domain.chargers.byChargePointId('CP-HOSTILE')!.id;
  assert.equal(site.count('status_history', `charger_id = ${chargerId}`), 5 * statuses.length);
  assert.equal(site.count('connector', `charger_id = ${chargerId}`), 5, 'a connector never seen before is created once');
  for (const payload of [{ vendorId: uni(255), messageId: uni(50), data: 'x\u0000"}]'.repeat(2000) }, { vendorId: 'v' }, { vendorId: '\udfff', data: '\ud800' }]) {
    assert.equal((await expectValidResult(cp, 'DataTransfer', payload)).status, 'UnknownVendorId');
  }
  const stored = site.database.sqlite.prepare('SELECT vendor_id AS v, data FROM data_transfer ORDER BY id LIMIT 1').get() as { v: string; data: string };
  assert.deepEqual(stored, { v: uni(255), data: 'x\u0000"}]'.repeat(2000) }, 'vendor data kept byte for byte');
  for (const status of ['Idle', 'Uploaded', 'UploadFailed', 'Uploading']) await expectValidResult(cp, 'DiagnosticsStatusNotification', { status });
  for (const status of ['Downloaded', 'DownloadFailed', 'Downloading', 'Idle', 'InstallationFailed', 'Installing', 'Installed']) {
    await expectValidResult(cp, 'FirmwareStatusNotification', { status });
  }
  for (const timestamp of times) await expectValidResult(cp, 'SecurityEventNotification', { type: uni(50), timestamp, techInfo: uni(255) });
  assert.equal(site.count('security_event', `charger_id = ${chargerId}`), times.length);
  await stillWorks(cp, 'after hostile notifications');
  assertConsistent(site);
});

/** A driver paying from a wallet, a default tariff with time fees, and two chargers. */
async function walletSite(): Promise<{ site: TestSite; a: ChargePoint; b: ChargePoint; userId: number }> {
  const site = await startTestSite();
  await addTariff(site, { isDefault: true, pricePerKwh: 30, sessionFee: 50, pricePerMinute: 2, taxPercent: 19 });
  const userId = addUser(site, 'Payer');
  site.addIdTag('WALLET', { userId });
  await topUp(site, userId, 1_000_000);
  for (const tag of ['FREE-1', 'FREE-2', 'FREE-3', U20]) site.addIdTag(tag);
  return { site, a: await site.connectCharger('CP-A'), b: await site.connectCharger('CP-B'), userId };
}

const start = (connectorId: number, idTag: string, meterStart = 0, timestamp = isoNow()) => ({ connectorId, idTag, meterStart, timestamp });
const reading = (value: string, extra: object = {}) => ({ timestamp: isoNow(), sampledValue: [{ value, ...extra }] });

test('hostile transaction orders and ids keep one RUNNING per connector, meter values on their own charger, and money balanced', async () => {
  const { site, a, b, userId } = await walletSite();
  await using _ = site;
  const runningOnB = (await expectValidResult(b, 'StartTransaction', start(1, 'FREE-3', 500))).transactionId;
  // StopTransaction before any StartTransaction, for an id nobody has, and for the other charger's session.
  for (const transactionId of [777, 0, -5, Number.MAX_SAFE_INTEGER, runningOnB]) {
    await expectValidResult(a, 'StopTransaction', { transactionId, meterStop: 10, timestamp: isoNow(), idTag: 'FREE-1', transactionData: [] });
  }
  assert.equal(site.domain.transactions.byId(runningOnB)!.status, 'RUNNING', "A cannot stop B's session");
  // Two different starts at once on one connector, and a start sent twice at once.
  const same = start(1, 'FREE-1', 100);
  const [s1, s2, s1again] = await Promise.all([
    expectValidResult(a, 'StartTransaction', same), expectValidResult(a, 'StartTransaction', start(1, 'FREE-2', 200)), expectValidResult(a, 'StartTransaction', same),
  ]);
  assert.equal(s1again.transactionId, s1.transactionId, 'a retry gets the same id');
  assert.notEqual(s2.transactionId, s1.transactionId);
  // Connectors 0 and huge, odd clocks, an unknown unicode tag, a made-up reservation: answered, each a session.
  const odd = [start(0, 'FREE-3', 0, '1970-01-01T00:00:00Z'), start(Number.MAX_SAFE_INTEGER, U20, -20, '9999-12-31T23:59:59Z'),
    start(3, '😀'.repeat(20), Number.MAX_SAFE_INTEGER, '2016-12-31T23:59:60Z'), { ...start(4, 'FREE-1', 0, '2024-05-01T10:00:00+14:00'), reservationId: 424242 }];
  for (const req of odd) assert.ok((await expectValidResult(a, 'StartTransaction', req, `start ${JSON.stringify(req)}`)).transactionId > 0);
  // Meter values: absurd and non-numeric readings, for a session of B's, an unknown one, none, and empty lists.
  const values = ['NaN', '1e309', '-5', '', ' ', '0x10', '1e306', '9007199254740993', 'Infinity', '١٢٣'].map((v) => reading(v));
  values.push(reading('12', { format: 'SignedData' }), reading('1e306', { unit: 'kWh' }), reading('-1e308', { unit: 'Fahrenheit', measurand: 'Temperature' }));
  for (const transactionId of [s2.transactionId, runningOnB, 999_999, undefined]) {
    await expectValidResult(a, 'MeterValues', { connectorId: 1, ...(transactionId === undefined ? {} : { transactionId }), meterValue: values });
  }
  await expectValidResult(a, 'MeterValues', { connectorId: 1, transactionId: s2.transactionId, meterValue: [] });
  await expectValidResult(a, 'MeterValues', { connectorId: 99, meterValue: [{ timestamp: '2024-05-01T10:00:00-03:00', sampledValue: [] }] });
  assert.equal(site.count('meter_value', `transaction_id = ${runningOnB}`), 0, "A's readings never attach to B's session");
  assert.equal(site.domain.transactions.byId(s2.transactionId)!.lastMeterWh, 200, 'no absurd reading became the session meter');
  // A paid session stopped with its clock 8,000 years ahead and a meter that went backwards, then stopped again,
  // out of order with a retried start, with meter values after the stop.
  const paid = start(2, 'WALLET', 1000, '2024-05-01T10:00:00Z');
  const p = await expectValidResult(a, 'StartTransaction', paid);
  const stop = { transactionId: p.transactionId, meterStop: 400, timestamp: '9999-12-31T23:59:59Z', idTag: 'WALLET', reason: 'EVDisconnected', transactionData: values };
  await Promise.all([expectValidResult(a, 'StopTransaction', stop), expectValidResult(a, 'StopTransaction', stop)]);
  // The same start after its session stopped cannot be a retry (the charger had our id): a new session (issue #14).
  const again = await expectValidResult(a, 'StartTransaction', paid);
  assert.notEqual(again.transactionId, p.transactionId, 'an identical start after the stop is a new session');
  await expectValidResult(a, 'MeterValues', { connectorId: 2, transactionId: p.transactionId, meterValue: [reading('5000')] });
  await expectValidResult(a, 'StopTransaction', { ...stop, meterStop: 9999, timestamp: isoNow() });
  const paidTx = site.domain.transactions.byId(p.transactionId)!;
  // meterStop 400 below meterStart 1000: a meter that restarted from zero, 400 Wh billed and the session flagged.
  assert.deepEqual([paidTx.status, paidTx.meterStop, paidTx.lastMeterWh, paidTx.energyWh], ['COMPLETED', 400, 400, 400], 'the first stop stands');
  assert.match(paidTx.flags ?? '', /meter_reset/);
  assert.equal(site.count('wallet_transaction', `type = 'CHARGE' AND charging_transaction_id = ${p.transactionId}`), 1);
  assert.ok(paidTx.costAmount! > 0 && Number.isSafeInteger(paidTx.costAmount), `cost ${paidTx.costAmount}`);
  assert.equal(site.domain.wallets.forUser(userId)!.balance, 1_000_000 - paidTx.costAmount!);
  // A reboot ends nothing that runs on A (https://github.com/evcc-io/evcc/pull/25069); a stop completes it; B is untouched.
  const runningOnA = `status = 'RUNNING' AND charger_id = ${site.domain.chargers.byChargePointId('CP-A')!.id}`;
  const beforeBoot = site.count('transaction', runningOnA);
  await expectValidResult(a, 'BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'X' });
  assert.equal(site.count('transaction', runningOnA), beforeBoot);
  await expectValidResult(a, 'StopTransaction', { transactionId: s2.transactionId, meterStop: 150, timestamp: isoNow() });
  assert.equal(site.domain.transactions.byId(s2.transactionId)!.status, 'COMPLETED');
  assert.equal(site.domain.transactions.byId(runningOnB)!.status, 'RUNNING');
  await stillWorks(a, 'A after hostile transactions');
  await stillWorks(b, 'B after hostile transactions');
  assertConsistent(site);
});

test('frame-level abuse is answered as OCPP-J says or closed cleanly, and the server keeps serving', async () => {
  await using site = await startTestSite();
  await site.addCharger('CP-FRAMES', undefined, 'strict'); // the payload cases here are conformance; envelopes are refused in both modes
  const raw = await RawCharger.connect(site.wsUrl, 'CP-FRAMES');
  // Unique ids up to 36 characters are echoed exactly; 37 is a FormationViolation carrying the id.
  for (const id of ['x'.repeat(36), '€'.repeat(36), 'a"b\\c\u0000d', ' ', '😀']) {
    raw.send(JSON.stringify([2, id, 'Heartbeat', {}]));
    assert.equal((await raw.reply(id))[0], 3, `id ${JSON.stringify(id)}`);
  }
  const long = 'y'.repeat(37);
  raw.send(JSON.stringify([2, long, 'Heartbeat', {}]));
  assert.deepEqual((await raw.reply(long)).slice(0, 3), [4, long, 'FormationViolation']);
  // Frame shapes with a readable id: the CALLERROR the spec asks for, in reply to the CALL.
  for (const [frame, id, code] of [
    ['["2","t1","Heartbeat",{}]', 't1', 'ProtocolError'], ['[9,"t2","Heartbeat",{}]', 't2', 'ProtocolError'],
    ['[2,"t3",5,{}]', 't3', 'FormationViolation'], ['[2,"t4","Heartbeat",{},{}]', 't4', 'FormationViolation'],
    ['[2,"t5","Heartbeat",[]]', 't5', 'FormationViolation'], ['[2,"t6","Heartbeat",null]', 't6', 'FormationViolation'],
    ['[2,"t7","Heartbeat",{"x":1e309}]', 't7', 'FormationViolation'], ['[2,"t8","Heartbeat",{}', 't8', 'FormationViolation'],
    [`[2,"t9","Heartbeat",{"x":${'['.repeat(30_000)}${']'.repeat(30_000)}}]`, 't9', 'FormationViolation'],
    [`[2,"t10","MeterValues",{"connectorId":1,"meterValue":[{"timestamp":"${isoNow()}","sampledValue":[{"value":"1","v":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}]}]}]`, 't10', 'FormationViolation'],
  ] as const) {
    raw.send(frame);
    const reply = await raw.reply(id);
    assert.deepEqual(reply.slice(0, 3), [4, id, code], frame.slice(0, 60));
  }
  // Replies to calls never made, and CALLERRORs of the wrong shape: never answered (a CALLERROR only answers a CALL).
  const before = raw.frames.length;
  for (const frame of ['[3,"never",{}]', '[4,"never-2","GenericError","",{}]', '[4,"w1"]', '[4,"w2",5,6,7]', '[4,"w3","NoSuchCode","d",{},"extra"]',
    '[4,"w4",null,null,null]', '[3,"w5","x"]', `[3,"w6",${'['.repeat(30_000)}${']'.repeat(30_000)}]`]) raw.send(frame);
  await raw.heartbeat('after-replies');
  assert.equal(raw.frames.length, before + 1, `answered a reply: ${JSON.stringify(raw.frames.slice(before))}`);
  // A binary frame holding a CALL is read like text.
  raw.send(Buffer.from(JSON.stringify([2, 'bin-1', 'Heartbeat', {}])), true);
  assert.equal((await raw.reply('bin-1'))[0], 3);
  raw.close();

  // Frames without a readable id cannot be answered: the connection is closed with 1007, nothing else happens.
  const unanswerable: Array<[string | Buffer, boolean]> = [['42', false], ['"text"', false], ['null', false], ['{}', false], ['[]', false],
    ['[2]', false], ['true', false], ['[2,"","Heartbeat",{}]', false], ['[2,17,"Heartbeat",{}]', false],
    ['['.repeat(30_000) + ']'.repeat(30_000), false], [Buffer.from([0xff, 0xfe, 0x00, 0x5b]), true]];
  for (const [frame, binary] of unanswerable) {
    const c = await RawCharger.connect(site.wsUrl, 'CP-FRAMES');
    c.send(frame, binary);
    assert.equal(await c.waitClosed(), 1007, String(frame).slice(0, 40));
    assert.deepEqual(c.frames, []);
  }
  const cp = await site.connectCharger('CP-FRAMES')
  await stillWorks(cp, 'a new connection after every kind of frame');
  assert.equal(site.count('log_entry', `direction = 'OUT' AND message_type = 4 AND payload LIKE '%InternalError%'`), 0);
});
