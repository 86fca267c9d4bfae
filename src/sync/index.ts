// Upstream sync to the central office: started by site.ts when config.mqtt.enabled.
// The domain only writes outbox rows; everything MQTT lives in this folder.
import type { Config } from '../config.js';
import type { Domain } from '../domain/index.js';
import type { Logger } from '../log.js';
import { OutboxPublisher } from './publisher.js';
import { SyncStatusTracker, displayUrl, type SyncStatus } from './status.js';

export type { SyncStatus } from './status.js';

export interface Sync {
  status(): SyncStatus;
  /** Sends what it can within flushMs, says goodbye (retained online=false) and disconnects. */
  stop(flushMs?: number): Promise<void>;
}

/** The broker connection (and MQTT.js, ~700 KB of modules: 1 MB of heap) loads only when sync is on. */
export async function startSync(domain: Domain, config: Config, logger: Logger): Promise<Sync> {
  const mqtt = config.mqtt;
  if (!mqtt.enabled) {
    const tracker = new SyncStatusTracker(domain.outbox, false, null, null);
    return { status: () => tracker.status(), stop: async () => {} };
  }
  const { BrokerConnection } = await import('./connection.js');
  const clientId = mqtt.clientId ?? `ocpp-edge-${config.siteId}`;
  const log = logger.child({ component: 'mqtt' });
  const tracker = new SyncStatusTracker(domain.outbox, true, displayUrl(mqtt.url), clientId);
  const publisher = new OutboxPublisher(domain.outbox, domain.events,
    { siteId: config.siteId, topicPrefix: mqtt.topicPrefix, window: mqtt.inflightWindow }, tracker, log);
  const connection = new BrokerConnection(mqtt, config.siteId, clientId, tracker, log, {
    up: (client) => publisher.attach(client),
    down: () => publisher.detach(),
  });
  connection.start();
  let stopping: Promise<void> | undefined;
  return {
    status: () => tracker.status(),
    stop(flushMs = 2000) {
      stopping ??= (async () => {
        await publisher.drain(flushMs);
        await publisher.stop();
        await connection.stop();
      })();
      return stopping;
    },
  };
}
