// The tariff lookups every StartTransaction and StopTransaction runs (which tariff prices a session),
// prepared once, and the charging-profile update every stop makes.
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db, Sqlite } from '../index.js';
import { chargingProfiles, tariffs } from '../schema.js';
import { plainRows, type PlainGet } from './plainColumns.js';

const p = sql.placeholder;

export type TariffStatements = ReturnType<typeof tariffStatements>;

// Plain statements (plainColumns.ts): through Drizzle the three cost ~60 µs a StartTransaction.
export function tariffStatements(sqlite: Sqlite) {
  const tariff = plainRows<typeof tariffs.$inferSelect>(tariffs);
  return {
    byId: tariff.get(sqlite.prepare(`SELECT ${tariff.columns} FROM tariff WHERE id = @id`)),
    tariffOfStation: sqlite.prepare('SELECT tariff_id AS tariffId FROM station WHERE id = @stationId') as PlainGet<{ tariffId: number | null }>,
    defaultTariff: tariff.get(sqlite.prepare(`SELECT ${tariff.columns} FROM tariff WHERE is_default = 1 ORDER BY id LIMIT 1`)),
  };
}

export function chargingProfileStatements(db: Db) {
  return {
    clearOfTransaction: db.update(chargingProfiles).set({ status: 'Cleared', updatedAt: sql`${p('at')}` }).where(and(
      eq(chargingProfiles.chargerId, p('chargerId')), eq(chargingProfiles.transactionId, p('transactionId')), ne(chargingProfiles.status, 'Cleared'),
    )).prepare(),
  };
}
