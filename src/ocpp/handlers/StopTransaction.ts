import type { Handler } from '../handler.js';
import type { StopTransactionRequest, StopTransactionResponse } from '../../protocol/ocpp16/index.js';

// Always answered normally (a charger may drop a transaction message after repeated errors).
export const stopTransaction: Handler<StopTransactionRequest, StopTransactionResponse> = (ctx, req) => {
  const { chargers, authorization, transactions } = ctx.domain;
  const charger = chargers.byId(ctx.chargerId)!;
  transactions.stop(charger, req, ctx.receivedAt);
  if (!req.idTag) return {};
  return { idTagInfo: authorization.authorize(req.idTag, { chargerId: ctx.chargerId, now: ctx.receivedAt }).idTagInfo };
};
