// Building a simple SetChargingProfile payload from the page's form, and reading one back. No imports:
// unit-tested under node (web/src/profiles.test.ts).

export const PURPOSES = [['TxDefaultProfile', 'Default for sessions'], ['ChargePointMaxProfile', 'Whole charger maximum'], ['TxProfile', 'One running session']];
/** The load balancer's own profile ids start here; ours stay below. */
const BALANCER_IDS = 899_999;

/** SetChargingProfile's payload for one limit from now on: {connectorId, csChargingProfiles}. */
export function buildProfile(d, stored) {
  const limit = Number(d.limit);
  if (d.limit === '' || !Number.isFinite(limit) || limit < 0) throw new Error('the limit must be a number, 0 or more');
  const stackLevel = d.stackLevel ? Number(d.stackLevel) : 0;
  const purpose = d.purpose;
  const ids = stored.map((p) => p.chargingProfileId).filter((id) => id < BALANCER_IDS);
  const schedule = { chargingRateUnit: d.unit, chargingSchedulePeriod: [{ startPeriod: 0, limit }] };
  const profile = { chargingProfileId: Math.max(0, ...ids) + 1, stackLevel, chargingProfilePurpose: purpose, chargingProfileKind: 'Relative', chargingSchedule: schedule };
  // A charger-wide maximum has no session to be relative to: it starts now.
  if (purpose === 'ChargePointMaxProfile') Object.assign(profile, { chargingProfileKind: 'Absolute' }, { chargingSchedule: { ...schedule, startSchedule: new Date().toISOString() } });
  if (purpose === 'TxProfile') {
    if (!d.transactionId) throw new Error('a profile for one session needs a running session: start one first');
    profile.transactionId = Number(d.transactionId);
  }
  return { connectorId: purpose === 'ChargePointMaxProfile' ? 0 : Number(d.connectorId), csChargingProfiles: profile };
}

export const limitText = (p) => {
  const s = p.profile && p.profile.chargingSchedule;
  if (!s) return '–';
  const periods = s.chargingSchedulePeriod || [];
  return `${periods[0] ? periods[0].limit : '–'} ${s.chargingRateUnit}${periods.length > 1 ? ` (+${periods.length - 1} periods)` : ''}`;
};
