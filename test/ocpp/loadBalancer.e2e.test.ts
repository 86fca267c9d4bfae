import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, type TestSite } from '../support/testSite.js';
import { waitFor } from '../support/waitFor.js';
import { SimulatedCharger } from '../../src/sim/simulatedCharger.js';

const PHASES = 3;
const W_PER_A = 230 * PHASES;
// Raises at once and readings count at once, so each step settles within a few reports.
const LB = { enabled: true, minCurrentA: 6, phases: PHASES, controlIntervalSec: 0.2, raiseIntervalSec: 0, responseSec: 0, minRaiseStepA: 0.1 };

/**
 * Watches what the site's charging connectors may draw (A) each time a charger applies a profile: a
 * raise must never take the sum over the limit (a session that just started draws the safe default
 * minimum until the balancer has lowered the others: that arrival is not a raise, the next steps are).
 */
class SiteDraw {
  readonly sims: SimulatedCharger[] = [];
  readonly overshoots: string[] = [];
  private readonly applied = new Map<SimulatedCharger, Array<number | undefined>>(); // limits before this change
  constructor(private readonly limitA: number) {}
  private sumA(changed: SimulatedCharger, useBefore: boolean): number {
    return this.sims.reduce((sum, s) => sum + s.connectors.map((c, i) => ({ c, i })).slice(1)
      .filter(({ c }) => c.transactionId !== undefined)
      .reduce((a, { c, i }) => {
        const limitW = useBefore && s === changed ? this.applied.get(s)?.[i] : c.limitW;
        return a + Math.min(limitW ?? s.opts.powerW!, s.opts.powerW!) / W_PER_A;
      }, 0), 0);
  }
  onLimitChange = (sim: SimulatedCharger): void => {
    const beforeA = this.sumA(sim, true);
    const nowA = this.sumA(sim, false);
    if (nowA > beforeA + 1e-6 && nowA > this.limitA + 1e-6) this.overshoots.push(`${sim.id} raised the site from ${beforeA.toFixed(1)} to ${nowA.toFixed(1)} A`);
    this.applied.set(sim, sim.connectors.map((c) => c.limitW));
  };
}

async function startSim(site: TestSite, id: string, powerW = 22000, draw?: SiteDraw): Promise<SimulatedCharger> {
  await site.addCharger(id);
  // Meter values are sent by the test (not on a timer) so each reading follows a known limit.
  const sim = new SimulatedCharger({ baseUrl: site.wsUrl, id, powerW, meterIntervalSec: 3600, ...(draw ? { onLimitChange: draw.onLimitChange } : {}) });
  draw?.sims.push(sim);
  await sim.start();
  await waitFor(`${id} to get its safe default profile`, () => sim.cp.received.some((c) => c.action === 'SetChargingProfile'
    && c.payload.csChargingProfiles.chargingProfilePurpose === 'TxDefaultProfile'));
  return sim;
}

/** Reports rounds until the allocation stops moving; returns the last round's powers. */
async function reportPower(site: TestSite, sims: SimulatedCharger[]): Promise<number[]> {
  let last = '';
  for (let round = 0; round < 20; round++) {
    const powers = await reportOnce(site, sims);
    const now = JSON.stringify([powers, (await allocation(site)).rows.map((r: any) => r.allocatedA)]);
    if (now === last) return powers;
    last = now;
  }
  throw new Error(`no steady allocation: ${last}`);
}

/** Every running simulator reports its power now; returns what the CSMS stored per transaction. */
async function reportOnce(site: TestSite, sims: SimulatedCharger[]): Promise<number[]> {
  const powers: number[] = [];
  for (const sim of sims) {
    const c = sim.connectors[1]!;
    if (c.transactionId === undefined) continue;
    await sim.sendMeterValues(1, sim.powerOf(c));
    powers.push(site.domain.transactions.byId(c.transactionId)!.lastPowerW!);
    await site.blocks.loadBalancer.settled(); // the next charger reports under the limits this reading led to
  }
  return powers;
}

async function allocation(site: TestSite) {
  await site.blocks.loadBalancer.settled();
  const res = await site.api('/api/admin/load-balancing');
  assert.equal(res.status, 200);
  return res.body;
}

