import type { Handler } from '../handler.js';
import type { SecurityEventNotificationRequest, EmptyResponse } from '../types.js';

// Security whitepaper: the charger tells us about tampering, failed logins, firmware problems…; kept for review.
export const securityEventNotification: Handler<SecurityEventNotificationRequest, EmptyResponse> = (ctx, req) => {
  ctx.domain.securityEvents.record(ctx.chargerId, req, ctx.receivedAt);
  return {};
};
