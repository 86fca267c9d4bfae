// mqtts:// with the broker's CA (mqtt.caFile) and a client certificate (mqtt.certFile/keyFile), against
// aedes behind a Node TLS server that demands the client certificate. Certificates made by openssl here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { execFileSync, spawnSync } from 'node:child_process';
import { Aedes } from 'aedes';
import { startTestSite } from '../support/testSite.js';
import { PREFIX, waitUntil } from '../support/syncTestKit.js';

const hasOpenssl = spawnSync('sh', ['-c', 'command -v openssl']).status === 0;

function selfSigned(dir: string, name: string, cn: string): { cert: string; key: string } {
  const cert = path.join(dir, `${name}.pem`);
  const key = path.join(dir, `${name}.key`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${cn}`, '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
  return { cert, key };
}

test('mqtts:// with a CA file and a client certificate publishes; without the CA the error says why', { skip: !hasOpenssl && 'openssl not installed' }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-mqtts-'));
  const server = selfSigned(dir, 'broker', 'localhost');
  const client = selfSigned(dir, 'site', 'site-t');
  const broker = await Aedes.createBroker();
  const received: string[] = [];
  broker.on('publish', (packet, c) => { if (c) received.push(packet.topic); });
  const listener = tls.createServer({
    key: fs.readFileSync(server.key), cert: fs.readFileSync(server.cert),
    requestCert: true, rejectUnauthorized: true, ca: [fs.readFileSync(client.cert)],
  }, broker.handle);
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const url = `mqtts://127.0.0.1:${(listener.address() as { port: number }).port}`;
  const base = { siteId: 'site-t', 'mqtt.enabled': true, 'mqtt.url': url, 'mqtt.topicPrefix': PREFIX, 'mqtt.reconnectPeriodMs': 100, 'mqtt.reconnectMaxMs': 300 };
  try {
    {
      await using untrusting = await startTestSite({ ...base, 'mqtt.certFile': client.cert, 'mqtt.keyFile': client.key });
      await waitUntil(() => untrusting.sync.status().lastError !== null, 'a TLS error');
      assert.match(untrusting.sync.status().lastError!.message, /self[- ]signed certificate/);
      assert.notEqual(untrusting.sync.status().state, 'connected');
    }
    {
      await using site = await startTestSite({ ...base, 'mqtt.caFile': server.cert, 'mqtt.certFile': client.cert, 'mqtt.keyFile': client.key });
      await waitUntil(() => site.sync.status().state === 'connected', 'connected over TLS');
      await waitUntil(() => received.includes(`${PREFIX}/site-t/online`), 'online published over TLS');
    }
    {
      await using missing = await startTestSite({ ...base, 'mqtt.caFile': path.join(dir, 'nope.pem') });
      await waitUntil(() => missing.sync.status().lastError !== null, 'a config error');
      assert.match(missing.sync.status().lastError!.message, /cannot read mqtt\.caFile .*nope\.pem/);
    }
  } finally {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    await new Promise<void>((resolve) => listener.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