test('site load balancing: chargers that honour TxProfiles share the site limit through arrivals and departures', async () => {
  await using site = await startTestSite({ loadBalancing: { ...LB, siteLimitA: 32 } });
  for (const tag of ['TAG-1', 'TAG-2', 'TAG-3']) site.addIdTag(tag);
  const draw = new SiteDraw(32);
  const sims = [await startSim(site, 'CP-1', 22000, draw), await startSim(site, 'CP-2', 22000, draw), await startSim(site, 'CP-3', 22000, draw)];
  try {
    assert.equal(sims[0]!.connectors[1]!.limitW, 6 * W_PER_A, 'safe default: the minimum current');

    await sims[0]!.startSession(1, 'TAG-1');
    await site.blocks.loadBalancer.settled();
    assert.deepEqual(await reportPower(site, sims), [22000], 'alone: the whole site (the car takes 22 kW)');

    await sims[1]!.startSession(1, 'TAG-2');
    await site.blocks.loadBalancer.settled();
    assert.deepEqual(await reportPower(site, sims), [16 * W_PER_A, 16 * W_PER_A]);

    await sims[2]!.startSession(1, 'TAG-3');
    await site.blocks.loadBalancer.settled();
    const three = await reportPower(site, sims);
    assert.deepEqual(three, [10.6 * W_PER_A, 10.6 * W_PER_A, 10.6 * W_PER_A].map(Math.round));
    assert.ok(three.reduce((a, b) => a + b) <= 32 * W_PER_A, 'measured site power within the limit');
    const view = await allocation(site);
    assert.equal(view.enabled, true);
    assert.equal(view.totalAllocatedA, 31.8);
    assert.deepEqual(view.rows.map((r: any) => [r.chargePointId, r.allocatedA, r.profileStatus]),
      [['CP-1', 10.6, 'Accepted'], ['CP-2', 10.6, 'Accepted'], ['CP-3', 10.6, 'Accepted']]);

    await sims[0]!.stopSession(1);
    await site.blocks.loadBalancer.settled();
    assert.deepEqual(await reportPower(site, sims), [16 * W_PER_A, 16 * W_PER_A]);
    const stored = site.count('charging_profile', "source = 'load-balancer' AND purpose = 'TxProfile'");
    assert.ok(stored >= 6, `every TxProfile sent is recorded (${stored})`);
    assert.deepEqual(draw.overshoots, [], 'no raise ever took the site over its limit');
  } finally {
    for (const s of sims) await s.stop();
  }
});

test('an operator clearing every profile gets the balancer\'s limits sent again; a new max current rebalances', async () => {
  await using site = await startTestSite({ loadBalancing: { ...LB, siteLimitA: 32 } });
  site.addIdTag('TAG-1');
  site.addIdTag('TAG-2');
  const sims = [await startSim(site, 'CP-1'), await startSim(site, 'CP-2')];
  try {
    await sims[0]!.startSession(1, 'TAG-1');
    await sims[1]!.startSession(1, 'TAG-2');
    await site.blocks.loadBalancer.settled();
    assert.equal(sims[0]!.connectors[1]!.limitW, 16 * W_PER_A);

    const sentBefore = sims[0]!.cp.received.filter((c) => c.action === 'SetChargingProfile').length;
    const cleared = await site.api('/api/admin/chargers/CP-1/charging-profiles/clear', { method: 'POST', body: {} });
    assert.equal(cleared.status, 200);
    await waitFor('the balancer to send CP-1 its profiles again', () =>
      sims[0]!.cp.received.filter((c) => c.action === 'SetChargingProfile').length >= sentBefore + 2);
    await site.blocks.loadBalancer.settled();
    assert.equal(sims[0]!.connectors[1]!.limitW, 16 * W_PER_A, 'limited again, not unlimited');

    const edited = await site.api('/api/admin/chargers/CP-1', { method: 'PUT', body: { maxCurrentA: 10 } });
    assert.equal(edited.status, 200);
    await waitFor('CP-1 lowered after the edit', () => sims[0]!.connectors[1]!.limitW === 10 * W_PER_A);
    await reportPower(site, sims); // CP-2 rises once CP-1's lower shows in its readings
    assert.equal(sims[1]!.connectors[1]!.limitW, 22 * W_PER_A);
    assert.equal(sims[0]!.connectors[1]!.limitW, 10 * W_PER_A, 'CP-1 held to its new maximum');
  } finally {
    for (const s of sims) await s.stop();
  }
});

