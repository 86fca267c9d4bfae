import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, isoNow } from '../support/testSite.js';
import { waitFor } from '../support/waitFor.js';

const maxProfile = {
  connectorId: 0,
  csChargingProfiles: {
    chargingProfileId: 1, stackLevel: 0, chargingProfilePurpose: 'ChargePointMaxProfile', chargingProfileKind: 'Recurring', recurrencyKind: 'Daily',
    chargingSchedule: {
      startSchedule: '2026-01-01T00:00:00Z', duration: 86400, chargingRateUnit: 'W',
      chargingSchedulePeriod: [{ startPeriod: 0, limit: 11000 }, { startPeriod: 7 * 3600, limit: 7400.5 }, { startPeriod: 22 * 3600, limit: 11000 }],
    },
  },
};

test('SetChargingProfile: ChargePointMaxProfile (W, recurring), TxDefaultProfile (A), TxProfile; stored per charger', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-1');
  const cp = await site.connectCharger('CP-1');
  cp.on('SetChargingProfile', () => ({ status: 'Accepted' }));
  const max = await site.api('/api/admin/chargers/CP-1/charging-profiles', { body: maxProfile });
  assert.equal(max.status, 201, JSON.stringify(max.body));
  assert.deepEqual(cp.received.at(-1), { action: 'SetChargingProfile', payload: maxProfile });

  const txDefault = { connectorId: 1, csChargingProfiles: {
    chargingProfileId: 2, stackLevel: 1, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Relative',
    chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16, numberPhases: 3 }] },
  } };
  assert.equal((await site.api('/api/admin/chargers/CP-1/charging-profiles', { body: txDefault })).status, 201);

  const start = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 0, timestamp: isoNow() });
  const txProfile = { connectorId: 1, csChargingProfiles: {
    chargingProfileId: 3, transactionId: start.transactionId, stackLevel: 2, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Absolute',
    chargingSchedule: { startSchedule: isoNow(), chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10.5 }] },
  } };
  assert.equal((await site.api('/api/admin/chargers/CP-1/charging-profiles', { body: txProfile })).status, 201);
  let list = (await site.api('/api/admin/chargers/CP-1/charging-profiles')).body.profiles;
  assert.deepEqual(list.map((p: any) => [p.purpose, p.status]).sort(), [['ChargePointMaxProfile', 'Accepted'], ['TxDefaultProfile', 'Accepted'], ['TxProfile', 'Accepted']]);
  assert.equal(list.find((p: any) => p.purpose === 'TxProfile').transactionId, start.transactionId);

  // Sending profile id 2 again replaces the first one.
  const lower = structuredClone(txDefault);
  lower.csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0]!.limit = 8;
  await site.api('/api/admin/chargers/CP-1/charging-profiles', { body: lower });
  list = (await site.api('/api/admin/chargers/CP-1/charging-profiles')).body.profiles;
  assert.equal(list.filter((p: any) => p.purpose === 'TxDefaultProfile').length, 1);
  assert.equal(list.find((p: any) => p.purpose === 'TxDefaultProfile').profile.chargingSchedule.chargingSchedulePeriod[0].limit, 8);

  // The TxProfile ends with its transaction.
  await cp.call('StopTransaction', { transactionId: start.transactionId, meterStop: 100, timestamp: isoNow() });
  await waitFor('the TxProfile to be cleared', () => site.count('charging_profile', "purpose = 'TxProfile' AND status = 'Cleared'") === 1);
  list = (await site.api('/api/admin/chargers/CP-1/charging-profiles')).body.profiles;
  assert.equal(list.some((p: any) => p.purpose === 'TxProfile'), false);
});

test('SetChargingProfile refused by the charger is stored as Rejected and answered 409; bad profiles are 400', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-1');
  cp.on('SetChargingProfile', () => ({ status: 'Rejected' }));
  const refused = await site.api('/api/admin/chargers/CP-1/charging-profiles', { body: maxProfile });
  assert.equal(refused.status, 409);
  assert.equal(refused.body.profile.status, 'Rejected');
  const noTx = structuredClone(maxProfile);
  noTx.csChargingProfiles.chargingProfilePurpose = 'TxProfile';
  noTx.connectorId = 1;
  assert.equal((await site.api('/api/admin/chargers/CP-1/charging-profiles', { body: noTx })).status, 400);
  const badKind = structuredClone(maxProfile) as any;
  badKind.csChargingProfiles.chargingProfileKind = 'Sometimes';
  const bad = await site.api('/api/admin/chargers/CP-1/charging-profiles', { body: badKind });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /chargingProfileKind/);
  const onConnector = structuredClone(maxProfile);
  onConnector.connectorId = 1;
  assert.equal((await site.api('/api/admin/chargers/CP-1/charging-profiles', { body: onConnector })).status, 400);
  assert.equal(cp.received.length, 1, 'nothing invalid reached the charger');
});

test('ClearChargingProfile by purpose clears what matched', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-1');
  cp.on('SetChargingProfile', () => ({ status: 'Accepted' }));
  cp.on('ClearChargingProfile', () => ({ status: 'Accepted' }));
  await site.api('/api/admin/chargers/CP-1/charging-profiles', { body: maxProfile });
  const res = await site.api('/api/admin/chargers/CP-1/charging-profiles/clear', { body: { chargingProfilePurpose: 'ChargePointMaxProfile' } });
  assert.deepEqual(res.body, { status: 'Accepted', cleared: 1 });
  assert.deepEqual(cp.received.at(-1), { action: 'ClearChargingProfile', payload: { chargingProfilePurpose: 'ChargePointMaxProfile' } });
  assert.equal((await site.api('/api/admin/chargers/CP-1/charging-profiles')).body.profiles.length, 0);
  assert.equal((await site.api('/api/admin/chargers/CP-1/charging-profiles?all=true')).body.profiles[0].status, 'Cleared');
  assert.equal((await site.api('/api/admin/chargers/CP-1/charging-profiles/clear', { body: { chargingProfilePurpose: 'Nope' } })).status, 400);
});

test('GetCompositeSchedule returns what the charger computed', async () => {
  await using site = await startTestSite();
  await site.addCharger('CP-OFF');
  const cp = await site.connectCharger('CP-1');
  const schedule = { chargingRateUnit: 'A', duration: 600, chargingSchedulePeriod: [{ startPeriod: 0, limit: 16.6 }, { startPeriod: 300, limit: 6 }] };
  cp.on('GetCompositeSchedule', (p) => ({ status: 'Accepted', connectorId: p.connectorId, scheduleStart: '2026-01-01T00:00:00Z', chargingSchedule: schedule }));
  const res = await site.api('/api/admin/chargers/CP-1/composite-schedule?connectorId=1&duration=600&chargingRateUnit=A');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body.chargingSchedule, schedule);
  assert.deepEqual(cp.received.at(-1), { action: 'GetCompositeSchedule', payload: { connectorId: 1, duration: 600, chargingRateUnit: 'A' } });
  assert.equal((await site.api('/api/admin/chargers/CP-1/composite-schedule?chargingRateUnit=kW')).status, 400);
  assert.equal((await site.api('/api/admin/chargers/CP-OFF/composite-schedule')).status, 409);
});
