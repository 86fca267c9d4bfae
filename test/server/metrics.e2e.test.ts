// GET /metrics after real charger traffic: the named metrics exist with the values the traffic implies,
// every line is a well-formed sample, and an action name chosen by a charger cannot add a line or a label.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, isoNow } from '../support/testSite.js';
import { CallErrorReply } from '../../src/sim/chargePoint.js';
import { labelValue } from '../../src/server/metrics.js';

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL_VALUE = '"(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const SAMPLE = new RegExp(`^(${NAME})(\\{${NAME}=${LABEL_VALUE}(?:,${NAME}=${LABEL_VALUE})*\\})? (-?[0-9.e+-]+|\\+Inf|NaN)$`);

/** name{labels} -> value, after checking every line is a comment or a well-formed sample. */
function parse(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const m = SAMPLE.exec(line);
    assert.ok(m, `not a well-formed sample line: ${JSON.stringify(line)}`);
    samples.set(m[1]! + (m[2] ?? ''), Number(m[3]));
  }
  return samples;
}

test('/metrics after real traffic: gauges, messages by action, errors, latency buckets; a hostile action name stays one label', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-1');
  const cp = await site.connectCharger('CP-1');
  cp.on('Reset', () => ({ status: 'Accepted' }));
  await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'X' });
  for (let i = 0; i < 3; i++) await cp.call('Heartbeat', {});
  await cp.call('Authorize', { idTag: 'TAG-1' });
  await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 0, timestamp: isoNow() });
  assert.equal((await site.api('/api/admin/chargers/CP-1/reset', { body: { type: 'Soft' } })).status, 200);
  const hostile = 'Foo"} 1\nevil_metric 42';
  for (const action of [hostile, 'Bar\\', 'Baz']) {
    const err = await cp.call(action, {}).catch((e) => e);
    assert.ok(err instanceof CallErrorReply && err.code === 'NotImplemented', String(err));
  }

  const res = await fetch(`${site.baseUrl}/metrics`); // public: no token
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  assert.ok(!/^evil_metric/m.test(text), 'the injected line is not there');
  const m = parse(text);

  assert.equal(m.get('ocpp_edge_chargers_connected'), 1);
  assert.equal(m.get('ocpp_edge_transactions_active'), 1);
  const backlog = m.get('ocpp_edge_outbox_backlog');
  assert.ok(Number.isInteger(backlog) && backlog! >= 1, `outbox backlog ${backlog} (MQTT is off: the start waits there)`);
  assert.equal(backlog, (await site.api('/api/health', { token: null })).body.outbox.backlog);

  const messages = (direction: string, action: string) => m.get(`ocpp_edge_messages_total{direction="${direction}",action="${action}"}`);
  assert.equal(messages('in', 'Heartbeat'), 3);
  assert.equal(messages('out', 'Heartbeat'), 3, 'replies are counted by the action they answer');
  assert.equal(messages('in', 'StartTransaction'), 1);
  assert.equal(messages('out', 'Reset'), 1, 'our own calls are counted too');
  assert.equal(messages('in', 'unknown'), 3, 'names outside OCPP 1.6 share one label');
  assert.ok(![...m.keys()].some((k) => k.includes('Foo') || k.includes('Baz')), 'no label made from a charger-chosen name');
  assert.equal(m.get('ocpp_edge_errors_total{kind="NotImplemented"}'), 3);

  const buckets = [...m.entries()].filter(([k]) => k.startsWith('ocpp_edge_call_duration_seconds_bucket{action="Heartbeat"'));
  assert.equal(buckets.length, 12, '11 bounds and +Inf');
  const counts = buckets.map(([, v]) => v);
  for (let i = 1; i < counts.length; i++) assert.ok(counts[i]! >= counts[i - 1]!, 'buckets are cumulative');
  assert.equal(m.get('ocpp_edge_call_duration_seconds_bucket{action="Heartbeat",le="+Inf"}'), 3);
  assert.equal(m.get('ocpp_edge_call_duration_seconds_count{action="Heartbeat"}'), 3);
  const sum = m.get('ocpp_edge_call_duration_seconds_sum{action="Heartbeat"}')!;
  assert.ok(sum > 0 && sum < 30, `latency sum ${sum}`);
});

test('label values are escaped per the text format', () => {
  assert.equal(labelValue('a"b\\c\nd'), 'a\\"b\\\\c\\nd');
  assert.equal(labelValue('Heartbeat'), 'Heartbeat');
});
