import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GridMeterInput, parseGridPayload } from './gridMeterInput.js';

test('a grid meter payload: currents per phase and/or power, an optional time that can only age the reading', () => {
  const now = Date.parse('2026-12-02T18:00:10Z');
  assert.deepEqual(parseGridPayload({ currentA: [21.4, 18.9, 25.1], powerW: 14650 }, now), { at: now, currentA: [21.4, 18.9, 25.1], powerW: 14650 });
  assert.equal(parseGridPayload({ powerW: 9000, timestamp: '2026-12-02T18:00:05Z' }, now).at, now - 5000, 'a queued reading is as old as it says');
  assert.equal(parseGridPayload({ powerW: 9000, timestamp: '2026-12-02T18:05:00Z' }, now).at, now, 'a meter clock ahead of ours is not trusted');
});

test('a bad grid meter payload is refused with what is wrong', () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ currentA: [1, 2] }, /three numbers/], [{ currentA: [1, 'x', 3] }, /three numbers/], [{ powerW: '12' }, /powerW/],
    [{}, /neither currentA nor powerW/], [[1, 2, 3], /not a JSON object/], [{ powerW: 1, timestamp: 'yesterday' }, /timestamp/],
  ];
  for (const [payload, reason] of cases) assert.throws(() => parseGridPayload(payload, 0), reason);
});

test('the domain input keeps the latest reading and tells its listeners', () => {
  const input = new GridMeterInput();
  let told = 0;
  const off = input.onReading(() => { told++; });
  assert.equal(input.latest(), null);
  input.accept({ at: 1, powerW: 5 });
  off();
  input.accept({ at: 2, powerW: 6 });
  assert.deepEqual([input.latest(), told], [{ at: 2, powerW: 6 }, 1]);
});
