// Sync cases that need the server as a real process: killed with SIGKILL between commit and PUBACK,
// and restarted after the broker refused its credentials. Both check nothing is dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestSite } from '../support/testSite.js';
import { spawnServer, type ServerProcess } from '../support/serverProcess.js';
import type { BrokerFactory } from '../support/mqttBroker.js';
import { TcpProxy } from '../support/tcpProxy.js';
import { ChargePoint } from '../../src/sim/chargePoint.js';
import { TestConsumer, chargingSession, mqttEnv, waitUntil } from '../support/syncTestKit.js';

/** A data dir with charger CP-1 and idTag TAG-1 already registered. */
async function preparedDataDir(): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-sync-'));
  const site = await startTestSite({}, dir);
  await site.addCharger('CP-1');
  site.addIdTag('TAG-1');
  await site.stop();
  return dir;
}

async function health(server: ServerProcess): Promise<any> {
  const res = await fetch(`http://127.0.0.1:${server.port}/api/health`);
  return res.json();
}

async function charger(server: ServerProcess): Promise<ChargePoint> {
  const cp = await ChargePoint.connect({ baseUrl: `ws://127.0.0.1:${server.port}/ocpp`, id: 'CP-1' });
  await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'Wallbox' });
  return cp;
}

export function defineRestartCases(kind: string, startBroker: BrokerFactory): void {
  test(`${kind}: killed (SIGKILL) between commit and PUBACK, then restarted: every event delivered at least once, no seq gap`, async () => {
    await using broker = await startBroker();
    const proxy = await TcpProxy.start(broker.port);
    const consumer = await TestConsumer.connect(broker.url, 'site-k');
    const dir = await preparedDataDir();
    // A window larger than one session's events, so all of them reach the broker before the kill.
    const env = mqttEnv(proxy.url, 'site-k', { OCPP_EDGE_MQTT_INFLIGHT_WINDOW: '50' });
    try {
      {
        await using server = await spawnServer({ dataDir: dir, env });
        await server.waitForLog(/MQTT broker connected/);
        const cp = await charger(server);
        const first = await chargingSession(cp, 'TAG-1', 0);
        await consumer.waitFor(() => consumer.transactionEvents().some((e) => e.event === 'completed' && e.id === first), 'session 1');
        await waitUntil(async () => (await health(server)).outbox.backlog === 0, 'session 1 acknowledged');

        proxy.setMode('holdReplies'); // the broker gets and delivers every publish; its PUBACKs never arrive
        const second = await chargingSession(cp, 'TAG-1', 10_000);
        await consumer.waitFor(() => consumer.transactionEvents().some((e) => e.event === 'completed' && e.id === second), 'session 2 at the broker');
        const before = await health(server);
        assert.ok(before.outbox.backlog >= 5, `committed and delivered but unacknowledged: ${before.outbox.backlog}`);
        assert.equal(consumer.online, true, 'retained online=true while the site runs');
        cp.terminate();
        const exit = await server.stop('SIGKILL');
        assert.equal(exit.signal, 'SIGKILL');
      }
      // No goodbye from a killed process: the broker publishes the site's last will when its TCP connection drops.
      await consumer.waitFor(() => consumer.online === false, 'the last will (online=false) after the kill');
      const late = await TestConsumer.connect(broker.url, 'site-k'); // subscribes only now: gets the retained state
      try {
        await late.waitFor(() => late.online !== undefined, 'the retained online message');
        assert.deepEqual(late.observations.filter((o) => o.kind === 'online').map((o) => o.kind === 'online' && [o.message.online, o.retained]), [[false, true]],
          'the will is retained: a consumer that subscribes later sees the site offline');
      } finally {
        await late.close();
      }
      proxy.setMode('pass');
      const deliveredBefore = consumer.events.length;
      await using again = await spawnServer({ dataDir: dir, env });
      await waitUntil(async () => (await health(again)).outbox.backlog === 0, 'the restarted site to catch up', 30_000);
      await consumer.waitFor(() => consumer.duplicates >= 5, 'the unacknowledged events sent again');
      assert.ok(consumer.events.length >= deliveredBefore, 'nothing lost');
      assert.deepEqual(consumer.transactionEvents().map((e) => e.event), ['started', 'completed', 'started', 'completed']);
      assert.deepEqual(consumer.problems(), [], 'no gap in seq, every message valid');
      const seqs = consumer.events.map((e) => e.seq);
      assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i), 'seq has no gap');
    } finally {
      await consumer.close();
      await proxy.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`${kind}: a broker that refuses the credentials: clear error in the log and health, nothing dropped`, async () => {
    await using broker = await startBroker({ users: { 'site-c': 'right-password' } });
    const consumer = await TestConsumer.connect(broker.url, 'site-c', { username: 'site-c', password: 'right-password' });
    const dir = await preparedDataDir();
    const env = (password: string) => mqttEnv(broker.url, 'site-c', { OCPP_EDGE_MQTT_USERNAME: 'site-c', OCPP_EDGE_MQTT_PASSWORD: password });
    try {
      let txId: number;
      {
        await using server = await spawnServer({ dataDir: dir, env: env('wrong-password') });
        const line = await server.waitForLog(/refused the connection/);
        assert.match(line, /"level":50/, 'logged as an error');
        assert.match(line, /check mqtt\.username and mqtt\.password/);
        assert.doesNotMatch(server.output.join('\n'), /wrong-password/, 'the password is never logged');
        const cp = await charger(server);
        txId = await chargingSession(cp, 'TAG-1');
        const h = await health(server);
        assert.notEqual(h.mqtt.state, 'connected');
        assert.match(h.mqtt.lastError.message, /refused the connection/);
        assert.ok(h.outbox.backlog >= 5, `kept for later: ${h.outbox.backlog}`);
        assert.equal(consumer.events.length, 0);
        cp.terminate();
        await server.stop('SIGTERM');
      }
      await using fixed = await spawnServer({ dataDir: dir, env: env('right-password') });
      await consumer.waitFor(() => consumer.transactionEvents().length === 2, 'the session after the fix');
      assert.deepEqual(consumer.transactionEvents().map((e) => [e.event, e.id]), [['started', txId], ['completed', txId]]);
      await waitUntil(async () => (await health(fixed)).outbox.backlog === 0, 'backlog drained');
      assert.deepEqual(consumer.problems(), []);
      assert.equal((await health(fixed)).mqtt.state, 'connected');
    } finally {
      await consumer.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}
