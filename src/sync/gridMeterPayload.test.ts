// The documented grid meter payload (schemas/mqtt/inbound/grid-meter.v1.json) and what the site accepts agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { parseGridPayload } from '../domain/gridMeterInput.js';

const schema = JSON.parse(fs.readFileSync(new URL('../../schemas/mqtt/inbound/grid-meter.v1.json', import.meta.url), 'utf8'));
const ajv = new Ajv({ strict: false });
addFormats.default(ajv, ['date-time']);
const validate = ajv.compile(schema);

test('the schema and the parser accept and refuse the same grid meter payloads', () => {
  for (const good of [...schema.examples, { currentA: [1, 2, 3] }, { powerW: -500, timestamp: '2026-12-02T18:00:05Z' }]) {
    assert.ok(validate(good), `the schema takes ${JSON.stringify(good)}`);
    assert.doesNotThrow(() => parseGridPayload(good, Date.now()));
  }
  for (const bad of [{ currentA: [1, 2] }, { currentA: [1, 'x', 3] }, { powerW: '12' }, {}, { powerW: 1, timestamp: 'yesterday' }]) {
    assert.equal(validate(bad), false, `the schema refuses ${JSON.stringify(bad)}`);
    assert.throws(() => parseGridPayload(bad, 0));
  }
});
