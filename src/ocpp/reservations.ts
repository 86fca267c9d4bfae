// ReserveNow / CancelReservation, and the sweep that marks reservations Expired once their time is up.
// The reservation row is written before the call, so its id is the OCPP reservationId.
import type { Domain } from '../domain/index.js';
import type { Reservation } from '../domain/reservations.js';
import type { Logger } from '../log.js';
import { CallTimeoutError } from './errors.js';
import type { ChargerHub } from './hub.js';

export interface ReserveInput { connectorId: number; idTag: string; expiryDate: string; parentIdTag?: string }

/** ReserveNow went unanswered: the charger may hold the reservation, so it is kept open as Unknown. */
export class ReservationUnknownError extends CallTimeoutError {
  constructor(err: CallTimeoutError, readonly reservation: Reservation) {
    super(err.chargePointId, err.action, err.timeoutMs);
  }
}

export class ReservationDesk {
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly domain: Domain, private readonly hub: ChargerHub, private readonly logger: Logger, sweepSec = 15) {
    this.timer = setInterval(() => { this.expireDue().catch((err) => this.logger.error({ err }, 'reservation expiry failed')); }, sweepSec * 1000);
    this.timer.unref();
  }

  /**
   * Resolves with the reservation as the charger answered (Accepted, Occupied, Faulted, Rejected,
   * Unavailable); no answer in time throws ReservationUnknownError (the row is Unknown, still open).
   */
  async reserve(chargePointId: string, input: ReserveInput): Promise<Reservation> {
    const { chargers, idTagRegistry, reservations, uow } = this.domain;
    const charger = chargers.byChargePointId(chargePointId);
    if (!charger) throw new Error(`unknown charger ${chargePointId}`);
    // A registered tag is reserved (and sent) as registered: idTags are case-insensitive, spelled once.
    const known = idTagRegistry.byIdTag(input.idTag);
    const idTag = known?.idTag ?? input.idTag;
    const parentIdTag = input.parentIdTag ?? known?.parentIdTag ?? undefined;
    const expiryDate = new Date(input.expiryDate).toISOString(); // one format, so expiry compares as text
    const row = await uow.run(() => reservations.request({ chargerId: charger.id, connectorId: input.connectorId, idTag, parentIdTag, expiryDate }));
    let status: string;
    try {
      const res = await this.hub.call(chargePointId, 'ReserveNow', {
        connectorId: input.connectorId, expiryDate, idTag, reservationId: row.id, ...(parentIdTag ? { parentIdTag } : {}),
      });
      status = res.status;
    } catch (err) {
      // A timeout is not a refusal: the call reached the charger and it may well have accepted.
      const outcome = err instanceof CallTimeoutError ? 'Unknown' : 'Failed';
      const kept = (await uow.run(() => reservations.answered(row.id, outcome)))!;
      throw err instanceof CallTimeoutError ? new ReservationUnknownError(err, kept) : err;
    }
    return (await uow.run(() => reservations.answered(row.id, status)))!;
  }

  /**
   * Cancels at the charger; our record is Cancelled when the charger agrees, or, for an Unknown one,
   * when it answers Rejected (it holds no such reservation, so nothing is reserved).
   */
  async cancel(reservation: Reservation, chargePointId: string): Promise<{ status: string; reservation: Reservation }> {
    const res = await this.hub.call(chargePointId, 'CancelReservation', { reservationId: reservation.id });
    const ended = res.status === 'Accepted' || (res.status === 'Rejected' && reservation.status === 'Unknown');
    const updated = ended ? await this.domain.uow.run(() => this.domain.reservations.cancel(reservation.id)) : undefined;
    return { status: res.status, reservation: updated ?? this.domain.reservations.byId(reservation.id)! };
  }

  async expireDue(now = new Date()): Promise<Reservation[]> {
    const next = this.domain.reservations.nextExpiry();
    if (!next || next > now.toISOString()) return [];
    return this.domain.uow.run(() => this.domain.reservations.expireDue(now));
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
