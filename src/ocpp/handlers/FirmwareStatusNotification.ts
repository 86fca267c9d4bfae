import type { Handler } from '../handler.js';
import type { FirmwareStatusNotificationRequest, EmptyResponse } from '../types.js';

export const firmwareStatusNotification: Handler<FirmwareStatusNotificationRequest, EmptyResponse> = (ctx, req) => {
  ctx.domain.chargers.setFirmwareStatus(ctx.chargerId, req.status);
  return {};
};
