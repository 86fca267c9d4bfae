// OCPP 1.6 (4.2.1 BootNotification): until the Central System has Accepted it, a charger must send
// nothing but BootNotification. We also answer Heartbeat (a Pending charger is told to keep one going),
// and refuse every other call with SecurityError, so an id that is not trusted yet (auto-registered
// under the "pending" policy, connected without a password, or Rejected) cannot authorize tags or
// start transactions.
import { OcppError } from './rpc.js';

const ALLOWED_BEFORE_ACCEPTED = new Set(['BootNotification', 'Heartbeat']);

/** The CALLERROR for `action` from a charger whose registration status is `status`, or undefined if it may send it. */
export function refusalBeforeAccepted(status: string, action: string): OcppError | undefined {
  if (status === 'Accepted' || ALLOWED_BEFORE_ACCEPTED.has(action)) return undefined;
  return new OcppError('SecurityError',
    `${action} refused: this charge point is ${status === 'Rejected' ? 'Rejected' : 'not yet accepted (Pending)'} by the Central System; ` +
    'only BootNotification and Heartbeat are answered until an operator accepts it and it boots again',
    { registrationStatus: status });
}
