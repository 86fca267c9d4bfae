import type { Handler } from '../handler.js';
import type { DiagnosticsStatusNotificationRequest, EmptyResponse } from '../types.js';

export const diagnosticsStatusNotification: Handler<DiagnosticsStatusNotificationRequest, EmptyResponse> = (ctx, req) => {
  ctx.domain.chargers.setDiagnosticsStatus(ctx.chargerId, req.status);
  return {};
};
