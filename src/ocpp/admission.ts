// Who may open an OCPP connection: a registered charger (or, under the "pending" policy, an unknown id
// registered as Pending) with the right Basic-auth password (security profiles 1 and 2), over TLS when
// its profile is 2 or 3, with a client certificate naming it when 3. The decision lives here so that the WebSocket transport needs to know nothing of chargers, policies or passwords.
import type { Domain } from '../domain/index.js';
import type { Charger } from '../domain/chargers.js';
import type { Logger } from '../log.js';
import type { Config } from '../config.js';
import type { Tolerated } from './compat/handshake.js';
import type { SessionMetrics } from './session.js';
import { AuthThrottle } from './authThrottle.js';

/** Counters admission feeds (src/server/metrics.ts). */
export type AdmissionMetrics = Pick<SessionMetrics, 'repaired'> & { authFailed?(outcome: 'wrong_password' | 'unknown_id' | 'throttled'): void };

/** What a session needs to know about the charger on the other end. */
export type AdmittedCharger = Pick<Charger, 'id' | 'chargePointId' | 'registrationStatus' | 'compatMode'>;

export interface BasicCredentials { username: string; password: string; passwordBytes?: Buffer }

/** What the transport knows of the connection: TLS or not, and the verified client certificate's CN. */
export interface ConnectionFacts { tls: boolean; clientCertificateCn?: string }

export type Admission =
  | { admitted: true; charger: AdmittedCharger }
  | { admitted: false; status: 400 | 401 | 403 | 404 | 429; reason: string; headers?: Record<string, string> };

/** tolerated: the handshake deviations the transport read past (src/ocpp/compat/handshake.ts). */
export type AdmitCharger = (chargePointId: string, credentials: BasicCredentials | undefined, ip: string, tolerated?: Tolerated[], connection?: ConnectionFacts) => Promise<Admission>;

/** Refuses a profile 2/3 charger that came the wrong way; undefined when the transport fits its profile. */
export function transportRefusal(profile: number, chargePointId: string, connection: ConnectionFacts): string | undefined {
  if (profile >= 2 && !connection.tls) return `charger ${chargePointId} uses security profile ${profile}: connect over wss:// (TLS)`;
  if (profile >= 3 && connection.clientCertificateCn !== chargePointId) {
    return connection.clientCertificateCn === undefined
      ? `charger ${chargePointId} uses security profile 3: a client certificate signed by the site CA is required`
      : `the client certificate names ${connection.clientCertificateCn}, not ${chargePointId}`;
  }
  return undefined;
}

/** policy: the config's ocpp section, read at each connection (so a changed policy applies to the next one). */
export function chargerAdmission(domain: Domain, policy: Pick<Config['ocpp'], 'unknownChargers' | 'requirePassword'>, logger: Logger, metrics?: AdmissionMetrics, throttle = new AuthThrottle()): AdmitCharger {
  // One security event per charger per minute at most, so a flood cannot fill the table.
  const recorded = new Map<number, number>();
  const recordFailure = (charger: Charger, ip: string) => {
    const minute = Math.floor(Date.now() / 60_000);
    if (recorded.get(charger.id) === minute) return;
    recorded.set(charger.id, minute);
    if (recorded.size > 10_000) recorded.delete(recorded.keys().next().value!);
    const event = { type: 'FailedChargerAuthentication', techInfo: `wrong or missing Basic-auth password from ${ip}`.slice(0, 255), timestamp: new Date().toISOString() };
    // Not awaited: the refusal goes out at once; a failed write only loses the note.
    domain.uow.run(() => domain.securityEvents.record(charger.id, event, new Date())).catch((err) => logger.error({ err }, 'could not record a failed charger authentication'));
  };
  return async (chargePointId, credentials, ip, tolerated = [], connection = { tls: false }) => {
    // First and in memory: a flooding address costs no database or password work.
    const waitMs = throttle.waitMs(chargePointId, ip);
    if (waitMs > 0) {
      metrics?.authFailed?.('throttled');
      return { admitted: false, status: 429, reason: 'too many failed authentications from this address; retry later', headers: { 'Retry-After': String(Math.ceil(waitMs / 1000)) } };
    }
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
        throttle.failed(undefined, ip);
        metrics?.authFailed?.('unknown_id');
        logger.warn({ chargePointId, ip }, 'connection refused: unknown or removed charger');
        return { admitted: false, status: 404, reason: `unknown charge point ${chargePointId}` };
      }
      if (charger.registrationStatus === 'Pending') logger.info({ chargePointId, ip }, 'unknown charger registered as Pending');
    }
    // Before any password check: a profile-2 charger's key must never travel over plain ws://.
    const wrongTransport = transportRefusal(charger.securityProfile, chargePointId, connection);
    if (wrongTransport) {
      logger.warn({ chargePointId, ip, securityProfile: charger.securityProfile, tls: connection.tls }, `connection refused: ${wrongTransport}`);
      return { admitted: false, status: 403, reason: wrongTransport };
    }
    // Profile 3: the verified certificate is the credential (the whitepaper has no Basic auth there).
    const refused = charger.securityProfile >= 3 ? undefined : await checkBasicAuth(domain, policy, charger, credentials);
    if (refused) {
      if (refused.reason === WRONG_PASSWORD || refused.reason === WRONG_USERNAME) {
        throttle.failed(chargePointId, ip);
        metrics?.authFailed?.('wrong_password');
        recordFailure(charger, ip);
        logger.warn({ chargePointId, ip }, 'connection refused: wrong or missing password');
      }
      return refused;
    }
    throttle.succeeded(chargePointId, ip);
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

const WRONG_PASSWORD = 'wrong or missing password';
const WRONG_USERNAME = 'Basic auth username must be the charge point id';

/** Profiles 1 and 2: the Basic-auth password (as typed, or the AuthorizationKey's decoded bytes). */
async function checkBasicAuth(domain: Domain, policy: Pick<Config['ocpp'], 'requirePassword'>, charger: Charger, credentials: BasicCredentials | undefined): Promise<Extract<Admission, { admitted: false }> | undefined> {
  // A Pending charger is only ever told to wait, so it may connect before an operator sets its password.
  if (policy.requirePassword && !charger.passwordHash && charger.registrationStatus !== 'Pending') {
    return { admitted: false, status: 401, reason: 'this charger has no password set and the site requires one' };
  }
  if (credentials && credentials.username !== charger.chargePointId) {
    return { admitted: false, status: 401, reason: WRONG_USERNAME };
  }
  if (!(await domain.chargers.checkPassword(charger, credentials?.password, credentials?.passwordBytes))) {
    return { admitted: false, status: 401, reason: WRONG_PASSWORD };
  }
  return undefined;
}
