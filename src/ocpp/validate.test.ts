// Schemas compile on their first use: every one of them must compile, so none can fail a charger's call later.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OcppValidator } from './validate.js';
import { OcppError } from './rpc.js';

test('every OCPP 1.6 schema, both directions, compiles on first use and answers with OcppError or passes', () => {
  const validator = new OcppValidator();
  assert.ok(validator.actions.length >= 28, `${validator.actions.length} actions`);
  for (const action of validator.actions) {
    for (const direction of ['request', 'response'] as const) {
      try { validator.check(action, direction, { unexpected: [] }); } catch (err) {
        assert.ok(err instanceof OcppError, `${action} ${direction}: ${String(err)}`);
      }
    }
  }
  assert.throws(() => validator.check('BootNotification', 'request', { chargePointModel: 'X' }), (e: OcppError) => e.code === 'OccurenceConstraintViolation');
  validator.check('BootNotification', 'request', { chargePointModel: 'X', chargePointVendor: 'Y' }); // compiled once, used again
  validator.checkRelaxed('BootNotification', { chargePointModel: 'X'.repeat(40), chargePointVendor: 'Y' }); // relaxed: over maxLength passes
  assert.throws(() => validator.check('BootNotification', 'request', { chargePointModel: 'X'.repeat(40), chargePointVendor: 'Y' }), OcppError);
});
