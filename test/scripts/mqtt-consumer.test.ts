// The central office's check script against a real (in-process) broker: it prints what a site sends,
// drops the duplicate, names the gap and the invalid message, and exits 1 because of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { startAedesBroker } from '../support/mqttBroker.js';
import { onlineMessage } from '../../src/sync/contract.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

test('mqtt-consumer reports duplicates, seq gaps and invalid messages, and fails on them', async () => {
  await using broker = await startAedesBroker();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/mqtt-consumer.ts'),
    '--url', broker.url, '--prefix', 'hq', '--site', 'site-9', '--exit-after', '3'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => { out += d; });
  const subscribed = new Promise<void>((resolve) => child.stderr.on('data', (d) => { err += d; if (err.includes('subscribed')) resolve(); }));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  await subscribed;

  const site = await mqtt.connectAsync(broker.url);
  const status = (seq: number, eventId = randomUUID()) => JSON.stringify({
    schema: 'ocpp-edge/charger-status/v1', eventId, seq, siteId: 'site-9', occurredAt: new Date().toISOString(),
    data: { event: 'status', chargePointId: 'CP-1', connectorId: 1, status: 'Charging', errorCode: 'NoError', info: null, vendorErrorCode: null, timestamp: null, receivedAt: new Date().toISOString() },
  });
  const first = status(1);
  await site.publishAsync('hq/site-9/online', JSON.stringify(onlineMessage('site-9', true)), { qos: 1, retain: true });
  await site.publishAsync('hq/site-9/chargers', first, { qos: 1 });
  await site.publishAsync('hq/site-9/chargers', first, { qos: 1 });
  await site.publishAsync('hq/site-9/chargers', JSON.stringify({ schema: 'ocpp-edge/transaction/v1', seq: 2 }), { qos: 1 });
  await site.publishAsync('hq/site-9/chargers', status(2), { qos: 1 });
  await site.publishAsync('hq/site-9/chargers', status(5), { qos: 1 });
  await site.endAsync();

  assert.equal(await exited, 1, `exit code; stdout:\n${out}\nstderr:\n${err}`);
  assert.match(out, /site-9 online=true/);
  assert.match(out, /site-9 #1 charger-status status CP-1\/1 Charging/);
  assert.match(out, /duplicate site-9 #1/);
  assert.match(out, /INVALID on hq\/site-9\/chargers: .*eventId/);
  assert.match(out, /site-9 #5 .*GAP: missing #3\.\.#4/);
  assert.match(out, /site-9: 3 events #1\.\.#5, 1 duplicates dropped, MISSING #3 #4/);
});
