// Numbers JSON can write but no integer column holds: 1e309 parses to Infinity (which ajv took for an
// integer), and 1e20 or 2^63 would be stored as another value. Both are refused, nothing is stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, isoNow } from '../support/testSite.js';
import { CallErrorReply } from '../../src/sim/chargePoint.js';
import { OcppValidator } from '../../src/ocpp/validate.js';

test('the validator bounds every integer to the safe range and refuses non-finite numbers', () => {
  const v = new OcppValidator();
  const start = (meterStart: number) => ({ connectorId: 1, idTag: 'T', meterStart, timestamp: isoNow() });
  assert.doesNotThrow(() => v.check('StartTransaction', 'request', start(Number.MAX_SAFE_INTEGER)));
  assert.doesNotThrow(() => v.check('StartTransaction', 'request', start(-5)));
  assert.throws(() => v.check('StartTransaction', 'request', start(2 ** 53)), { code: 'PropertyConstraintViolation' });
  assert.throws(() => v.check('StartTransaction', 'request', start(-(2 ** 60))), { code: 'PropertyConstraintViolation' });
  assert.throws(() => v.check('StartTransaction', 'request', start(Infinity)), { code: 'TypeConstraintViolation' });
  assert.throws(() => v.check('StartTransaction', 'request', start(NaN)), { code: 'TypeConstraintViolation' });
});

test('StartTransaction, StatusNotification and StopTransaction with 1e309 or 2^63 get a CALLERROR and store nothing', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-NUM', { compatMode: 'strict' }); // tolerant mode answers and keeps them for review: test/ocpp/compat
  site.addIdTag('T1');
  const now = isoNow();
  const frames: Array<[string, string, string]> = [
    ['s1', `{"connectorId":1,"idTag":"T1","meterStart":1e309,"timestamp":"${now}"}`, 'TypeConstraintViolation'],
    ['s2', `{"connectorId":1,"idTag":"T1","meterStart":9223372036854775807,"timestamp":"${now}"}`, 'PropertyConstraintViolation'],
    ['s3', `{"connectorId":1e20,"idTag":"T1","meterStart":0,"timestamp":"${now}"}`, 'PropertyConstraintViolation'],
  ];
  for (const [id, payload, code] of frames) {
    const err = await cp.sendRaw(`[2,"${id}","StartTransaction",${payload}]`, id).then(() => assert.fail(`${id} answered`), (e) => e);
    assert.ok(err instanceof CallErrorReply);
    assert.equal(err.code, code, `${id}: ${err.description}`);
  }
  const status = await cp.sendRaw(`[2,"st","StatusNotification",{"connectorId":-1e309,"errorCode":"NoError","status":"Available"}]`, 'st')
    .then(() => 'answered', (e) => e.code);
  assert.equal(status, 'TypeConstraintViolation');
  const s = await cp.call('StartTransaction', { connectorId: 1, idTag: 'T1', meterStart: 10, timestamp: now });
  const stop = await cp.sendRaw(`[2,"sp","StopTransaction",{"transactionId":${s.transactionId},"meterStop":1e400,"timestamp":"${now}"}]`, 'sp')
    .then(() => 'answered', (e) => e.code);
  assert.equal(stop, 'TypeConstraintViolation');
  assert.equal(site.count('transaction'), 1);
  assert.equal(site.count('transaction', "status = 'RUNNING' AND meter_start = 10"), 1);
  assert.equal(site.count('connector', 'connector_id < 0'), 0);
  assert.ok((await cp.call('Heartbeat', {})).currentTime);
});
