import { test } from 'node:test';
import assert from 'node:assert/strict';
import { otherLoad, siteRoom, type CircuitLimit } from './siteRoom.js';

const limits: CircuitLimit[] = [{ id: 'site', parent: null, limitA: 63, limitW: 40_000 }, { id: 'f', parent: 'site', limitA: 20 }];
const meter = { maxAgeMs: 15_000, fallbackLimitA: 30, marginA: 1 };

test('the site has its limit less the building\'s other load and the margin; feeders keep their static limit', () => {
  const r = siteRoom(10_000, limits, meter, { at: 9_000, currentA: [30, 20, 10], powerW: 20_000 },
    [{ circuit: 'f', phaseA: [16, 16, 16], voltage: 230 }], null);
  assert.equal(r.meter, 'fresh');
  assert.deepEqual(r.otherA, [14, 4, 0], 'the meter less what the charger draws (never below zero)');
  assert.deepEqual(r.rooms[0]!.phaseA, [48, 58, 62]);
  assert.equal(r.rooms[0]!.powerW, 40_000 - (20_000 - 48 * 230));
  assert.deepEqual(r.rooms[1]!.phaseA, [20, 20, 20]);
});

test('a stale or missing reading gives charging the fallback, never more than the static limit and never unlimited', () => {
  for (const reading of [null, { at: 0, currentA: [1, 1, 1] as [number, number, number] }]) {
    const r = siteRoom(60_000, limits, meter, reading, [], null);
    assert.equal(r.meter, 'stale');
    assert.deepEqual(r.rooms[0]!.phaseA, [30, 30, 30]);
  }
  const noStatic = siteRoom(60_000, [{ id: 'site', parent: null, limitW: 20_000 }], meter, null, [], null);
  assert.deepEqual(noStatic.rooms[0]!.phaseA, [30, 30, 30], 'a kW-only site still gets the fallback in A');
});

test('while a raise is not yet seen, the building\'s load is held between its bounds, not taken from our own change', () => {
  const reading = { at: 0, currentA: [40, 40, 40] as [number, number, number] };
  // The car was raised from 10 to 20 A; its last reading says 10. The meter may or may not show the rise.
  const raised = [{ circuit: 'site', phaseA: [10, 10, 10] as [number, number, number], atMostA: [20, 20, 20] as [number, number, number], voltage: 230 }];
  assert.deepEqual(otherLoad(reading, raised, { a: [20, 20, 20], w: null }).a, [20, 20, 20], 'the previous estimate, inside the bounds');
  assert.deepEqual(otherLoad(reading, raised, { a: [35, 35, 35], w: null }).a, [30, 30, 30], 'never above what the low reading allows');
  assert.deepEqual(otherLoad(reading, raised, { a: [5, 5, 5], w: null }).a, [20, 20, 20], 'never below what the setpoint allows');
});

test('a meter reading older than our last change may raise the building\'s load, never lower it', () => {
  const draws = [{ circuit: 'site', phaseA: [10, 10, 10] as [number, number, number], voltage: 230 }];
  const previous = { a: [20, 20, 20] as [number, number, number], w: null };
  const lower = siteRoom(1000, limits, meter, { at: 900, currentA: [25, 25, 25] }, draws, previous, true);
  assert.deepEqual(lower.otherA, [20, 20, 20], 'the reading says 15 A: held at 20 A');
  const higher = siteRoom(1000, limits, meter, { at: 900, currentA: [40, 25, 25] }, draws, previous, true);
  assert.deepEqual(higher.otherA, [30, 20, 20], 'a rise on L1 is taken at once');
});
