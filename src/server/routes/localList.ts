// Local Authorization Lists: each charger's list state, sending a list, asking a charger its version.
import type { Router } from '../http.js';
import type { RouteDeps } from './index.js';
import { bodySchema, chargerOr404 } from './chargerCalls.js';

const sendBody = bodySchema<{ updateType: 'Full' | 'Differential' | 'auto' }>({
  type: 'object', additionalProperties: false,
  properties: { updateType: { enum: ['Full', 'Differential', 'auto'], default: 'Full' } },
});
const MODES = { Full: 'full', Differential: 'differential', auto: 'auto' } as const;

export function registerLocalListRoutes(router: Router, deps: Pick<RouteDeps, 'config' | 'domain' | 'blocks'>): void {
  const { domain, blocks } = deps;

  const stateOf = (chargerId: number, currentHash: string) => {
    const s = domain.localLists.state(chargerId);
    return s ? { version: s.version, status: s.status, updatedAt: s.updatedAt, inSync: s.status === 'Accepted' && s.hash === currentHash } : null;
  };

  router.get('/api/admin/local-lists', 'viewer', () => {
    const entries = Object.keys(domain.localLists.current()).length;
    const now = new Date();
    return { body: {
      autoSync: deps.config.localAuthList.autoSync, entries,
      // Per charger: an entry's status depends on the charger's tariff (funds, as Authorize judges them).
      chargers: domain.chargers.list().map((c) => ({ chargePointId: c.chargePointId, list: stateOf(c.id, domain.localLists.currentHash(now, c.id)) })),
    } };
  });

  router.get('/api/admin/chargers/:chargePointId/local-list', 'viewer', (req) => {
    const charger = chargerOr404(deps, req.params.chargePointId);
    const plan = domain.localLists.plan(charger.id, 'full')!;
    return { body: { chargePointId: charger.chargePointId, list: stateOf(charger.id, plan.hash), entries: plan.localAuthorizationList } };
  });

  router.post('/api/admin/chargers/:chargePointId/local-list', 'admin', async (req) => {
    const charger = chargerOr404(deps, req.params.chargePointId);
    const { updateType } = sendBody(req.body);
    const result = await blocks.localLists.send(charger.chargePointId, MODES[updateType]);
    return { body: result };
  });

  // Asks the charger (so it is an operator action): a version other than ours forces a Full list next time.
  router.get('/api/admin/chargers/:chargePointId/local-list/version', 'admin', async (req) => {
    const charger = chargerOr404(deps, req.params.chargePointId);
    return { body: await blocks.localLists.getVersion(charger.chargePointId) };
  });
}
