// One MQTT connection to the central office broker, kept up with exponential backoff.
// A fresh MQTT.js client per attempt (no built-in reconnect, clean session): what was in flight on a
// dead connection is simply re-read from the outbox by the publisher, so MQTT.js keeps no state of its own.
import fs from 'node:fs';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { onlineMessage, topicFor } from './contract.js';
import type { SyncStatusTracker } from './status.js';

// CONNACK return codes (MQTT 3.1.1) that mean "this site is not allowed in": retrying will not help
// until someone fixes the credentials, so they are logged as errors with what to check.
const AUTH_REFUSALS: Record<number, string> = {
  2: 'client id rejected (check mqtt.clientId)',
  4: 'bad user name or password (check mqtt.username and mqtt.password)',
  5: 'not authorized (check mqtt.username and mqtt.password, and the broker ACL)',
};

export interface ConnectionEvents {
  /** The broker accepted us: start publishing on this client. */
  up(client: MqttClient): void;
  /** The connection is gone: whatever was in flight is unacknowledged. */
  down(): void;
}

export class BrokerConnection {
  private client: MqttClient | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private stopped = false;
  private lastLogged = '';

  constructor(
    private readonly config: Config['mqtt'], private readonly siteId: string, private readonly clientId: string,
    private readonly tracker: SyncStatusTracker, private readonly logger: Logger, private readonly on: ConnectionEvents,
  ) {}

  private get onlineTopic(): string { return topicFor(this.config.topicPrefix, this.siteId, 'online'); }

  start(): void { this.attempt(); }

  private options(): IClientOptions {
    const c = this.config;
    const read = (key: 'caFile' | 'certFile' | 'keyFile', file: string) => {
      try { return fs.readFileSync(file); } catch (err) { throw new Error(`cannot read mqtt.${key} ${file}: ${(err as Error).message}`); }
    };
    return {
      clientId: this.clientId, username: c.username, password: c.password, clean: true, protocolVersion: 4,
      reconnectPeriod: 0, connectTimeout: 15_000, keepalive: c.keepaliveSec,
      ca: c.caFile ? read('caFile', c.caFile) : undefined,
      cert: c.certFile ? read('certFile', c.certFile) : undefined,
      key: c.keyFile ? read('keyFile', c.keyFile) : undefined,
      // The broker publishes this (retained) if we vanish without saying goodbye.
      will: { topic: this.onlineTopic, payload: Buffer.from(JSON.stringify(onlineMessage(this.siteId, false))), qos: 1, retain: true },
    };
  }

  private attempt(): void {
    this.retryTimer = null;
    if (this.stopped) return;
    this.tracker.connecting();
    let options: IClientOptions;
    try { options = this.options(); } catch (err) { this.failed((err as Error).message, 'error'); this.scheduleRetry(); return; }
    const client = mqtt.connect(this.config.url, options);
    this.client = client;
    let wasUp = false;
    client.on('connect', () => {
      wasUp = true;
      this.failures = 0;
      this.lastLogged = '';
      this.tracker.connected();
      this.logger.info({ broker: this.tracker.broker, clientId: this.clientId }, 'MQTT broker connected');
      client.publish(this.onlineTopic, JSON.stringify(onlineMessage(this.siteId, true)), { qos: 1, retain: true }, () => {});
      this.on.up(client);
    });
    client.on('error', (err: Error & { code?: number | string }) => {
      const refusal = typeof err.code === 'number' ? AUTH_REFUSALS[err.code] : undefined;
      if (refusal) this.failed(`MQTT broker ${this.tracker.broker} refused the connection: ${refusal}; events stay queued in the outbox`, 'error');
      else this.failed(`MQTT broker ${this.tracker.broker} unreachable: ${err.message}`, 'warn');
    });
    client.on('close', () => {
      if (this.client !== client) return;
      this.client = null;
      client.end(true);
      if (wasUp) {
        this.on.down();
        if (!this.stopped) this.failed(`MQTT connection to ${this.tracker.broker} lost`, 'warn');
      }
      this.scheduleRetry();
    });
  }

  private failed(message: string, level: 'warn' | 'error'): void {
    this.tracker.error(message);
    // One line per new problem, not one per retry: a site can be offline for days.
    if (message === this.lastLogged) { this.logger.debug({ attempt: this.failures + 1 }, message); return; }
    this.lastLogged = message;
    this.logger[level]({ broker: this.tracker.broker }, message);
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer) return;
    const base = Math.min(this.config.reconnectMaxMs, this.config.reconnectPeriodMs * 2 ** Math.min(this.failures, 20));
    this.failures++;
    const delay = Math.round(base * (0.8 + Math.random() * 0.4)); // jitter: many sites after one outage
    this.tracker.disconnected(new Date(Date.now() + delay));
    this.retryTimer = setTimeout(() => this.attempt(), delay);
    this.retryTimer.unref();
  }

  /** Clean goodbye: retained online=false, then DISCONNECT (so the broker does not publish the will). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const client = this.client;
    this.client = null;
    if (!client) { this.tracker.stopped(); return; }
    if (client.connected) {
      const offline = JSON.stringify(onlineMessage(this.siteId, false));
      await withTimeout(client.publishAsync(this.onlineTopic, offline, { qos: 1, retain: true }).then(() => {}), 1000);
      await withTimeout(client.endAsync(false), 1000);
    }
    client.end(true);
    this.tracker.stopped();
  }
}

function withTimeout(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.catch(() => {}),
    new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); }),
  ]).finally(() => clearTimeout(timer));
}
