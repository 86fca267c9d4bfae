// The tariff lookups every StartTransaction and StopTransaction runs (which tariff prices a session),
// prepared once, and the charging-profile update every stop makes.
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../index.js';
import { chargingProfiles, stations, tariffs } from '../schema.js';

const p = sql.placeholder;

export type TariffStatements = ReturnType<typeof tariffStatements>;

export function tariffStatements(db: Db) {
  return {
    byId: db.select().from(tariffs).where(eq(tariffs.id, p('id'))).prepare(),
    tariffOfStation: db.select({ tariffId: stations.tariffId }).from(stations).where(eq(stations.id, p('stationId'))).prepare(),
    defaultTariff: db.select().from(tariffs).where(eq(tariffs.isDefault, true)).orderBy(asc(tariffs.id)).limit(1).prepare(),
  };
}

export function chargingProfileStatements(db: Db) {
  return {
    clearOfTransaction: db.update(chargingProfiles).set({ status: 'Cleared', updatedAt: sql`${p('at')}` }).where(and(
      eq(chargingProfiles.chargerId, p('chargerId')), eq(chargingProfiles.transactionId, p('transactionId')), ne(chargingProfiles.status, 'Cleared'),
    )).prepare(),
  };
}
