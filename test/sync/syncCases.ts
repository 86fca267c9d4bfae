// The upstream sync cases, run once per broker (aedes in process; Mosquitto when installed).
// Every case goes through a real charger WebSocket, the real server and a real broker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, type TestSite } from '../support/testSite.js';
import type { BrokerFactory } from '../support/mqttBroker.js';
import { TcpProxy } from '../support/tcpProxy.js';
import { TestConsumer, chargingSession, mqttOverrides, waitUntil } from '../support/syncTestKit.js';
import { defineRestartCases } from './syncRestartCases.js';
import { addTariff, addUser, topUp } from '../support/wallets.js';

async function bootedCharger(site: TestSite, id: string) {
  const cp = await site.connectCharger(id);
  await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'Wallbox' });
  await cp.call('StatusNotification', { connectorId: 0, errorCode: 'NoError', status: 'Available' });
  return cp;
}

export function defineSyncCases(kind: string, startBroker: BrokerFactory): void {
  test(`${kind}: a session over a real charger reaches the central office in order, every message valid`, async () => {
    await using broker = await startBroker();
    const consumer = await TestConsumer.connect(broker.url, 'site-a');
    try {
      await using site = await startTestSite(mqttOverrides(broker.url, 'site-a'));
      // A wallet-paid session, so wallet-charge messages go out too (top-up, then the charge).
      await addTariff(site, { isDefault: true, pricePerKwh: 30 });
      const userId = addUser(site, 'Driver');
      site.addIdTag('TAG-1', { userId });
      await topUp(site, userId, 10_000);
      const cp = await bootedCharger(site, 'CP-1');
      const txId = await chargingSession(cp, 'TAG-1');
      await consumer.waitFor(() => consumer.transactionEvents().length === 2, 'started and completed');
      const wallet = () => consumer.events.filter((e) => e.schema === 'ocpp-edge/wallet-charge/v1').map((e) => [e.data.type, e.data.amount]);
      await consumer.waitFor(() => wallet().length === 2, 'top-up and charge');
      assert.deepEqual(wallet(), [['TOP_UP', 10_000], ['CHARGE', -150]], '5 kWh at 30 per kWh');
      await consumer.waitFor(() => consumer.events.some((e) => e.data.status === 'Available' && e.data.connectorId === 1), 'the last status');
      assert.deepEqual(consumer.transactionEvents().map((e) => [e.event, e.id]), [['started', txId], ['completed', txId]]);
      const seqs = consumer.events.map((e) => e.seq);
      assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'arrival order is seq order');
      assert.deepEqual(consumer.problems(), []);
      assert.equal(consumer.duplicates, 0);
      const statuses = consumer.events.filter((e) => e.schema === 'ocpp-edge/charger-status/v1' && e.data.connectorId === 1).map((e) => e.data.status);
      assert.deepEqual(statuses, ['Preparing', 'Charging', 'Available']);
      assert.ok(consumer.events.some((e) => e.data.event === 'connected' && e.data.chargePointId === 'CP-1'));
      const completed = consumer.events.find((e) => e.data.event === 'completed')!;
      assert.equal((completed.data.transaction as { energyWh: number }).energyWh, 5000);
      assert.equal(completed.siteId, 'site-a');
      assert.equal(consumer.online, true, 'retained online=true on connect');

      await waitUntil(() => site.sync.status().backlog.count === 0, 'backlog drained');
      const health = await site.api('/api/health', { token: null });
      assert.equal(health.body.mqtt.state, 'connected');
      assert.equal(health.body.mqtt.lastPublishedSeq, Math.max(...seqs));
      assert.ok(health.body.mqtt.lastPublishAt);
      assert.equal(health.body.outbox.backlog, 0);
      const metrics = await site.api('/metrics', { token: null });
      assert.match(metrics.body, /^ocpp_edge_mqtt_connected 1$/m);
      assert.match(metrics.body, /^ocpp_edge_outbox_backlog 0$/m);

      await site.stop();
      await consumer.waitFor(() => consumer.online === false, 'retained online=false after a clean stop');
      assert.equal(consumer.events.filter((e) => e.data.event === 'disconnected').length, 1, 'the charger going offline at stop was flushed');
    } finally {
      await consumer.close();
    }
  });

  test(`${kind}: sessions that complete while the broker is away are all delivered, in order, when it is back`, async () => {
    await using broker = await startBroker();
    const proxy = await TcpProxy.start(broker.port);
    const consumer = await TestConsumer.connect(broker.url, 'site-b');
    try {
      await using site = await startTestSite(mqttOverrides(proxy.url, 'site-b', { 'mqtt.inflightWindow': 8 }));
      site.addIdTag('TAG-1');
      const cp = await bootedCharger(site, 'CP-1');
      const ids = [await chargingSession(cp, 'TAG-1', 0)];
      await consumer.waitFor(() => consumer.transactionEvents().length === 2, 'the first session');

      // First the uplink loses the broker's replies: session 2 reaches the broker, its PUBACKs never come back.
      await waitUntil(() => site.sync.status().backlog.count === 0, 'session 1 acknowledged');
      proxy.setMode('holdReplies');
      ids.push(await chargingSession(cp, 'TAG-1', 10_000));
      await consumer.waitFor(() => consumer.transactionEvents().length === 4, 'session 2 at the broker');
      proxy.setMode('down');
      await waitUntil(() => site.sync.status().state !== 'connected', 'the site to notice the broker is gone');
      for (let i = 2; i <= 4; i++) ids.push(await chargingSession(cp, 'TAG-1', i * 10_000));
      const away = await site.api('/api/health', { token: null });
      assert.ok(away.body.outbox.backlog >= 4 * 5, `backlog while away: ${away.body.outbox.backlog}`);
      assert.notEqual(away.body.mqtt.state, 'connected');
      assert.ok(away.body.mqtt.lastError?.message, 'the last error is shown');
      assert.equal(consumer.transactionEvents().length, 4, 'nothing got through while away');

      proxy.setMode('pass');
      await consumer.waitFor(() => consumer.transactionEvents().length === 10, 'all five sessions');
      await consumer.waitFor(() => consumer.duplicates >= 4, 'session 2, unacknowledged, sent again on the new connection');
      assert.deepEqual(consumer.transactionEvents().map((e) => [e.event, e.id]), ids.flatMap((id) => [['started', id], ['completed', id]]));
      const seqs = consumer.events.map((e) => e.seq);
      assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'arrival order (duplicates dropped) is seq order');
      assert.deepEqual(consumer.problems(), []);
      await waitUntil(() => site.sync.status().backlog.count === 0, 'backlog drained');
      assert.equal(site.sync.status().state, 'connected');
    } finally {
      await consumer.close();
      await proxy.close();
    }
  });

  test(`${kind}: a session put in doubt (its connector idle) reaches the central office as interrupted, then completed, every message valid`, async () => {
    await using broker = await startBroker();
    const consumer = await TestConsumer.connect(broker.url, 'site-i');
    try {
      await using site = await startTestSite({ ...mqttOverrides(broker.url, 'site-i'), 'sessions.doubtAfterIdleSec': 1 });
      site.addIdTag('TAG-1');
      const cp = await bootedCharger(site, 'CP-1');
      const { transactionId } = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 0, timestamp: new Date().toISOString() });
      await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' }); // its stop looks lost
      await site.blocks.sessionReview.run(new Date(Date.now() + 2000));
      await cp.call('StopTransaction', { transactionId, meterStop: 800, timestamp: new Date().toISOString(), reason: 'PowerLoss' });
      await consumer.waitFor(() => consumer.transactionEvents().length === 3, 'started, interrupted, completed');
      assert.deepEqual(consumer.transactionEvents().map((e) => [e.event, e.id]),
        [['started', transactionId], ['interrupted', transactionId], ['completed', transactionId]]);
      const interrupted = consumer.events.find((e) => e.data.event === 'interrupted')!;
      assert.equal((interrupted.data.transaction as { status: string }).status, 'INTERRUPTED');
      assert.deepEqual(consumer.problems(), []);
    } finally {
      await consumer.close();
    }
  });

  defineRestartCases(kind, startBroker);
}
