// Reservations (OCPP 1.6 Reservation profile): the id we send in ReserveNow is the row id, so a
// StartTransaction carrying reservationId finds its reservation. A reservation ends as Used,
// Cancelled (by us, or because its connector faulted), Expired, or was never Accepted. Unknown: the
// charger did not answer ReserveNow, so it may hold it; it stays open (cancellable, usable, expires).
import { and, desc, eq, inArray, lte } from 'drizzle-orm';
import type { Db } from '../db/index.js';
import { reservations } from '../db/schema.js';
import { reservationStatements, type ReservationStatements } from '../db/queries/reservations.js';

export type Reservation = typeof reservations.$inferSelect;

/** A reservation the charger holds (or may hold: while we wait for its answer, or it never came). */
export const OPEN_RESERVATION_STATUSES = ['Requested', 'Accepted', 'Unknown'];
const OPEN = OPEN_RESERVATION_STATUSES;

export class Reservations {
  // Prepared once (db/queries/reservations.ts): every StartTransaction uses up a reservation, if there is one.
  private readonly q: ReservationStatements;

  constructor(private readonly db: Db) {
    this.q = reservationStatements(db, OPEN);
  }

  byId(id: number): Reservation | undefined {
    return this.db.select().from(reservations).where(eq(reservations.id, id)).get();
  }

  list(opts: { chargerId?: number; openOnly?: boolean; limit?: number } = {}): Reservation[] {
    const conditions = [
      ...(opts.chargerId !== undefined ? [eq(reservations.chargerId, opts.chargerId)] : []),
      ...(opts.openOnly ? [inArray(reservations.status, OPEN)] : []),
    ];
    return this.db.select().from(reservations).where(and(...conditions)).orderBy(desc(reservations.id)).limit(opts.limit ?? 200).all();
  }

  /** Recorded before ReserveNow is sent, so the charger's answer (or silence) updates a known row. */
  request(input: { chargerId: number; connectorId: number; idTag: string; parentIdTag?: string | null; expiryDate: string }): Reservation {
    return this.db.insert(reservations).values({
      chargerId: input.chargerId, connectorId: input.connectorId, idTag: input.idTag,
      parentIdTag: input.parentIdTag ?? null, expiryDate: input.expiryDate, status: 'Requested',
    }).returning().get();
  }

  /**
   * The outcome of ReserveNow: the charger's answer (Accepted, Faulted, Occupied, Rejected,
   * Unavailable), Unknown (no answer in time) or Failed (never sent, or a CALLERROR). Only a row
   * still Requested takes it: a StartTransaction, a fault or the expiry sweep during the call wins.
   */
  answered(id: number, status: string): Reservation | undefined {
    return this.db.update(reservations).set({ status })
      .where(and(eq(reservations.id, id), eq(reservations.status, 'Requested'))).returning().get() ?? this.byId(id);
  }

  cancel(id: number): Reservation | undefined {
    return this.db.update(reservations).set({ status: 'Cancelled' })
      .where(and(eq(reservations.id, id), inArray(reservations.status, OPEN))).returning().get();
  }

  /**
   * A session started: the reservation it names (or, when the charger leaves reservationId out,
   * the open reservation for that connector and idTag, in any case) is Used.
   */
  use(chargerId: number, connectorId: number, idTag: string, reservationId: number | undefined, transactionId: number): Reservation | undefined {
    return reservationId !== undefined
      ? this.q.useById.get({ reservationId, chargerId, transactionId })
      : this.q.useForConnectorAndTag.get({ chargerId, connectorId, idTag, transactionId });
  }

  /** A faulted connector cannot honour its reservation; connector 0 faulted means the whole charger. */
  cancelForFault(chargerId: number, connectorId: number): Reservation[] {
    const where = connectorId === 0
      ? and(eq(reservations.chargerId, chargerId), inArray(reservations.status, OPEN))
      : and(eq(reservations.chargerId, chargerId), eq(reservations.connectorId, connectorId), inArray(reservations.status, OPEN));
    return this.db.update(reservations).set({ status: 'Cancelled' }).where(where).returning().all();
  }

  expireDue(now: Date): Reservation[] {
    return this.db.update(reservations).set({ status: 'Expired' })
      .where(and(inArray(reservations.status, OPEN), lte(reservations.expiryDate, now.toISOString()))).returning().all();
  }

  /** The earliest expiry still open, to schedule the next sweep. */
  nextExpiry(): string | undefined {
    return this.db.select({ e: reservations.expiryDate }).from(reservations)
      .where(inArray(reservations.status, OPEN)).orderBy(reservations.expiryDate).limit(1).get()?.e;
  }
}
