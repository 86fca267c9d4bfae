// Publisher behaviours, run once per broker (aedes in process; Mosquitto when installed): the in-flight
// window seen on the wire, and a row whose "sent" mark failed to commit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, type TestSite } from '../testing/testSite.js';
import type { BrokerFactory } from '../testing/mqttBroker.js';
import { PubackGate } from '../testing/pubackGate.js';
import { TestConsumer, chargingSession, mqttOverrides, waitUntil } from './syncTestKit.js';

async function bootedCharger(site: TestSite, id: string) {
  const cp = await site.connectCharger(id);
  await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'Wallbox' });
  return cp;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function definePublisherCases(kind: string, startBroker: BrokerFactory): void {
  test(`${kind}: never more than mqtt.inflightWindow publishes wait for their PUBACK at once`, async () => {
    const window = 3;
    await using broker = await startBroker();
    const gate = await PubackGate.start(broker.port); // holds every PUBACK until released below
    const consumer = await TestConsumer.connect(broker.url, 'site-w');
    try {
      await using site = await startTestSite(mqttOverrides(gate.url, 'site-w', { 'mqtt.inflightWindow': window }));
      site.addIdTag('TAG-1');
      const cp = await bootedCharger(site, 'CP-1');
      const ids: number[] = [];
      for (let i = 0; i < 3; i++) ids.push(await chargingSession(cp, 'TAG-1', i * 10_000));
      const total = site.count('outbox');
      assert.ok(total >= 4 * window, `a backlog several windows long: ${total}`);

      // One PUBACK at a time, each only once the window is full and has had a moment to overflow.
      while (site.sync.status().backlog.count > 0) {
        await waitUntil(() => gate.heldCount >= Math.min(window, site.sync.status().backlog.count), 'a full window of held PUBACKs');
        await pause(30);
        assert.ok(gate.unacked.size <= window, `${gate.unacked.size} unacknowledged at once with a window of ${window}`);
        gate.releaseOne();
      }
      assert.equal(gate.maxUnacked, window, 'the window was filled and never exceeded');
      assert.equal(gate.publishes, total, 'each event published once');
      await consumer.waitFor(() => consumer.events.length === total, 'every event at the central office');
      assert.deepEqual(consumer.transactionEvents().map((e) => [e.event, e.id]), ids.flatMap((id) => [['started', id], ['completed', id]]));
      assert.deepEqual(consumer.problems(), []);
    } finally {
      gate.open();
      await consumer.close();
      await gate.close();
    }
  });
}
