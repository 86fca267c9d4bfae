// Liveness for installers and monitoring: no login needed, no secrets shown.
import type { Router } from '../http.js';
import type { RouteDeps } from './index.js';

export function registerHealthRoutes(router: Router, deps: RouteDeps): void {
  router.get('/api/health', 'public', () => {
    let database = 'ok';
    try { deps.database.sqlite.prepare('SELECT 1').get(); } catch { database = 'error'; }
    const backlog = deps.domain.outbox.backlog();
    const status = database === 'ok' ? 'ok' : 'degraded';
    return {
      status: status === 'ok' ? 200 : 503,
      body: {
        status, database, uptimeSec: Math.round((Date.now() - deps.startedAt.getTime()) / 1000),
        chargersConnected: deps.hub.connected().length, outbox: { backlog: backlog.count, oldestUnsent: backlog.oldest },
        version: process.env.npm_package_version ?? '0.1.0',
      },
    };
  });

  router.get('/metrics', 'public', () => {
    const running = deps.database.sqlite.prepare("SELECT count(*) AS n FROM \"transaction\" WHERE status = 'RUNNING'").get() as { n: number };
    const text = deps.metrics.render({
      ocpp_edge_chargers_connected: { help: 'Chargers with an open WebSocket', value: deps.hub.connected().length },
      ocpp_edge_transactions_active: { help: 'Transactions RUNNING', value: running.n },
      ocpp_edge_outbox_backlog: { help: 'Outbox events not yet acknowledged by the broker', value: deps.domain.outbox.backlog().count },
      ocpp_edge_uptime_seconds: { help: 'Seconds since start', value: Math.round((Date.now() - deps.startedAt.getTime()) / 1000) },
    });
    return { raw: text, contentType: 'text/plain; version=0.0.4; charset=utf-8' };
  });
}
