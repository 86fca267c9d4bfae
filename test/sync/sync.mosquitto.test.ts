// The same sync cases against a real Mosquitto (from apt), started by the test on a free port with its
// own config file. Missing Mosquitto is a visible skip on a developer machine and a failure in CI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MOSQUITTO, mosquittoAvailable, startMosquittoBroker } from '../support/mqttBroker.js';
import { defineSyncCases } from './syncCases.js';
import { definePublisherCases } from './syncPublisherCases.js';

if (mosquittoAvailable()) {
  defineSyncCases('mosquitto', startMosquittoBroker);
  definePublisherCases('mosquitto', startMosquittoBroker);
} else if (process.env.CI === 'true') {
  test('mosquitto: installed for the CI run', () => {
    assert.fail(`${MOSQUITTO} not found: CI must run the sync tests against Mosquitto (apt-get install -y mosquitto in .ci/run)`);
  });
} else {
  test('mosquitto: sync cases against a real broker', (t) => {
    const notice = `SKIPPED: ${MOSQUITTO} not found, the sync cases ran against aedes only (apt-get install -y mosquitto to run them here)`;
    process.stderr.write(`\n*** ${notice} ***\n\n`);
    t.skip(notice);
  });
}
