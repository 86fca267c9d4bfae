// A session row as stored, and the pieces every part of the session lifecycle shares.
import type { transactions } from '../db/schema.js';
import type { Charger } from './chargers.js';
import { utcIso } from './chargerTime.js';

export type Transaction = typeof transactions.$inferSelect;

/** Sessions that may still receive their StopTransaction: running, or in doubt. */
export const OPEN_STATUSES = ['RUNNING', 'INTERRUPTED'];

/** A retry matches the stored UTC time (utc), or the raw text a row from before UTC storage still holds (raw). */
export const sameTime = (chargerTime: string) => ({ utc: utcIso(chargerTime), raw: chargerTime });

/** What leaves the site about a session (MQTT, exports). */
export function publicView(tx: Transaction, charger: Pick<Charger, 'chargePointId'>) {
  return {
    id: tx.id, chargePointId: charger.chargePointId, connectorId: tx.connectorId, idTag: tx.idTag, userId: tx.userId,
    status: tx.status, meterStart: tx.meterStart, meterStop: tx.meterStop, energyWh: tx.energyWh,
    startedAt: tx.startedAt, stoppedAt: tx.stoppedAt, stopReason: tx.stopReason,
    costAmount: tx.costAmount, currency: tx.currency, tariffId: tx.tariffId, reportedTransactionId: tx.reportedTransactionId,
    ...(tx.flags ? { flags: JSON.parse(tx.flags) as unknown[] } : {}),
  };
}
