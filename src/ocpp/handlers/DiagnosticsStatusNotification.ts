import type { Handler } from '../handler.js';
import type { DiagnosticsStatusNotificationRequest, DiagnosticsStatusNotificationResponse } from '../../protocol/ocpp16/index.js';

export const diagnosticsStatusNotification: Handler<DiagnosticsStatusNotificationRequest, DiagnosticsStatusNotificationResponse> = (ctx, req) => {
  ctx.domain.chargers.setDiagnosticsStatus(ctx.chargerId, req.status);
  return {};
};
