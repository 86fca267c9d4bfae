// Which charger messages may wait for the unit of work's commit window (db/unitOfWork.ts): reports a
// charger sends on its own, whose answer it does not wait on to go on charging. Starts, stops, authorizations
// and boots are answered as soon as they are durable: a driver is waiting for them.
const ROUTINE_ACTIONS: ReadonlySet<string> = new Set([
  'MeterValues', 'StatusNotification', 'Heartbeat', 'DiagnosticsStatusNotification', 'FirmwareStatusNotification',
  'LogStatusNotification', 'SignedFirmwareStatusNotification', 'SecurityEventNotification',
]);

/**
 * A charger sends its next CALL only once the last one is answered (OCPP-J §4.1.1), so each wait for company
 * adds to its pace: one draining a queue (readings kept while offline) sends right after each answer, and a
 * full window per message would drain it at one message per window. A message waits at most this share of
 * the time the charger itself let pass since its last answer: its pace slows by at most a fifth, whatever it is
 * (a queue drained a few ms apart commits at once; a report every minute may wait the whole window).
 */
export const WAIT_SHARE_OF_GAP = 0.25;

/** How long a CALL may wait for company (0: it commits at once), given how long ago this charger's previous CALL was answered. */
export function maxCommitWaitMs(action: string, msSinceLastAnswer: number): number {
  return ROUTINE_ACTIONS.has(action) ? Math.max(0, msSinceLastAnswer) * WAIT_SHARE_OF_GAP : 0;
}
