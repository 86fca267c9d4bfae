// Publisher behaviours, run once per broker (aedes in process; Mosquitto when installed): the in-flight
// window seen on the wire, and a row whose "sent" mark failed to commit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, type TestSite } from '../support/testSite.js';
import type { BrokerFactory } from '../support/mqttBroker.js';
import { PubackGate } from '../support/pubackGate.js';
import { TestConsumer, chargingSession, mqttOverrides, waitUntil } from '../support/syncTestKit.js';

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

  test(`${kind}: a row whose "sent" mark fails to commit is sent again and marked, on the same connection`, async () => {
    await using broker = await startBroker();
    const consumer = await TestConsumer.connect(broker.url, 'site-f');
    try {
      await using site = await startTestSite(mqttOverrides(broker.url, 'site-f'));
      const cp = await bootedCharger(site, 'CP-1');
      await waitUntil(() => site.sync.status().state === 'connected' && site.sync.status().backlog.count === 0, 'connected, nothing pending');
      const connectedSince = site.sync.status().connectedSince;

      // The next UPDATE of outbox.sent_at fails once (as a full disk or an I/O error would), then works again.
      const sqlite = site.database.sqlite;
      let failures = 0;
      sqlite.function('oe_test_fail_mark_once', () => (failures++ === 0 ? 1 : 0));
      site.domain.uow.commit();
      sqlite.exec(`CREATE TEMP TRIGGER oe_test_fail_mark BEFORE UPDATE OF sent_at ON outbox
        WHEN oe_test_fail_mark_once() BEGIN SELECT RAISE(ABORT, 'test: cannot mark sent'); END`);
      try {
        await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Preparing' });
        const seq = site.domain.outbox.lastSeq();
        await consumer.waitFor(() => consumer.events.some((e) => e.seq === seq), 'the event at the central office');
        await waitUntil(() => failures >= 1, 'the mark to fail');
        await waitUntil(() => site.sync.status().backlog.count === 0, 'the row marked sent without a reconnect');
        assert.ok(failures >= 2, 'marked on a later attempt');
        await consumer.waitFor(() => consumer.duplicates >= 1, 'the row sent again');
      } finally {
        site.domain.uow.commit();
        sqlite.exec('DROP TRIGGER IF EXISTS temp.oe_test_fail_mark');
      }
      assert.equal(site.sync.status().connectedSince, connectedSince, 'the same connection throughout');
      assert.equal(site.sync.status().state, 'connected');
      assert.deepEqual(consumer.problems(), []);
    } finally {
      await consumer.close();
    }
  });
}
