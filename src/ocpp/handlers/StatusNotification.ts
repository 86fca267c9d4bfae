import type { Handler } from '../handler.js';
import type { StatusNotificationRequest, StatusNotificationResponse } from '../../protocol/ocpp16/index.js';

export const statusNotification: Handler<StatusNotificationRequest, StatusNotificationResponse> = (ctx, req) => {
  const charger = ctx.domain.chargers.byId(ctx.chargerId)!;
  ctx.domain.chargers.status(charger, req, ctx.receivedAt);
  // Available/Preparing under a running session is evidence its stop was missed (judged after a while).
  ctx.domain.transactions.connectorStatus(ctx.chargerId, req.connectorId, req.status, ctx.receivedAt);
  // A faulted connector cannot keep a reservation; it is cancelled in the same transaction.
  if (req.status === 'Faulted') ctx.domain.reservations.cancelForFault(ctx.chargerId, req.connectorId);
  return {};
};
