import type { Handler } from '../handler.js';
import type { StartTransactionRequest, StartTransactionResponse } from '../../protocol/ocpp16/index.js';
import { startedWhen } from '../../domain/chargerTime.js';

// A retry of a start we already recorded returns the same id (the charger lost our reply).
// A refused idTag still gets a transaction id: the charger decides whether to stop.
// The reservation it names (or the one held for this connector and idTag) is used up.
// A start queued while offline is judged at its own time: a tag that expired since was valid then.
export const startTransaction: Handler<StartTransactionRequest, StartTransactionResponse> = (ctx, req) => {
  const { chargers, authorization, transactions } = ctx.domain;
  const charger = chargers.byId(ctx.chargerId)!;
  const now = startedWhen(req.timestamp, ctx.receivedAt);
  const auth = authorization.authorize(req.idTag, { chargerId: ctx.chargerId, connectorId: req.connectorId, now });
  const tx = transactions.start(charger, req, auth, ctx.receivedAt);
  ctx.domain.reservations.use(ctx.chargerId, req.connectorId, req.idTag, req.reservationId, tx.id);
  return { transactionId: tx.id, idTagInfo: tx.authStatus === auth.idTagInfo.status ? auth.idTagInfo : { status: tx.authStatus as never } };
};
