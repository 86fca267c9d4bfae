import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sessionEnergy } from './sessionEnergy.js';

const at = (minute: number) => new Date(Date.UTC(2024, 4, 1, 10, minute)).toISOString();
const r = (minute: number, wh: number) => ({ at: at(minute), wh });
const MAX_W = 350_000;

test('a steady register bills meterStop - meterStart with no finding', () => {
  assert.deepEqual(sessionEnergy(r(0, 1000), [r(10, 3000), r(20, 5000)], r(30, 7000), MAX_W), { energyWh: 6000, findings: [] });
});

test('readings count in time order, not in the order they arrived', () => {
  assert.deepEqual(sessionEnergy(r(0, 0), [r(20, 5000), r(10, 3000)], r(30, 7000), MAX_W).energyWh, 7000);
});

test('a meter reset to zero (reboot) bills what came before and after it, and says so', () => {
  const e = sessionEnergy(r(0, 1000), [r(10, 5000), r(20, 9000), r(40, 500), r(50, 2000)], r(60, 3000), MAX_W);
  assert.equal(e.energyWh, 8000 + 500 + 2500);
  assert.deepEqual(e.findings.map((f) => f.code), ['meter_reset']);
  assert.match(e.findings[0]!.reason, /restarted from zero/);
});

test('meterStop below meterStart with no readings: the restart is counted from zero, flagged', () => {
  const e = sessionEnergy(r(0, 50_000), [], r(60, 1200), MAX_W);
  assert.equal(e.energyWh, 1200);
  assert.equal(e.findings[0]!.code, 'meter_reset');
});

test('meterStop 0 (the charger did not know) bills the readings only and flags it', () => {
  const e = sessionEnergy(r(0, 1000), [r(30, 4000)], r(60, 0), MAX_W);
  assert.equal(e.energyWh, 3000);
  assert.deepEqual(e.findings.map((f) => f.code), ['meter_reset']);
});

test('meterStart 0 as a placeholder, then the absolute register: the lifetime total is never billed', () => {
  const e = sessionEnergy(r(0, 0), [r(1, 1_234_567), r(31, 1_240_567)], r(61, 1_246_567), MAX_W);
  assert.equal(e.energyWh, 12_000);
  assert.deepEqual(e.findings.map((f) => f.code), ['meter_jump']);
  assert.match(e.findings[0]!.reason, /placeholder/);
});

test('nothing plausible at all: 0 billed, and the session says why', () => {
  const e = sessionEnergy(r(0, 0), [], r(60, 9_000_000), MAX_W);
  assert.equal(e.energyWh, 0);
  assert.deepEqual(e.findings.map((f) => f.code), ['meter_jump', 'meter_unknown']);
});

test('a small step back (a stale reading) bills nothing for it and continues from the higher value', () => {
  const e = sessionEnergy(r(0, 0), [r(10, 5000), r(20, 4900), r(30, 8000)], r(40, 9000), MAX_W);
  assert.equal(e.energyWh, 9000);
  assert.deepEqual(e.findings.map((f) => f.code), ['meter_reset']);
});
