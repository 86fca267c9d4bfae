import type { Handler } from '../handler.js';
import type { SecurityEventNotificationRequest, SecurityEventNotificationResponse } from '../../protocol/ocpp16/index.js';

// Security whitepaper: the charger tells us about tampering, failed logins, firmware problems…; kept for review.
export const securityEventNotification: Handler<SecurityEventNotificationRequest, SecurityEventNotificationResponse> = (ctx, req) => {
  ctx.domain.securityEvents.record(ctx.chargerId, req, ctx.receivedAt);
  return {};
};
