// Who may open an OCPP connection: a registered charger (or, under the "pending" policy, an unknown id
// registered as Pending) with the right Basic-auth password (security profile 1). The decision lives
// here so that the WebSocket transport needs to know nothing of chargers, policies or passwords.
import type { Domain } from '../domain/index.js';
import type { Charger } from '../domain/chargers.js';
import type { Logger } from '../log.js';
import type { Config } from '../config.js';
import type { Tolerated } from './compat/handshake.js';
import type { SessionMetrics } from './session.js';

/** What a session needs to know about the charger on the other end. */
export type AdmittedCharger = Pick<Charger, 'id' | 'chargePointId' | 'registrationStatus' | 'compatMode'>;

export interface BasicCredentials { username: string; password: string }

export type Admission =
  | { admitted: true; charger: AdmittedCharger }
  | { admitted: false; status: 400 | 401 | 404; reason: string };

/** tolerated: the handshake deviations the transport read past (src/ocpp/compat/handshake.ts). */
export type AdmitCharger = (chargePointId: string, credentials: BasicCredentials | undefined, ip: string, tolerated?: Tolerated[]) => Promise<Admission>;

/** policy: the config's ocpp section, read at each connection (so a changed policy applies to the next one). */
export function chargerAdmission(domain: Domain, policy: Pick<Config['ocpp'], 'unknownChargers' | 'requirePassword'>, logger: Logger, metrics?: Pick<SessionMetrics, 'repaired'>): AdmitCharger {
  return async (chargePointId, credentials, ip, tolerated = []) => {
    let charger = domain.chargers.byChargePointId(chargePointId);
    // An id read out of an unusual path is only ever a registered one: never auto-registered as Pending.
    const guessedId = tolerated.some((t) => t.kind === 'trailing_slash' || t.kind === 'repeated_id' || t.kind === 'extra_path_segment');
    if (!charger && guessedId) {
      logger.warn({ chargePointId, ip, tolerated }, 'connection refused: unknown charger (unusual path)');
      return { admitted: false, status: 404, reason: `unknown charge point ${chargePointId}` };
    }
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
    if (tolerated.length > 0) {
      if (charger.compatMode === 'strict') {
        logger.warn({ chargePointId, ip, tolerated }, 'connection refused: handshake deviations and the charger is in strict mode');
        return { admitted: false, status: 400, reason: `strict mode: ${tolerated.map((t) => t.kind).join(', ')}` };
      }
      logger.info({ chargePointId, ip, tolerated }, 'charger admitted with handshake deviations tolerated');
      const repairs = tolerated.map((t) => ({ kind: t.kind, path: t.kind.includes('subprotocol') ? 'Sec-WebSocket-Protocol' : 'url', raw: t.raw }));
      await domain.uow.run(() => domain.compatibility.recordRepairs(charger.id, 'Handshake', repairs, new Date()));
      for (const t of tolerated) metrics?.repaired?.('Handshake', t.kind);
    }
    return { admitted: true, charger };
  };
}
