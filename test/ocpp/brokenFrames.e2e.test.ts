// Frames that used to go wrong: a payload nested thousands deep (InternalError from the message log's
// JSON.stringify), and broken replies to our own calls (answered with a CALLERROR, call left to time out).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, isoNow, type TestSite } from '../support/testSite.js';
import { CallErrorReply, type ChargePoint } from '../../src/sim/chargePoint.js';
import { waitFor } from '../support/waitFor.js';
import { CallRejectedError } from '../../src/ocpp/errors.js';
import { MAX_NESTING, nestedDeeperThan, parseFrame } from '../../src/ocpp/rpc.js';

test('nesting depth is counted outside strings only', () => {
  assert.equal(nestedDeeperThan('[[[]]]', 3), false);
  assert.equal(nestedDeeperThan('[[[[]]]]', 3), true);
  assert.equal(nestedDeeperThan(`[2,"a","DataTransfer",{"vendorId":"v","data":"${'[{'.repeat(100)}\\"["}]`, 3), false);
  assert.equal(nestedDeeperThan(String.raw`["a\\",[[[]]]]`, 3), true, 'an escaped backslash does not escape the closing quote');
  assert.equal(nestedDeeperThan(String.raw`["a\"[[[[",[]]`, 3), false, 'an escaped quote does not end the string');
  assert.equal(nestedDeeperThan('["unterminated [[[[[', 3), false);
  const deep = parseFrame(`[3,"r-1",{"a":${'['.repeat(MAX_NESTING)}${']'.repeat(MAX_NESTING)}}]`);
  assert.deepEqual('error' in deep && [deep.error.code, deep.id, deep.reply], ['FormationViolation', 'r-1', true]);
});

test('a CALL keeps its payload text exactly as sent (for the message log), whatever its id and action hold', () => {
  const text = String.raw` [ 2 , "a,\"b\"," , "Meter,Values\"" ,  {"x": [1, "]"], "y": {"z": ","}}  ] `;
  const frame = parseFrame(text);
  assert.ok(!('error' in frame) && frame.type === 2);
  assert.equal(frame.payloadText, '{"x": [1, "]"], "y": {"z": ","}}');
  assert.deepEqual(JSON.parse(frame.payloadText!), frame.payload);
  const plain = parseFrame('[2,"1","Heartbeat",{}]');
  assert.ok(!('error' in plain) && plain.type === 2 && plain.payloadText === '{}');
});

test('a MeterValues nested thousands deep inside a sampledValue is a FormationViolation, logged, and the connection works on', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-DEEP');
  const deep = '['.repeat(20_000) + ']'.repeat(20_000);
  const frame = `[2,"deep-1","MeterValues",{"connectorId":1,"meterValue":[{"timestamp":"${isoNow()}","sampledValue":[{"value":"1","x":${deep}}]}]}]`;
  const err = await cp.sendRaw(frame, 'deep-1').then(() => assert.fail('answered with a result'), (e) => e);
  assert.ok(err instanceof CallErrorReply);
  assert.equal(err.code, 'FormationViolation');
  assert.equal(site.count('meter_value'), 0);
  assert.ok((await cp.call('Heartbeat', {})).currentTime);
  await waitFor('the deep frame in the log', () => site.count('log_entry', "unique_id = 'deep-1' AND direction = 'IN'") > 0);
  assert.equal(site.count('log_entry', "unique_id = 'deep-1' AND direction = 'IN'"), 1);
});

/** Starts a GetConfiguration the charger will not answer by itself; returns the call and its unique id. */
async function outstandingCall(site: TestSite, cp: ChargePoint) {
  cp.on('GetConfiguration', () => new Promise<object>(() => {}));
  const call = site.hub.call('CP-R', 'GetConfiguration', {}, 60_000);
  call.catch(() => {});
  const row = await waitFor('the GetConfiguration in the log', () =>
    site.domain.messageLog.query({ chargePointId: 'CP-R', action: 'GetConfiguration', direction: 'OUT' })[0]);
  return { call, id: row.uniqueId! };
}

for (const [kind, broken] of [
  ['CALLRESULT whose payload is not an object', (id: string) => `[3,"${id}","nope"]`],
  ['CALLERROR without code and description', (id: string) => `[4,"${id}"]`],
  ['CALLRESULT nested too deep', (id: string) => `[3,"${id}",{"configurationKey":${'['.repeat(5000)}${']'.repeat(5000)}}]`],
] as const) {
  test(`a ${kind} fails the outstanding call at once and is never answered`, async () => {
    await using site = await startTestSite();
    const cp = await site.connectCharger('CP-R');
    const { call, id } = await outstandingCall(site, cp);
    cp.sendText(broken(id));
    const err = await call.then(() => assert.fail('resolved'), (e) => e);
    assert.ok(err instanceof CallRejectedError, `expected CallRejectedError, got ${err}`);
    assert.equal(err.code, 'FormationViolation');
    assert.ok((await cp.call('Heartbeat', {})).currentTime);
    // The log is written in the background: once the later Heartbeat's answer is there, so would a CALLERROR be.
    await waitFor('the Heartbeat answer in the log', () => site.count('log_entry', "action = 'Heartbeat' AND direction = 'OUT'") > 0);
    assert.equal(site.count('log_entry', `direction = 'OUT' AND message_type = 4`), 0, 'no CALLERROR sent in reply to a reply');
  });
}

test('an oversized CALLRESULT fails the outstanding call and keeps the connection', async () => {
  await using site = await startTestSite({ 'ocpp.maxFrameBytes': 2048 });
  const cp = await site.connectCharger('CP-R');
  const { call, id } = await outstandingCall(site, cp);
  cp.sendText(JSON.stringify([3, id, { configurationKey: [{ key: 'K', readonly: true, value: 'x'.repeat(4000) }] }]));
  const err = await call.then(() => assert.fail('resolved'), (e) => e);
  assert.ok(err instanceof CallRejectedError, `expected CallRejectedError, got ${err}`);
  assert.equal(err.code, 'FormationViolation');
  assert.ok(cp.isOpen);
  assert.ok((await cp.call('Heartbeat', {})).currentTime);
});

test('a broken reply to no outstanding call is ignored, not answered', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-R');
  cp.sendText('[3,"never-sent","x"]');
  cp.sendText('[4,"never-sent-2"]');
  cp.sendText('[3,"never-sent-3",{}]');
  assert.ok((await cp.call('Heartbeat', {})).currentTime);
  await waitFor('the Heartbeat answer in the log', () => site.count('log_entry', "action = 'Heartbeat' AND direction = 'OUT'") > 0);
  assert.equal(site.count('log_entry', "direction = 'IN' AND unique_id LIKE 'never-sent%'"), 3, 'the ignored replies are logged');
  assert.equal(site.count('log_entry', `direction = 'OUT' AND message_type = 4`), 0);
  assert.ok(cp.isOpen);
});
