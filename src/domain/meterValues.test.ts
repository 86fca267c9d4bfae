import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalize, summarize } from './meterValues.js';

test('absurd readings normalize to null, never Infinity', () => {
  assert.equal(normalize({ value: '1e306', unit: 'kWh' }), null, '1e306 kWh is Infinity Wh');
  assert.equal(normalize({ value: '1e309' }), null);
  assert.equal(normalize({ value: 'NaN' }), null);
  assert.equal(normalize({ value: '-5', unit: 'kWh' }), -5000);
  assert.equal(normalize({ value: '12', format: 'SignedData' }), null);
  for (const value of ['0x10', '0b1', '0o7', 'Infinity', '', ' ', '1_000', '١٢٣']) assert.equal(normalize({ value }), null, value);
  for (const [value, n] of [[' 12 ', 12], ['+1.5e3', 1500], ['.5', 0.5], ['7.', 7], ['-0', -0]] as const) assert.equal(normalize({ value }), n, value);
});

test('an energy register no integer holds is not taken as the session meter', () => {
  const mv = (value: string, unit?: 'Wh' | 'kWh') => [{ timestamp: '2024-01-01T00:00:00Z', sampledValue: [{ value, ...(unit ? { unit } : {}) }] }];
  assert.deepEqual(summarize(mv('1e300')), { energyWh: null, powerW: null, currentA: null, at: null });
  assert.deepEqual(summarize(mv('9007199254740993')), { energyWh: null, powerW: null, currentA: null, at: null });
  assert.deepEqual(summarize(mv('-5')), { energyWh: null, powerW: null, currentA: null, at: null }, 'a register never counts below zero');
  assert.deepEqual(summarize(mv('12.5', 'kWh')), { energyWh: 12500, powerW: null, currentA: null, at: '2024-01-01T00:00:00.000Z' });
});

test('Current.Import per phase is read for the load balancer; other locations and phases are not', () => {
  const values = [{
    timestamp: '2026-01-01T00:00:00Z',
    sampledValue: [
      { value: '15.9', measurand: 'Current.Import' as const, phase: 'L1' as const, unit: 'A' as const },
      { value: '0.2', measurand: 'Current.Import' as const, phase: 'L2' as const, unit: 'A' as const },
      { value: '16.1', measurand: 'Current.Import' as const, phase: 'L3' as const, unit: 'A' as const },
      { value: '40', measurand: 'Current.Import' as const, phase: 'L1' as const, location: 'Inlet' as const },
      { value: '3', measurand: 'Current.Import' as const, phase: 'N' as const },
    ],
  }];
  assert.deepEqual(summarize(values).currentA, [15.9, 0.2, 16.1]);
  assert.equal(summarize([{ timestamp: '2026-01-01T00:00:00Z', sampledValue: [{ value: '7', measurand: 'Current.Import' }] }]).currentA, null,
    'a total without a phase says nothing per phase');
});

test('the session figures come from the newest reading, not the last one in the array', () => {
  const reading = (timestamp: string, wh: string, w: string) => ({ timestamp, sampledValue: [{ value: wh }, { value: w, measurand: 'Power.Active.Import' as const }] });
  const queued = [reading('2024-01-01T10:20:00Z', '3000', '7000'), reading('2024-01-01T10:00:00Z', '1000', '11000')];
  assert.deepEqual(summarize(queued), { energyWh: 3000, powerW: 7000, currentA: null, at: '2024-01-01T10:20:00.000Z' });
});
