// A charger's security whitepaper settings over the air: raising its security profile (migration steps
// in src/ocpp/securityProfile.ts) and a new AuthorizationKey (generated unless typed; rotation as safe
// as ChargerCommands makes it: the old key works until the charger uses the new one).
import { generateAuthorizationKey } from '../../domain/chargerPasswords.js';
import { ChargerCommands } from '../../ocpp/commands.js';
import { raiseSecurityProfile } from '../../ocpp/securityProfile.js';
import type { Router } from '../http.js';
import { bodySchema, chargerOr404 } from './chargerCalls.js';
import type { RouteDeps } from './index.js';

/** Typed keys: at least 16 characters (the whitepaper's 16-20 bytes; 32-40 characters when written as hex). */
export const authorizationKey = { type: 'string', minLength: 16, maxLength: 40 };
const raiseBody = bodySchema<{ securityProfile: 2 | 3 }>({
  type: 'object', additionalProperties: false, required: ['securityProfile'], properties: { securityProfile: { enum: [2, 3] } },
});
const keyBody = bodySchema<{ key?: string }>({
  type: 'object', additionalProperties: false, properties: { key: authorizationKey },
});

export function registerChargerSecurityRoutes(router: Router, deps: Pick<RouteDeps, 'config' | 'domain' | 'hub' | 'blocks'>): void {
  const { domain, hub, blocks, config } = deps;
  const commands = new ChargerCommands(domain, hub);
  const base = '/api/admin/chargers/:chargePointId';

  router.post(`${base}/security-profile`, 'admin', async (req) => {
    const charger = chargerOr404(deps, req.params.chargePointId);
    const { securityProfile } = raiseBody(req.body);
    const outcome = await raiseSecurityProfile({ domain, hub, certificates: blocks.certificates, tlsEnabled: config.http.tls.enabled }, charger.chargePointId, securityProfile);
    return { body: outcome };
  });

  // The key is in the answer once (the operator may need it at the charger); it is stored only hashed.
  router.post(`${base}/authorization-key`, 'admin', async (req) => {
    const charger = chargerOr404(deps, req.params.chargePointId);
    const key = keyBody(req.body ?? {}).key ?? generateAuthorizationKey();
    const res = await commands.changeConfiguration(charger.chargePointId, 'AuthorizationKey', key);
    return { body: { status: res.status, key } };
  });
}
