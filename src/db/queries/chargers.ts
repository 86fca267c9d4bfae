// The charger and connector statements that run on OCPP messages (boot, status, last-seen flush), prepared once.
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../index.js';
import { chargers, connectors, statusHistory } from '../schema.js';

const p = sql.placeholder;
const bound = (name: string) => sql`${p(name)}`;

export type ChargerStatements = ReturnType<typeof chargerStatements>;

export function chargerStatements(db: Db) {
  const connectorStatus = {
    status: bound('status'), errorCode: bound('errorCode'), info: bound('info'), vendorErrorCode: bound('vendorErrorCode'), statusAt: bound('statusAt'),
  };
  return {
    /** Times kept in memory (lastSeen.ts) reach the row; never moves a time backwards. */
    setLastSeen: db.update(chargers).set({
      lastSeenAt: sql`max(coalesce(${chargers.lastSeenAt}, ''), ${p('seenAt')})`,
      lastHeartbeatAt: sql`coalesce(max(coalesce(${chargers.lastHeartbeatAt}, ''), ${p('heartbeatAt')}), ${chargers.lastHeartbeatAt})`,
    }).where(eq(chargers.id, p('id'))).prepare(),
    endScheduledAvailability: db.update(connectors).set({ availabilityScheduled: false })
      .where(and(eq(connectors.chargerId, p('chargerId')), eq(connectors.availabilityScheduled, true))).prepare(),
    boot: db.update(chargers).set({
      vendor: bound('vendor'), model: bound('model'), serialNumber: bound('serialNumber'), chargeBoxSerialNumber: bound('chargeBoxSerialNumber'),
      firmwareVersion: bound('firmwareVersion'), iccid: bound('iccid'), imsi: bound('imsi'), meterType: bound('meterType'),
      meterSerialNumber: bound('meterSerialNumber'), lastBootAt: bound('at'), lastSeenAt: bound('at'),
    }).where(eq(chargers.id, p('id'))).returning().prepare(),
    upsertConnectorStatus: db.insert(connectors).values({ chargerId: bound('chargerId'), connectorId: bound('connectorId'), ...connectorStatus })
      .onConflictDoUpdate({ target: [connectors.chargerId, connectors.connectorId], set: connectorStatus }).prepare(),
    setLatestStatus: db.update(chargers).set({ latestStatus: bound('status') }).where(eq(chargers.id, p('id'))).prepare(),
    availabilityApplied: db.update(connectors).set({ availabilityScheduled: false }).where(and(eq(connectors.chargerId, p('chargerId')),
      eq(connectors.connectorId, p('connectorId')), eq(connectors.availability, p('applied')), eq(connectors.availabilityScheduled, true))).prepare(),
    appendStatusHistory: db.insert(statusHistory).values({
      chargerId: bound('chargerId'), connectorId: bound('connectorId'), status: bound('status'), errorCode: bound('errorCode'),
      info: bound('info'), vendorErrorCode: bound('vendorErrorCode'), timestamp: bound('timestamp'), receivedAt: bound('receivedAt'),
    }).prepare(),
  };
}
