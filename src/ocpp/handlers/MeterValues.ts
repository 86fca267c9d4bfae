import type { Handler } from '../handler.js';
import type { MeterValuesRequest, MeterValuesResponse } from '../../protocol/ocpp16/index.js';

export const meterValues: Handler<MeterValuesRequest, MeterValuesResponse> = (ctx, req) => {
  // The hottest message on a site: the session already knows who the charger is.
  ctx.domain.transactions.meter({ id: ctx.chargerId, chargePointId: ctx.chargePointId }, req, ctx.receivedAt);
  return {};
};
