// Smart charging: profiles per charger (set, list, clear), the composite schedule, and the live
// allocation of the site load balancer.
import { HttpError, type Router } from '../http.js';
import type { RouteDeps } from './index.js';
import type { ChargingProfile, ClearChargingProfileRequest } from '../../protocol/ocpp16/index.js';
import type { StoredChargingProfile } from '../../domain/chargingProfiles.js';
import { bodySchema, chargerOr404, intParam } from './chargerCalls.js';

const clearBody = bodySchema<ClearChargingProfileRequest>({
  type: 'object', additionalProperties: false,
  properties: {
    id: { type: 'integer' }, connectorId: { type: 'integer', minimum: 0 }, stackLevel: { type: 'integer', minimum: 0 },
    chargingProfilePurpose: { enum: ['ChargePointMaxProfile', 'TxDefaultProfile', 'TxProfile'] },
  },
});

const view = (p: StoredChargingProfile) => ({ ...p, profile: JSON.parse(p.profile) as ChargingProfile });

export function registerSmartChargingRoutes(router: Router, deps: Pick<RouteDeps, 'domain' | 'blocks' | 'validator'>): void {
  const { domain, blocks, validator } = deps;

  router.get('/api/admin/chargers/:chargePointId/charging-profiles', 'viewer', (req) => {
    const charger = chargerOr404(deps, req.params.chargePointId);
    return { body: { profiles: domain.chargingProfiles.list(charger.id, { includeCleared: req.query.get('all') === 'true' }).map(view) } };
  });

  // The body is SetChargingProfile's own payload: {connectorId, csChargingProfiles}, checked against the OCPP schema.
  router.post('/api/admin/chargers/:chargePointId/charging-profiles', 'admin', async (req) => {
    const charger = chargerOr404(deps, req.params.chargePointId);
    validator.check('SetChargingProfile', 'request', req.body);
    const { connectorId, csChargingProfiles: profile } = req.body as { connectorId: number; csChargingProfiles: ChargingProfile };
    if (profile.chargingProfilePurpose === 'TxProfile' && profile.transactionId === undefined) {
      throw new HttpError(400, 'invalid_body', 'a TxProfile needs the transactionId of a running transaction');
    }
    if (profile.chargingProfilePurpose === 'ChargePointMaxProfile' && connectorId !== 0) {
      throw new HttpError(400, 'invalid_body', 'a ChargePointMaxProfile applies to connectorId 0');
    }
    const stored = await blocks.smartCharging.setProfile(charger.chargePointId, connectorId, profile);
    return { status: stored.status === 'Accepted' ? 201 : 409, body: { status: stored.status, profile: view(stored) } };
  });

  router.post('/api/admin/chargers/:chargePointId/charging-profiles/clear', 'admin', async (req) => {
    const charger = chargerOr404(deps, req.params.chargePointId);
    const criteria = clearBody(req.body);
    return { body: await blocks.smartCharging.clear(charger.chargePointId, criteria) };
  });

  router.get('/api/admin/chargers/:chargePointId/composite-schedule', 'viewer', async (req) => {
    const charger = chargerOr404(deps, req.params.chargePointId);
    const connectorId = intParam(req.query.get('connectorId'), 'connectorId') ?? 0;
    const duration = intParam(req.query.get('duration'), 'duration') ?? 3600;
    const unit = req.query.get('chargingRateUnit');
    if (unit !== null && unit !== 'A' && unit !== 'W') throw new HttpError(400, 'invalid_parameter', 'chargingRateUnit must be A or W');
    const rateUnit: { chargingRateUnit?: 'A' | 'W' } = unit === 'A' || unit === 'W' ? { chargingRateUnit: unit } : {};
    const res = await blocks.smartCharging.compositeSchedule(charger.chargePointId, {
      connectorId, duration, ...rateUnit,
    });
    return { body: res };
  });

  router.get('/api/admin/load-balancing', 'viewer', () => {
    const lb = blocks.loadBalancer;
    const { gridMeter, ...settings } = lb.settings;
    if (!lb.enabled) return { body: { enabled: false, rows: [], circuits: [] } };
    // Before the first step, the configured limits with nothing allocated yet.
    return { body: lb.allocation() ?? { ...settings, enabled: true, gridMeter: gridMeter ? { topic: gridMeter.topic } : null, rows: [], circuits: [], totalAllocatedA: 0, updatedAt: null } };
  });
}
