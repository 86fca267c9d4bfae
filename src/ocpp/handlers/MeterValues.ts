import type { Handler } from '../handler.js';
import type { MeterValuesRequest, EmptyResponse } from '../types.js';

export const meterValues: Handler<MeterValuesRequest, EmptyResponse> = (ctx, req) => {
  const charger = ctx.domain.chargers.byId(ctx.chargerId)!;
  ctx.domain.transactions.meter(charger, req);
  return {};
};
