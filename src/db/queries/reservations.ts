// The reservation statements a StartTransaction runs (it uses up a reservation), prepared once.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../index.js';
import { reservations } from '../schema.js';

const p = sql.placeholder;

export type ReservationStatements = ReturnType<typeof reservationStatements>;

export function reservationStatements(db: Db, openStatuses: string[]) {
  const open = inArray(reservations.status, openStatuses);
  const markUsed = () => db.update(reservations).set({ status: 'Used', transactionId: sql`${p('transactionId')}` });
  return {
    useById: markUsed().where(and(eq(reservations.id, p('reservationId')), eq(reservations.chargerId, p('chargerId')), open))
      .returning().prepare(),
    useForConnectorAndTag: markUsed().where(and(eq(reservations.chargerId, p('chargerId')), eq(reservations.connectorId, p('connectorId')),
      sql`lower(${reservations.idTag}) = lower(${p('idTag')})`, open)).returning().prepare(),
  };
}
