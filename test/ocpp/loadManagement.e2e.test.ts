// Site load management end to end: the real server, chargers on real WebSockets (test/support/loadCharger.ts),
// a real MQTT broker (aedes) carrying the grid meter's readings. Timings are shortened (raise at once, 1 s
// grace) so each test converges in a second or two; the behaviour over time is the simulation's job
// (test/domain/loadSimulation.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import mqtt from 'mqtt';
import { startTestSite, type TestSite } from '../support/testSite.js';
import { startAedesBroker } from '../support/mqttBroker.js';
import { LoadCharger } from '../support/loadCharger.js';
import { waitFor } from '../support/waitFor.js';

const FAST = { enabled: true, minCurrentA: 6, controlIntervalSec: 0.2, raiseIntervalSec: 0, responseSec: 0, minRaiseStepA: 0.1, complianceGraceSec: 1, rotationMin: 1 };

/**
 * Every charger reports what it draws under its limits, round after round, until a round changes nothing: the
 * balancer sent no profile in answer to the reports (a fixed point), holds no raise back (every steerable row is
 * at its target) and every charger applies its setpoint. Two equal views in a row were not enough: a raise held
 * back while a lower elsewhere shows, or a demand cap from a reading taken just before a raise arrived (the
 * controller's timer runs between the rounds, and responseSec is 0 here), looks settled for a round.
 */
async function converge(site: TestSite, chargers: LoadCharger[], beforeEach?: () => Promise<void>): Promise<any> {
  const profilesReceived = () => chargers.reduce((n, c) => n + c.cp.received.filter((m) => m.action === 'SetChargingProfile').length, 0);
  let detail = '';
  // A time budget, not a number of rounds: a loaded machine takes fewer rounds per second, not fewer steps.
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
    // The meter reads the site as the chargers' last reports left it, then the chargers report: both see the same limits.
    await beforeEach?.();
    await site.blocks.loadBalancer.settled();
    const before = profilesReceived();
    for (const c of chargers) await c.report();
    await site.blocks.loadBalancer.settled();
    const view = (await site.api('/api/admin/load-balancing')).body;
    const row = (c: LoadCharger) => view.rows.find((r: any) => r.chargePointId === c.id);
    const sent = profilesReceived() - before;
    const held = view.rows.filter((r: any) => r.steerable && Math.abs(r.targetA - r.setpointA) > 0.05);
    const applied = chargers.every((c) => c.transactionId === undefined || !row(c).compliant || Math.abs(c.limitA() - row(c).setpointA) < 0.05);
    if (sent === 0 && held.length === 0 && applied) return view;
    detail = `${sent} profiles sent, held back: ${JSON.stringify(held.map((r: any) => [r.chargePointId, r.reason]))}, `
      + JSON.stringify(view.rows.map((r: any) => [r.chargePointId, r.setpointA, r.targetA, r.reason, r.measuredPhaseA])) + ' limits ' + chargers.map((c) => c.limitA()).join(',');
  }
  throw new Error(`the setpoints did not settle: ${detail}`);
}

const shares = (view: any) => Object.fromEntries(view.rows.map((r: any) => [r.chargePointId, r.allocatedA]));

/**
 * With a grid meter the building's load is worked out from readings the meter and the chargers take at
 * different moments, so shares land within a few tenths of an amp of the exact split (the margin covers it).
 */
function near(view: any, expected: Record<string, number>, what: string): void {
  for (const [id, a] of Object.entries(expected)) {
    const got = shares(view)[id];
    assert.ok(Math.abs(got - a) <= 0.3, `${what}: ${id} has ${got} A, expected ${a} A`);
  }
}

/** Reports and meter readings for a while; the grid-meter view after them. */
async function run(site: TestSite, chargers: LoadCharger[], publish: () => Promise<void>): Promise<any> {
  for (let round = 0; round < 12; round++) {
    await publish();
    await site.blocks.loadBalancer.settled();
    for (const c of chargers) await c.report();
    await new Promise((r) => setTimeout(r, 50));
    await site.blocks.loadBalancer.settled();
  }
  return (await site.api('/api/admin/load-balancing')).body;
}

