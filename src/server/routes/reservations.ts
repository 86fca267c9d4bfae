// Reservations: list, reserve a connector for an idTag until a time, cancel.
import { HttpError, type Router } from '../http.js';
import type { RouteDeps } from './index.js';
import { OPEN_RESERVATION_STATUSES, type Reservation } from '../../domain/reservations.js';
import { ReservationUnknownError } from '../../ocpp/reservations.js';
import { bodySchema, chargerOr404, intParam } from './chargerCalls.js';
import { limitParam } from './paging.js';

const reserveBody = bodySchema<{ connectorId: number; idTag: string; expiryDate?: string; expiresInMinutes?: number; parentIdTag?: string }>({
  type: 'object', additionalProperties: false, required: ['connectorId', 'idTag'],
  properties: {
    connectorId: { type: 'integer', minimum: 0 }, idTag: { type: 'string', minLength: 1, maxLength: 20 },
    parentIdTag: { type: 'string', minLength: 1, maxLength: 20 },
    expiryDate: { type: 'string', format: 'date-time' }, expiresInMinutes: { type: 'integer', minimum: 1, maximum: 7 * 24 * 60 },
  },
  oneOf: [{ required: ['expiryDate'] }, { required: ['expiresInMinutes'] }],
});

export function registerReservationRoutes(router: Router, deps: Pick<RouteDeps, 'domain' | 'blocks'>): void {
  const { domain, blocks } = deps;
  const view = (r: Reservation) => ({ ...r, chargePointId: domain.chargers.byId(r.chargerId)?.chargePointId ?? null });

  router.get('/api/admin/reservations', 'viewer', (req) => {
    const cp = req.query.get('chargePointId');
    const chargerId = cp ? chargerOr404(deps, cp).id : undefined;
    const rows = domain.reservations.list({ chargerId, openOnly: req.query.get('open') === 'true', limit: limitParam(req, 200, 1000) });
    return { body: { reservations: rows.map(view) } };
  });

  router.post('/api/admin/chargers/:chargePointId/reservations', 'admin', async (req) => {
    const charger = chargerOr404(deps, req.params.chargePointId);
    const body = reserveBody(req.body);
    const expiryDate = body.expiryDate ?? new Date(Date.now() + body.expiresInMinutes! * 60_000).toISOString();
    if (Date.parse(expiryDate) <= Date.now()) throw new HttpError(400, 'expiry_in_past', `expiryDate ${expiryDate} has already passed`);
    const reservation = await blocks.reservations.reserve(charger.chargePointId, {
      connectorId: body.connectorId, idTag: body.idTag, expiryDate, ...(body.parentIdTag ? { parentIdTag: body.parentIdTag } : {}),
    }).catch((err) => {
      if (!(err instanceof ReservationUnknownError)) throw err;
      throw new HttpError(504, 'charger_timeout', `${err.message}; reservation ${err.reservation.id} is kept as Unknown (the charger may hold it): cancel it or let it expire`,
        { reservation: view(err.reservation) });
    });
    // A refusal is a 409 with the charger's status beside the row, as charging profiles answer.
    return { status: reservation.status === 'Accepted' ? 201 : 409, body: { status: reservation.status, reservation: view(reservation) } };
  });

  router.delete('/api/admin/reservations/:id', 'admin', async (req) => {
    const reservation = domain.reservations.byId(intParam(req.params.id, 'id') ?? -1);
    if (!reservation) throw new HttpError(404, 'reservation_not_found', `no reservation ${req.params.id}`);
    if (!OPEN_RESERVATION_STATUSES.includes(reservation.status)) {
      throw new HttpError(409, 'reservation_not_open', `reservation ${reservation.id} is ${reservation.status}`);
    }
    const charger = domain.chargers.byId(reservation.chargerId)!;
    const result = await blocks.reservations.cancel(reservation, charger.chargePointId);
    return { body: { status: result.status, reservation: view(result.reservation) } };
  });
}
