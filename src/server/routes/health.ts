// Liveness for installers and monitoring: no login needed, no secrets shown.
import { VERSION } from '../../version.js';
import type { Router } from '../http.js';
import type { RouteDeps } from './index.js';
import type { SyncStatus } from '../../sync/index.js';

// The broker being away is normal on a flaky uplink, so it never turns health into 503; it is reported.
function mqttHealth(s: SyncStatus) {
  return {
    enabled: s.enabled, state: s.state, broker: s.broker, connectedSince: s.connectedSince,
    lastPublishAt: s.lastPublishAt, lastPublishedSeq: s.lastPublishedSeq, lastError: s.lastError, nextRetryAt: s.nextRetryAt,
  };
}

function mqttGauges(s: SyncStatus): Record<string, { help: string; value: number }> {
  const seconds = (iso: string | null) => (iso ? Math.round(Date.parse(iso) / 1000) : 0);
  return {
    ocpp_edge_mqtt_connected: { help: '1 while the upstream MQTT broker connection is up', value: s.state === 'connected' ? 1 : 0 },
    ocpp_edge_mqtt_inflight: { help: 'Outbox events published and waiting for PUBACK', value: s.inflight },
    ocpp_edge_mqtt_last_publish_timestamp_seconds: { help: 'Unix time of the last PUBACK (0: none since start)', value: seconds(s.lastPublishAt) },
    ocpp_edge_outbox_oldest_unsent_timestamp_seconds: { help: 'Unix time of the oldest unacknowledged outbox event (0: none)', value: seconds(s.backlog.oldestUnsent) },
  };
}

export type HealthBody = ReturnType<typeof healthBody>;

function healthBody(deps: Pick<RouteDeps, 'config' | 'domain' | 'hub' | 'sync' | 'storage' | 'startedAt'>) {
  const database = deps.domain.databaseAnswers() ? 'ok' : 'error';
  const backlog = deps.domain.outbox.backlog();
  const storage = deps.storage.status(); // disk full or failing writes: chargers are getting errors
  const status: 'ok' | 'degraded' = database === 'ok' && storage.status === 'ok' ? 'ok' : 'degraded';
  return {
    status, database, uptimeSec: Math.round((Date.now() - deps.startedAt.getTime()) / 1000),
    chargersConnected: deps.hub.connected().length, outbox: { backlog: backlog.count, oldestUnsent: backlog.oldest },
    storage,
    mqtt: mqttHealth(deps.sync.status()),
    version: VERSION,
    demo: deps.config.demo,
  };
}

export function registerHealthRoutes(router: Router, deps: Pick<RouteDeps, 'config' | 'domain' | 'hub' | 'metrics' | 'sync' | 'storage' | 'startedAt' | 'blocks'>): void {
  router.get('/api/health', 'public', () => {
    const body = healthBody(deps);
    return { status: body.status === 'ok' ? 200 : 503, body };
  });

  router.get('/metrics', 'public', () => {
    const running = deps.domain.transactionQueries.runningCount();
    const text = deps.metrics.render({
      ocpp_edge_chargers_connected: { help: 'Chargers with an open WebSocket', value: deps.hub.connected().length },
      ocpp_edge_transactions_active: { help: 'Transactions RUNNING', value: running },
      ocpp_edge_outbox_backlog: { help: 'Outbox events not yet acknowledged by the broker', value: deps.domain.outbox.backlog().count },
      ...mqttGauges(deps.sync.status()),
      ...deps.blocks.loadBalancer.gauges(),
      ocpp_edge_uptime_seconds: { help: 'Seconds since start', value: Math.round((Date.now() - deps.startedAt.getTime()) / 1000) },
      ocpp_edge_log_frames_pending: { help: 'Message log frames kept in memory for the next background write', value: deps.domain.messageLog.backlog },
      ocpp_edge_log_frames_dropped: { help: 'Message log frames dropped since start because the disk refused them for too long', value: deps.domain.messageLog.dropped },
      ocpp_edge_db_commits: { help: 'Group commits since start (messages per commit = calls / commits)', value: deps.domain.uow.commits },
    });
    return { raw: text, contentType: 'text/plain; version=0.0.4; charset=utf-8' };
  });
}
