// The page's charging-profile builder makes payloads the server's own OCPP schema check accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OcppValidator } from '../../src/ocpp/validate.js';

// A computed URL: the page's modules are plain JS without type declarations.
const { buildProfile, limitText } = await import(new URL('./profiles.js', import.meta.url).href);
const validator = new OcppValidator();
const valid = (payload: unknown) => validator.check('SetChargingProfile', 'request', payload);

test('buildProfile: each purpose gives a valid SetChargingProfile, numbered after the operator\'s own profiles', () => {
  const stored = [{ chargingProfileId: 4 }, { chargingProfileId: 900_001 }, { chargingProfileId: 899_999 }];
  const def = buildProfile({ purpose: 'TxDefaultProfile', connectorId: '2', limit: '10', unit: 'A', stackLevel: '' }, stored);
  valid(def);
  assert.deepEqual(def, { connectorId: 2, csChargingProfiles: {
    chargingProfileId: 5, stackLevel: 0, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Relative',
    chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] },
  } });

  const max = buildProfile({ purpose: 'ChargePointMaxProfile', connectorId: '1', limit: '22000', unit: 'W', stackLevel: '2' }, []);
  valid(max);
  assert.equal(max.connectorId, 0, 'a charger-wide maximum always goes to connector 0');
  assert.equal(max.csChargingProfiles.chargingProfileKind, 'Absolute');
  assert.ok(Date.parse(max.csChargingProfiles.chargingSchedule.startSchedule) <= Date.now());
  assert.equal(max.csChargingProfiles.stackLevel, 2);

  const tx = buildProfile({ purpose: 'TxProfile', connectorId: '1', transactionId: '17', limit: '6.5', unit: 'A' }, []);
  valid(tx);
  assert.equal(tx.csChargingProfiles.transactionId, 17);
  assert.equal(limitText({ profile: tx.csChargingProfiles }), '6.5 A');
});

test('buildProfile refuses what the charger could not take, in words', () => {
  assert.throws(() => buildProfile({ purpose: 'TxDefaultProfile', connectorId: '1', limit: '', unit: 'A' }, []), /limit must be a number/);
  assert.throws(() => buildProfile({ purpose: 'TxDefaultProfile', connectorId: '1', limit: '-3', unit: 'A' }, []), /limit must be a number/);
  assert.throws(() => buildProfile({ purpose: 'TxProfile', connectorId: '1', limit: '6', unit: 'A' }, []), /needs a running session/);
});