test('a car that draws less than its share leaves the rest to the others; the minimum pauses latecomers', async () => {
  await using site = await startTestSite({ loadBalancing: { ...LB, siteLimitA: 20 } });
  for (const tag of ['TAG-1', 'TAG-2', 'TAG-3', 'TAG-4']) site.addIdTag(tag);
  // This car never takes more than 920 W. The charger reports power only, so the balancer cannot tell a
  // three-phase car at 1.3 A from a single-phase one at 4 A: it caps the car only by the higher reading (4 A).
  const slowCar = 4 * 230;
  const sims = [await startSim(site, 'CP-1', slowCar), await startSim(site, 'CP-2'), await startSim(site, 'CP-3'), await startSim(site, 'CP-4')];
  try {
    await sims[0]!.startSession(1, 'TAG-1');
    await sims[1]!.startSession(1, 'TAG-2');
    await site.blocks.loadBalancer.settled();
    await reportPower(site, sims); // CP-1 is seen drawing at most 4 A of its 10 A
    let view = await allocation(site);
    assert.deepEqual(view.rows.map((r: any) => r.allocatedA), [6, 14], 'the slow car keeps the minimum, the other gets the rest');
    assert.deepEqual(await reportPower(site, sims), [slowCar, 14 * W_PER_A]);

    await sims[2]!.startSession(1, 'TAG-3');
    await sims[3]!.startSession(1, 'TAG-4');
    await site.blocks.loadBalancer.settled();
    view = await allocation(site);
    const shares = view.rows.map((r: any) => r.allocatedA);
    // Three minimums fit in 20 A; the fourth waits at 0 A, and while it waits nobody gets more than the minimum
    // (the rotation brings it in): not the late car blocked while the others charge above it
    // (https://github.com/evcc-io/evcc/issues/18263).
    assert.deepEqual(shares, [6, 6, 6, 0]);
    assert.ok(view.totalAllocatedA <= 20);
    const powers = await reportPower(site, sims);
    assert.equal(powers[3], 0, 'the paused charger reports no power');
  } finally {
    for (const s of sims) await s.stop();
  }
});

test('a charger that refuses profiles is counted at what it draws; the others share the rest', async () => {
  await using site = await startTestSite({ loadBalancing: { ...LB, siteLimitA: 32 } });
  site.addIdTag('TAG-1');
  site.addIdTag('TAG-2');
  const stubborn = await startSim(site, 'CP-1');
  stubborn.cp.on('SetChargingProfile', () => ({ status: 'Rejected' }));
  const good = await startSim(site, 'CP-2');
  try {
    await stubborn.startSession(1, 'TAG-1');
    await stubborn.sendMeterValues(1, 10 * W_PER_A); // it draws 10 A whatever we say
    await good.startSession(1, 'TAG-2');
    await site.blocks.loadBalancer.settled();
    const view = await allocation(site);
    assert.deepEqual(view.rows.map((r: any) => [r.chargePointId, r.steerable, r.allocatedA]), [['CP-1', false, 10], ['CP-2', true, 22]]);
    assert.equal(good.connectors[1]!.limitW, 22 * W_PER_A);
  } finally {
    await stubborn.stop();
    await good.stop();
  }
});

test('a charger that boots again gets its safe default profile again, after its BootNotification is answered', async () => {
  await using site = await startTestSite({ loadBalancing: { enabled: true, siteLimitA: 32, minCurrentA: 6, phases: PHASES } });
  const sim = await startSim(site, 'LB-BOOT');
  const defaults = () => sim.cp.received.filter((c) => c.action === 'SetChargingProfile'
    && c.payload.csChargingProfiles.chargingProfilePurpose === 'TxDefaultProfile').length;
  const before = defaults();
  const boot = await sim.cp.call('BootNotification', { chargePointVendor: 'ocpp-edge', chargePointModel: 'Simulator' });
  assert.equal(boot.status, 'Accepted');
  await waitFor('the safe default sent again after the reboot', () => defaults() > before);
});