// evcc counted two single-phase loadpoints on L1 and L3 as 32 A on one phase (https://github.com/evcc-io/evcc/issues/14261):
// here a single-phase car uses only its phase, and a three-phase charger with a single-phase car is seen on L3 only.
test('per-phase accounting: single-phase chargers and a single-phase car leave the other phases to the three-phase car', async () => {
  await using site = await startTestSite({ loadBalancing: { ...FAST, siteLimitA: 32, chargers: { 'P-L1': { phases: 1, phase: 'L1' }, 'P-L2': { phases: 1, phase: 'L2' } } } });
  site.addIdTag('TAG');
  const chargers = [
    await LoadCharger.start(site, 'P-L1', { carPhases: [true, false, false] }),
    await LoadCharger.start(site, 'P-L2', { carPhases: [false, true, false] }),
    await LoadCharger.start(site, 'THREE'),
    await LoadCharger.start(site, 'CAR-1P', { carPhases: [false, false, true] }),
  ];
  for (const c of chargers) await c.startSession('TAG');
  const view = await converge(site, chargers);
  // L1: P-L1 + THREE, L2: P-L2 + THREE, L3: THREE + CAR-1P: 16 A each (counted on all phases: 8 A each).
  assert.deepEqual(shares(view), { 'P-L1': 16, 'P-L2': 16, THREE: 16, 'CAR-1P': 16 });
  assert.equal(view.rows.find((r: any) => r.chargePointId === 'CAR-1P').phases, 'L3');
  const site0 = view.circuits.find((c: any) => c.id === 'site');
  assert.deepEqual(site0.allocatedA, [32, 32, 32]);
  assert.deepEqual(site0.measuredA, [32, 32, 32]);
  const p1 = chargers[0]!.cp.received.filter((m) => m.action === 'SetChargingProfile').at(-1)!.payload.csChargingProfiles;
  assert.equal(p1.chargingSchedule.chargingSchedulePeriod[0].numberPhases, 1, 'a single-phase charger is told one phase');
});

test('feeders and priorities: the garage feeder holds its chargers, the fleet bay is served first', async () => {
  await using site = await startTestSite({ loadBalancing: {
    ...FAST, siteLimitA: 50, feeders: [{ id: 'garage', limitA: 14 }],
    chargers: { G1: { feeder: 'garage' }, G2: { feeder: 'garage' }, FLEET: { priority: 1, maxCurrentA: 20 } },
  } });
  site.addIdTag('TAG');
  const chargers = [await LoadCharger.start(site, 'G1'), await LoadCharger.start(site, 'G2'), await LoadCharger.start(site, 'FLEET'), await LoadCharger.start(site, 'YARD')];
  for (const c of chargers) await c.startSession('TAG');
  const view = await converge(site, chargers);
  // Minimums first (4 x 6 A); FLEET up to its 20 A; the garage's two share its 14 A; YARD takes the rest (50 - 20 - 14).
  assert.deepEqual(shares(view), { G1: 7, G2: 7, FLEET: 20, YARD: 16 });
  const garage = view.circuits.find((c: any) => c.id === 'garage');
  assert.deepEqual([garage.limitA, garage.allocatedA], [14, [14, 14, 14]]);
  assert.match(view.rows.find((r: any) => r.chargePointId === 'G1').reason, /garage/);
});

/** Reads /api/events until an event of `type` arrives. */
function nextEvent(site: TestSite, type: string): Promise<any> {
  const token = site.createToken('viewer');
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: site.server.port, path: '/api/events', headers: { authorization: `Bearer ${token}` } }, (res) => {
      let buf = '';
      res.on('data', (chunk: Buffer) => {
        buf += chunk.toString();
        for (const line of buf.split('\n')) {
          if (!line.startsWith('data: ')) continue;
          const msg = JSON.parse(line.slice(6));
          if (msg.type === type) { req.destroy(); resolve(msg.data); }
        }
      });
    });
    req.on('error', (err) => { if (!req.destroyed) reject(err); });
    setTimeout(() => { req.destroy(); reject(new Error(`no ${type} event`)); }, 5000).unref();
  });
}

// The site limit less the building's other load, read from the grid meter's MQTT topic; a meter that goes silent
// leaves charging at the configured fallback, never unlimited.
test('grid meter over MQTT: chargers get the headroom the building leaves; a stale meter falls back; a bad payload is ignored', async () => {
  await using broker = await startAedesBroker();
  await using site = await startTestSite({ loadBalancing: {
    ...FAST, siteLimitA: 32, gridMeter: { topic: 'site-1/grid', url: broker.url, maxAgeSec: 1, fallbackLimitA: 12, marginA: 1 },
  } });
  site.addIdTag('TAG');
  const meter = await mqtt.connectAsync(broker.url);
  try {
    const chargers = [await LoadCharger.start(site, 'CP-1'), await LoadCharger.start(site, 'CP-2')];
    for (const c of chargers) await c.startSession('TAG');
    let building: [number, number, number] = [10, 10, 10];
    const publish = async () => {
      const currentA = building.map((b, i) => b + chargers.reduce((t, c) => t + c.phaseA()[i]!, 0));
      await meter.publishAsync('site-1/grid', JSON.stringify({ currentA, timestamp: new Date().toISOString() }));
      await waitFor('the reading to arrive', () => site.domain.gridMeter.latest()?.currentA?.[0] === currentA[0]);
    };
    const pushed = nextEvent(site, 'loadBalancing.updated');
    let view = await run(site, chargers, publish);
    assert.ok((await pushed).updatedAt, 'the view is pushed to the page');
    near(view, { 'CP-1': 10.5, 'CP-2': 10.5 }, '32 A less 10 A of building less 1 A of margin, shared');
    assert.equal(view.meter.state, 'fresh');
    for (const a of view.meter.otherA) assert.ok(Math.abs(a - 10) <= 0.6, `the building's load is seen: ${view.meter.otherA}`);

    building = [16, 5, 5]; // an oven on L1
    view = await run(site, chargers, publish);
    near(view, { 'CP-1': 7.5, 'CP-2': 7.5 }, 'L1 decides: 32 - 16 - 1 = 15 A');

    await meter.publishAsync('site-1/grid', '{"currentA":[1,2]}'); // refused: not three phases
    await meter.publishAsync('site-1/grid', 'not json');
    await waitFor('the meter to go stale', async () => (await site.api('/api/admin/load-balancing')).body.meter.state === 'stale', 5000);
    view = await converge(site, chargers);
    assert.deepEqual(shares(view), { 'CP-1': 6, 'CP-2': 6 }, 'the fallback: 12 A for charging');
    const metrics = await fetch(`${site.baseUrl}/metrics`).then((r) => r.text());
    assert.match(metrics, /^ocpp_edge_load_grid_meter_stale 1$/m);
    assert.match(metrics, /^ocpp_edge_load_allocated_amps\{circuit="site",phase="L1"\} 12$/m);
    assert.match(metrics, /^ocpp_edge_load_limit_amps\{circuit="site"\} 32$/m);

    building = [5, 5, 5];
    view = await run(site, chargers, publish);
    assert.equal(view.meter.state, 'fresh');
    near(view, { 'CP-1': 13, 'CP-2': 13 }, 'fresh again: 32 - 5 - 1 = 26 A');
  } finally {
    await meter.endAsync();
  }
});

