// The quirky charger (src/sim/quirks.ts) against the real server: a whole session with every quirk on
// completes in tolerant mode, with each deviation counted for the charger; in strict mode it cannot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';
import { runScenario } from '../../src/sim/scenarios.js';
import { runSimulator } from '../../src/sim/simulateCommand.js';
import { quirkOptions } from '../../src/sim/quirks.js';

const session = (baseUrl: string, id: string) => ({
  baseUrl, id, connectors: 1, scenario: 'session' as const, idTag: 'QUIRKTAG', sessions: 1, sessionSec: 0.2, meterIntervalSec: 3600, powerW: 7400,
  log: () => {}, ...quirkOptions(['all']),
});

test('a session from a charger with every quirk completes and each deviation is counted', async () => {
  await using site = await startTestSite();
  site.addIdTag('QUIRKTAG');
  const chargerId = await site.addCharger('CP-QUIRKY');
  const { transactions } = await runScenario(session(site.wsUrl, 'CP-QUIRKY'));
  assert.equal(transactions.length, 1);
  assert.equal(site.count('transaction', `id = ${transactions[0]} AND status = 'COMPLETED' AND stop_reason = 'EVDisconnected'`), 1);
  const kinds = (site.database.sqlite.prepare('SELECT DISTINCT action || \' \' || kind AS k FROM compat_repair WHERE charger_id = ? ORDER BY k').all(chargerId) as { k: string }[]).map((r) => r.k);
  for (const expected of ['BootNotification too_long', 'Handshake no_subprotocol', 'Handshake trailing_slash', 'MeterValues enum_mapped', 'MeterValues number_to_string',
    'MeterValues object_to_array', 'StartTransaction decimal_to_integer', 'StartTransaction timestamp_missing', 'StatusNotification null_optional',
    'StopTransaction decimal_to_integer', 'StopTransaction extra_field', 'StopTransaction field_renamed', 'StopTransaction timestamp_no_offset']) {
    assert.ok(kinds.includes(expected), `${expected} in ${kinds.join(', ')}`);
  }
  assert.equal(site.count('compat_review'), 0, 'everything was repairable');
});

test('the same quirky charger in strict mode is refused at the handshake; an unknown quirk is a usage error', async () => {
  await using site = await startTestSite();
  await site.addCharger('CP-QUIRKY-STRICT', undefined, 'strict');
  await assert.rejects(runScenario(session(site.wsUrl, 'CP-QUIRKY-STRICT')), (err: Error & { status?: number }) => err.status === 400);
  assert.equal(await runSimulator(['--quirks', 'no-such-quirk']), 2);
});
