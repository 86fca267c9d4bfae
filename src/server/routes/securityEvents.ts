// Security events the chargers reported (SecurityEventNotification).
import type { Router } from '../http.js';
import type { RouteDeps } from './index.js';
import { chargerOr404 } from './chargerCalls.js';
import { limitParam } from './paging.js';

export function registerSecurityEventRoutes(router: Router, deps: Pick<RouteDeps, 'domain'>): void {
  router.get('/api/admin/security-events', 'viewer', (req) => {
    const cp = req.query.get('chargePointId');
    const chargerId = cp ? chargerOr404(deps, cp).id : undefined;
    const names = new Map(deps.domain.chargers.list().map((c) => [c.id, c.chargePointId]));
    const events = deps.domain.securityEvents.list({ chargerId, limit: limitParam(req, 100, 1000) });
    return { body: { events: events.map((e) => ({ ...e, chargePointId: names.get(e.chargerId) ?? null })) } };
  });
}
