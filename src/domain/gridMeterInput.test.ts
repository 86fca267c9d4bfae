import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { GridMeterInput, parseGridPayload } from './gridMeterInput.js';

const schema = JSON.parse(fs.readFileSync(new URL('../../schemas/mqtt/inbound/grid-meter.v1.json', import.meta.url), 'utf8'));
const ajv = new Ajv({ strict: false });
addFormats.default(ajv, ['date-time']);
const validate = ajv.compile(schema);

test('a grid meter payload: currents per phase and/or power, an optional time that can only age the reading', () => {
  const now = Date.parse('2026-12-02T18:00:10Z');
  assert.deepEqual(parseGridPayload({ currentA: [21.4, 18.9, 25.1], powerW: 14650 }, now), { at: now, currentA: [21.4, 18.9, 25.1], powerW: 14650 });
  assert.equal(parseGridPayload({ powerW: 9000, timestamp: '2026-12-02T18:00:05Z' }, now).at, now - 5000, 'a queued reading is as old as it says');
  assert.equal(parseGridPayload({ powerW: 9000, timestamp: '2026-12-02T18:05:00Z' }, now).at, now, 'a meter clock ahead of ours is not trusted');
  for (const good of [{ currentA: [1, 2, 3] }, { powerW: -500, timestamp: '2026-12-02T18:00:05Z' }]) assert.ok(validate(good), 'the schema agrees');
});

test('a bad grid meter payload is refused with what is wrong, and the schema refuses it too', () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ currentA: [1, 2] }, /three numbers/], [{ currentA: [1, 'x', 3] }, /three numbers/], [{ powerW: '12' }, /powerW/],
    [{}, /neither currentA nor powerW/], [[1, 2, 3], /not a JSON object/], [{ powerW: 1, timestamp: 'yesterday' }, /timestamp/],
  ];
  for (const [payload, reason] of cases) {
    assert.throws(() => parseGridPayload(payload, 0), reason);
    assert.equal(validate(payload), false, `the schema refuses ${JSON.stringify(payload)}`);
  }
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
