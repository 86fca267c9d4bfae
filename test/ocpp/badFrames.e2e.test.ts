// Every kind of bad frame gets the right CALLERROR, and the connection keeps working afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, type TestSite } from '../support/testSite.js';
import { CallErrorReply, type ChargePoint } from '../../src/sim/chargePoint.js';
import { waitFor } from '../support/waitFor.js';

async function expectCallError(promise: Promise<unknown>, code: string): Promise<CallErrorReply> {
  const err = await promise.then(() => assert.fail(`expected a ${code} CALLERROR`), (e) => e);
  assert.ok(err instanceof CallErrorReply, `expected a CALLERROR, got ${err}`);
  assert.equal(err.code, code, err.description);
  return err;
}

async function stillWorks(cp: ChargePoint): Promise<void> {
  const hb = await cp.call('Heartbeat', {});
  assert.match(hb.currentTime, /^\d{4}-\d\d-\d\dT/);
}

async function withCharger(fn: (cp: ChargePoint, site: TestSite) => Promise<void>, overrides = {}): Promise<void> {
  await using site = await startTestSite(overrides);
  const cp = await site.connectCharger('CP-BAD', { compatMode: 'strict' }); // schema conformance: tolerant repairs are test/ocpp/compat
  await fn(cp, site);
  await stillWorks(cp);
}

test('an unknown action gets NotImplemented', () => withCharger(async (cp) => {
  await expectCallError(cp.call('MakeCoffee', {}), 'NotImplemented');
}));

test('a known action the CSMS does not handle gets NotSupported', () => withCharger(async (cp) => {
  // Every charger-initiated 1.6 action is handled; a Central System's own action sent by a charger is not.
  await expectCallError(cp.call('Reset', { type: 'Soft' }), 'NotSupported');
}));

test('a missing required field gets OccurenceConstraintViolation (1.6 spelling)', () => withCharger(async (cp) => {
  await expectCallError(cp.call('BootNotification', { chargePointVendor: 'Acme' }), 'OccurenceConstraintViolation');
}));

test('an extra field gets FormationViolation', () => withCharger(async (cp) => {
  await expectCallError(cp.call('Heartbeat', { extra: 1 }), 'FormationViolation');
}));

test('a wrong field type gets TypeConstraintViolation', () => withCharger(async (cp) => {
  await expectCallError(cp.call('StartTransaction', { connectorId: '1', idTag: 'T', meterStart: 0, timestamp: new Date().toISOString() }), 'TypeConstraintViolation');
}));

test('a bad enum value or length gets PropertyConstraintViolation', () => withCharger(async (cp) => {
  await expectCallError(cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Sleeping' }), 'PropertyConstraintViolation');
  await expectCallError(cp.call('Authorize', { idTag: 'X'.repeat(21) }), 'PropertyConstraintViolation');
}));

test('a wrong message type id gets a ProtocolError CALLERROR', () => withCharger(async (cp) => {
  await expectCallError(cp.sendRaw(JSON.stringify([7, 'id-7', 'Heartbeat', {}]), 'id-7'), 'ProtocolError');
}));

test('a CALL whose payload is not an object gets FormationViolation', () => withCharger(async (cp) => {
  await expectCallError(cp.sendRaw(JSON.stringify([2, 'id-arr', 'Heartbeat', []]), 'id-arr'), 'FormationViolation');
}));

test('broken JSON with a readable id gets FormationViolation', () => withCharger(async (cp) => {
  await expectCallError(cp.sendRaw('[2,"broken-1","Heartbeat",{', 'broken-1'), 'FormationViolation');
}));

test('a frame over the size limit gets FormationViolation and the connection survives', () => withCharger(async (cp) => {
  const big = { vendorId: 'Acme', data: 'x'.repeat(3000) };
  await expectCallError(cp.call('DataTransfer', big), 'FormationViolation');
}, { 'ocpp.maxFrameBytes': 2048, 'ocpp.maxTransactionFrameBytes': 2048 })); // DataTransfer has the larger limit (compat/frameLimits.ts)

test('an unanswerable frame (no id) closes the connection cleanly', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-GARBAGE');
  cp.sendText('this is not json');
  assert.equal(await cp.waitClosed(), 1007);
  assert.equal(site.hub.get('CP-GARBAGE'), undefined);
});

test('bad frames are in the message log with the CALLERROR we sent', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-LOG');
  await expectCallError(cp.call('MakeCoffee', {}), 'NotImplemented');
  // The log is written in the background (messageLog.ts): wait for both frames.
  const rows = await waitFor('both frames in the log', () => {
    const found = site.domain.messageLog.query({ chargePointId: 'CP-LOG' });
    return found.length >= 2 && found;
  });
  assert.equal(rows.length, 2);
  assert.deepEqual(rows.map((r) => [r.direction, r.messageType]), [['OUT', 4], ['IN', 2]]);
});
