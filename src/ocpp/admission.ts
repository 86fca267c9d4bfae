// Who may open an OCPP connection: a registered charger (or, under the "pending" policy, an unknown id
// registered as Pending) with the right Basic-auth password (security profile 1). The decision lives
// here so that the WebSocket transport needs to know nothing of chargers, policies or passwords.
import type { Domain } from '../domain/index.js';
import type { Charger } from '../domain/chargers.js';
import type { Logger } from '../log.js';
import type { Config } from '../config.js';

/** What a session needs to know about the charger on the other end. */
export type AdmittedCharger = Pick<Charger, 'id' | 'chargePointId' | 'registrationStatus' | 'compatMode'>;

export interface BasicCredentials { username: string; password: string }

export type Admission =
  | { admitted: true; charger: AdmittedCharger }
  | { admitted: false; status: 401 | 404; reason: string };

export type AdmitCharger = (chargePointId: string, credentials: BasicCredentials | undefined, ip: string) => Promise<Admission>;

/** policy: the config's ocpp section, read at each connection (so a changed policy applies to the next one). */
export function chargerAdmission(domain: Domain, policy: Pick<Config['ocpp'], 'unknownChargers' | 'requirePassword'>, logger: Logger): AdmitCharger {
  return async (chargePointId, credentials, ip) => {
    let charger = domain.chargers.byChargePointId(chargePointId);
    if (!charger) {
      // An archived (operator-removed) id is refused under both policies, like an unknown one under "reject".
      charger = policy.unknownChargers === 'pending' ? await domain.chargers.registerPending(chargePointId) : undefined;
      if (!charger) {
        logger.warn({ chargePointId, ip }, 'connection refused: unknown or removed charger');
        return { admitted: false, status: 404, reason: `unknown charge point ${chargePointId}` };
      }
      if (charger.registrationStatus === 'Pending') logger.info({ chargePointId, ip }, 'unknown charger registered as Pending');
    }
    // A Pending charger is only ever told to wait, so it may connect before an operator sets its password.
    if (policy.requirePassword && !charger.passwordHash && charger.registrationStatus !== 'Pending') {
      return { admitted: false, status: 401, reason: 'this charger has no password set and the site requires one' };
    }
    if (credentials && credentials.username !== chargePointId) {
      return { admitted: false, status: 401, reason: 'Basic auth username must be the charge point id' };
    }
    if (!(await domain.chargers.checkPassword(charger, credentials?.password))) {
      logger.warn({ chargePointId, ip }, 'connection refused: wrong or missing password');
      return { admitted: false, status: 401, reason: 'wrong or missing password' };
    }
    return { admitted: true, charger };
  };
}
