// Which charger messages may wait for the unit of work's commit window (db/unitOfWork.ts): reports a
// charger sends on its own, whose answer it does not wait on to go on charging. Starts, stops, authorizations
// and boots are answered as soon as they are durable: a driver is waiting for them.
const ROUTINE_ACTIONS: ReadonlySet<string> = new Set([
  'MeterValues', 'StatusNotification', 'Heartbeat', 'DiagnosticsStatusNotification', 'FirmwareStatusNotification',
  'LogStatusNotification', 'SignedFirmwareStatusNotification', 'SecurityEventNotification',
]);

/**
 * A charger sends its next CALL only once the last one is answered (OCPP-J §4.1.1): one that sends right
 * after an answer is draining a queue (readings kept while offline), and a window per message would drain
 * it at one message per window. Its messages are treated as urgent.
 */
export const BACKLOG_GAP_MS = 200;

/** Whether a CALL may wait for company, given how long ago this charger's previous CALL was answered. */
export function mayWait(action: string, msSinceLastAnswer: number): boolean {
  return ROUTINE_ACTIONS.has(action) && msSinceLastAnswer > BACKLOG_GAP_MS;
}
