import type { Handler } from '../handler.js';
import type { FirmwareStatusNotificationRequest, FirmwareStatusNotificationResponse } from '../../protocol/ocpp16/index.js';

export const firmwareStatusNotification: Handler<FirmwareStatusNotificationRequest, FirmwareStatusNotificationResponse> = (ctx, req) => {
  ctx.domain.chargers.setFirmwareStatus(ctx.chargerId, req.status);
  return {};
};
