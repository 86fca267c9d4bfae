// The grid meter (or energy manager) over MQTT: subscribes to loadBalancing.gridMeter.topic and hands each
// reading to the domain (domain.gridMeter), which the load balancer reads. MQTT stays in this folder.
// A bad payload is logged (once per distinct problem) and ignored: the last good reading ages into the
// configured fallback, never into "unlimited".
import type { MqttClient } from 'mqtt';
import type { Config } from '../config.js';
import { parseGridPayload, type GridMeterInput } from '../domain/gridMeterInput.js';
import type { Logger } from '../log.js';
import { displayUrl } from './status.js';

export interface GridMeterSubscription { stop(): Promise<void> }

/** MQTT.js (with its streams and WebSocket transport, ~700 KB of modules) loads only for a site that uses it. */
export async function startGridMeter(input: GridMeterInput, config: Config, logger: Logger): Promise<GridMeterSubscription> {
  const g = config.loadBalancing.gridMeter;
  if (!config.loadBalancing.enabled || !g) return { stop: async () => {} };
  const url = g.url ?? config.mqtt.url;
  const log = logger.child({ component: 'grid-meter', broker: displayUrl(url), topic: g.topic });
  const { default: mqtt } = await import('mqtt');
  const client: MqttClient = mqtt.connect(url, {
    clientId: `ocpp-edge-${config.siteId}-grid-meter`, clean: true, reconnectPeriod: 2000, connectTimeout: 10_000,
    username: g.username ?? (g.url ? undefined : config.mqtt.username), password: g.password ?? (g.url ? undefined : config.mqtt.password),
  });
  let lastProblem = '';
  client.on('connect', () => {
    log.info('grid meter: connected, subscribing');
    client.subscribe(g.topic, { qos: 0 }, (err) => { if (err) log.error({ err }, 'grid meter: subscribe refused'); });
  });
  client.on('error', (err) => {
    if (err.message === lastProblem) return;
    lastProblem = err.message;
    log.warn({ err: err.message }, 'grid meter: broker unreachable; charging falls back to loadBalancing.gridMeter.fallbackLimitA when the reading is stale');
  });
  client.on('message', (_topic, payload) => {
    try {
      let json: unknown;
      try { json = JSON.parse(payload.toString('utf8')); } catch { throw new Error('grid meter: the payload is not JSON'); }
      input.accept(parseGridPayload(json, Date.now()));
      lastProblem = '';
    } catch (err) {
      const message = (err as Error).message;
      if (message !== lastProblem) log.warn({ payload: payload.toString('utf8').slice(0, 200) }, `${message}; reading ignored`);
      lastProblem = message;
    }
  });
  return { stop: () => new Promise<void>((resolve) => client.end(true, {}, () => resolve())) };
}
