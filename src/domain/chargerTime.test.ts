import { test } from 'node:test';
import assert from 'node:assert/strict';
import { utcIso } from './chargerTime.js';

test('charger times become UTC ISO whatever their offset', () => {
  assert.equal(utcIso('2024-05-01T10:00:00+02:00'), '2024-05-01T08:00:00.000Z');
  assert.equal(utcIso('2024-05-01T10:00:00-09:30'), '2024-05-01T19:30:00.000Z');
  assert.equal(utcIso('2024-05-01t10:00:00z'), '2024-05-01T10:00:00.000Z');
  assert.equal(utcIso('1970-01-01T00:00:00Z'), '1970-01-01T00:00:00.000Z', 'epoch 0 is a time, not a failure');
  assert.equal(utcIso('0000-01-01T00:00:00Z'), '0000-01-01T00:00:00.000Z');
});

test('a leap second is the second after :59, in any offset; unreadable text is kept as it came', () => {
  assert.equal(utcIso('2016-12-31T23:59:60Z'), '2017-01-01T00:00:00.000Z');
  assert.equal(utcIso('2016-12-31T23:59:60.250Z'), '2017-01-01T00:00:00.250Z');
  assert.equal(utcIso('2017-01-01T00:59:60+01:00'), '2017-01-01T00:00:00.000Z');
  assert.equal(utcIso('not a time'), 'not a time');
});
