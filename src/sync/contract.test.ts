import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { OUTBOX_SCHEMAS } from '../domain/outbox.js';
import { ContractValidator, ONLINE_SCHEMA, onlineMessage } from './contract.js';
import { SiteChecker } from './siteChecker.js';

const validator = new ContractValidator();
const envelope = (schema: string, seq: number, data: object, eventId: string = randomUUID()) =>
  ({ schema, eventId, seq, siteId: 'site-1', occurredAt: new Date().toISOString(), data });

test('schemas/mqtt has a schema for every outbox topic, and for online', () => {
  assert.deepEqual(validator.schemaIds, [...Object.values(OUTBOX_SCHEMAS), ONLINE_SCHEMA].sort());
});

test('a wallet charge as the wallets service should write it is valid; wrong money types are not', () => {
  const data = {
    walletTransactionId: 7, walletId: 3, userId: 2, type: 'CHARGE', amount: -1234, balanceAfter: 8766, currency: 'EUR',
    chargingTransactionId: 41, description: 'Session 41', createdAt: new Date().toISOString(),
  };
  assert.equal(validator.problems(envelope('ocpp-edge/wallet-charge/v1', 1, data)), null);
  assert.match(validator.problems(envelope('ocpp-edge/wallet-charge/v1', 1, { ...data, amount: 12.34 }))!, /amount must be integer/);
  assert.match(validator.problems(envelope('ocpp-edge/wallet-charge/v1', 1, { ...data, type: 'GIFT' }))!, /type/);
  assert.match(validator.problems(envelope('ocpp-edge/wallet-charge/v1', 1, { ...data, note: 'x' }))!, /\/data must NOT have additional properties/);
});

test('the envelope is checked: eventId is a uuid, seq a positive integer, nothing extra', () => {
  const ok = envelope('ocpp-edge/charger-status/v1', 1, { event: 'connected', chargePointId: 'CP-1', receivedAt: new Date().toISOString() });
  assert.equal(validator.problems(ok), null);
  assert.match(validator.problems({ ...ok, eventId: 'x' })!, /eventId/);
  assert.match(validator.problems({ ...ok, seq: 0 })!, /seq/);
  assert.match(validator.problems({ ...ok, extra: 1 })!, /additional/);
  assert.match(validator.problems({ ...ok, schema: 'ocpp-edge/nope/v1' })!, /unknown schema/);
  assert.equal(validator.problems(onlineMessage('site-1', false)), null);
});

test('the site checker reports duplicates, gaps and a seq reused by another event', () => {
  const checker = new SiteChecker(validator);
  const topic = 'p/site-1/chargers';
  const data = { event: 'connected', chargePointId: 'CP-1', receivedAt: new Date().toISOString() };
  const one = envelope('ocpp-edge/charger-status/v1', 1, data);
  assert.equal(checker.observe(topic, JSON.stringify(one)).kind, 'event');
  assert.equal(checker.observe(topic, JSON.stringify(one)).kind, 'duplicate');
  const gap = checker.observe(topic, JSON.stringify(envelope('ocpp-edge/charger-status/v1', 4, data)));
  assert.deepEqual(gap.kind === 'gap' && [gap.missingFrom, gap.missingTo], [2, 3]);
  assert.equal(checker.observe(topic, JSON.stringify(envelope('ocpp-edge/charger-status/v1', 3, data))).kind, 'event');
  assert.equal(checker.observe(topic, JSON.stringify(envelope('ocpp-edge/charger-status/v1', 3, data))).kind, 'conflict');
  assert.deepEqual(checker.summary(), [{ siteId: 'site-1', events: 3, duplicates: 1, firstSeq: 1, lastSeq: 4, missing: [2] }]);
  assert.equal(checker.observe('p/other-site/chargers', JSON.stringify(one)).kind, 'invalid', 'siteId must match the topic');
  assert.equal(checker.observe(topic, 'not json').kind, 'invalid');
});

test('the broker URL shown on the public health page carries no credentials', async () => {
  const { displayUrl } = await import('./status.js');
  assert.equal(displayUrl('mqtts://site:s3cret@broker.example:8883'), 'mqtts://broker.example:8883');
  assert.equal(displayUrl('mqtt://127.0.0.1:1883'), 'mqtt://127.0.0.1:1883');
});