// A charger that accepts SetChargingProfile and keeps drawing what it likes (https://github.com/evcc-io/evcc/issues/31597,
// https://github.com/steve-community/steve/issues/1192): counted at its draw at once, marked non-compliant after the
// grace period, and tried with the other profile kinds; this one honours ChargePointMaxProfile and is steered again.
test('a charger that ignores its profiles is counted at its draw, shown non-compliant, and steered with the kind it honours', async () => {
  await using site = await startTestSite({ loadBalancing: { ...FAST, raiseIntervalSec: 3, siteLimitA: 32 } });
  site.addIdTag('TAG');
  const good = await LoadCharger.start(site, 'GOOD');
  const bad = await LoadCharger.start(site, 'BAD', { obeys: 'ChargePointMaxProfile', carMaxA: 20 });
  await good.startSession('TAG');
  await bad.startSession('TAG');
  const chargers = [good, bad];
  for (let i = 0; i < 3; i++) { for (const c of chargers) await c.report(); await site.blocks.loadBalancer.settled(); }
  let view = (await site.api('/api/admin/load-balancing')).body;
  assert.equal(view.rows.find((r: any) => r.chargePointId === 'BAD').measuredA, 20, 'it ignores the default and TxProfile');
  assert.ok(good.limitA() <= 12, `GOOD gets what BAD leaves (${good.limitA()} A)`);

  await waitFor('BAD to be marked non-compliant', async () => {
    for (const c of chargers) await c.report();
    return (await site.api('/api/admin/load-balancing')).body.rows.find((r: any) => r.chargePointId === 'BAD').compliant === false;
  }, 5000);
  await waitFor('BAD to be tried with a ChargePointMaxProfile and obey it', async () => {
    for (const c of chargers) await c.report();
    const row = (await site.api('/api/admin/load-balancing')).body.rows.find((r: any) => r.chargePointId === 'BAD');
    return row.compliant && row.profileKind === 'ChargePointMaxProfile';
  }, 10_000);
  const kinds = new Set(bad.cp.received.filter((m) => m.action === 'SetChargingProfile').map((m) => m.payload.csChargingProfiles.chargingProfilePurpose));
  assert.deepEqual([...kinds].sort(), ['ChargePointMaxProfile', 'TxDefaultProfile', 'TxProfile']);
  view = await converge(site, chargers);
  assert.deepEqual(shares(view), { GOOD: 16, BAD: 16 }, 'steered again: an equal share');
  assert.equal(bad.drawA(), 16);
});

test('a charger that does not answer is counted at what it draws, and steered again once it is back', async () => {
  await using site = await startTestSite({ 'ocpp.callTimeoutSec': 0.5, loadBalancing: { ...FAST, siteLimitA: 32 } });
  site.addIdTag('TAG');
  const mute = await LoadCharger.start(site, 'MUTE');
  const other = await LoadCharger.start(site, 'OTHER');
  mute.cp.on('SetChargingProfile', () => new Promise(() => {})); // takes the call, never answers
  await mute.startSession('TAG');
  await other.startSession('TAG');
  let view = await converge(site, [mute, other]);
  const row = view.rows.find((r: any) => r.chargePointId === 'MUTE');
  assert.deepEqual([row.profileStatus, row.steerable, row.allocatedA], ['Failed', false, 6], 'counted at its safe default draw');
  assert.equal(shares(view).OTHER, 26);

  // The network drops and comes back (no reboot): it answers again and shares equally.
  await mute.cp.close();
  await mute.connect(site);
  view = await converge(site, [mute, other]);
  assert.deepEqual(shares(view), { MUTE: 16, OTHER: 16 });
});
