// Test kit for the sync tests: a central-office consumer on a real broker and a charging session
// driven over a real charger WebSocket. Not a test file itself (both broker variants import it).
import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { ChargePoint } from '../../src/sim/chargePoint.js';
import { SiteChecker, type Observation } from '../../src/sync/siteChecker.js';
import type { Envelope } from '../../src/sync/contract.js';

export const PREFIX = 'ocpp-edge-test';

export class TestConsumer {
  readonly checker = new SiteChecker();
  readonly observations: Observation[] = [];
  private waiters: Array<() => void> = [];

  private constructor(private readonly client: MqttClient, readonly siteId: string) {
    client.on('message', (topic, payload, packet) => {
      this.observations.push(this.checker.observe(topic, payload, packet.retain));
      for (const w of this.waiters) w();
    });
  }

  static async connect(url: string, siteId: string, auth: { username?: string; password?: string } = {}): Promise<TestConsumer> {
    const client = await mqtt.connectAsync(url, { clientId: `central-${randomUUID().slice(0, 8)}`, clean: true, reconnectPeriod: 200, ...auth });
    const consumer = new TestConsumer(client, siteId);
    await client.subscribeAsync(`${PREFIX}/${siteId}/#`, { qos: 1 });
    return consumer;
  }

  /** Distinct events in arrival order. */
  get events(): Envelope[] { return this.checker.events(this.siteId); }
  get duplicates(): number { return this.observations.filter((o) => o.kind === 'duplicate').length; }
  get online(): boolean | undefined {
    const last = this.observations.filter((o) => o.kind === 'online').at(-1);
    return last?.kind === 'online' ? last.message.online : undefined;
  }

  transactionEvents(): Array<{ seq: number; event: string; id: number }> {
    return this.events.filter((e) => e.schema === 'ocpp-edge/transaction/v1')
      .map((e) => ({ seq: e.seq, event: e.data.event as string, id: (e.data.transaction as { id: number }).id }));
  }

  waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition()) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`consumer: timed out waiting for ${what}; got ${this.events.length} events: ` +
          this.events.map((e) => `${e.seq}:${e.schema.split('/')[1]}:${String(e.data.event)}`).join(', ')));
      }, timeoutMs);
      this.waiters.push(check);
    });
  }

  /** Every problem a central office would complain about. */
  problems(): string[] {
    const out = this.checker.invalid.map((i) => `invalid on ${i.topic}: ${i.problems}`);
    for (const c of this.checker.conflicts) out.push(`seq ${c.seq} carried two event ids`);
    for (const s of this.checker.summary()) if (s.missing.length) out.push(`site ${s.siteId} missing seq ${s.missing.join(',')}`);
    return out;
  }

  async close(): Promise<void> { await this.client.endAsync(true); }
}

/** One whole session on connector 1; returns the transaction id. */
export async function chargingSession(cp: ChargePoint, idTag: string, meterStart = 0): Promise<number> {
  const at = () => new Date().toISOString();
  await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Preparing', timestamp: at() });
  const start = await cp.call('StartTransaction', { connectorId: 1, idTag, meterStart, timestamp: at() });
  await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging', timestamp: at() });
  await cp.call('StopTransaction', { transactionId: start.transactionId, meterStop: meterStart + 5000, timestamp: at(), reason: 'EVDisconnected' });
  await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: at() });
  return start.transactionId;
}

export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Site config for a broker at url: fast retries so a test does not wait for production backoff. */
export function mqttOverrides(url: string, siteId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    siteId, 'mqtt.enabled': true, 'mqtt.url': url, 'mqtt.topicPrefix': PREFIX,
    'mqtt.reconnectPeriodMs': 100, 'mqtt.reconnectMaxMs': 400, 'mqtt.inflightWindow': 4, ...extra,
  };
}

/** The same as env vars, for a server child process. */
export function mqttEnv(url: string, siteId: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    OCPP_EDGE_SITE_ID: siteId, OCPP_EDGE_MQTT_ENABLED: 'true', OCPP_EDGE_MQTT_URL: url, OCPP_EDGE_MQTT_TOPIC_PREFIX: PREFIX,
    OCPP_EDGE_MQTT_RECONNECT_PERIOD_MS: '100', OCPP_EDGE_MQTT_RECONNECT_MAX_MS: '400', OCPP_EDGE_MQTT_INFLIGHT_WINDOW: '4', ...extra,
  };
}
