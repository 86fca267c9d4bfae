import type { Handler } from '../handler.js';
import type { BootNotificationRequest, BootNotificationResponse } from '../../protocol/ocpp16/index.js';

// A registered charger is Accepted; one auto-registered under the "pending" policy waits for an operator.
// Not the end of running sessions: many chargers send one on every reconnect, and TriggerMessage asks for one
// (evcc #25069). A session ends by its StopTransaction; doubt needs evidence (see domain/transactions.ts).
export const bootNotification: Handler<BootNotificationRequest, BootNotificationResponse> = (ctx, req) => {
  const { chargers } = ctx.domain;
  const charger = chargers.boot(ctx.chargerId, req, ctx.receivedAt);
  const status = charger.registrationStatus === 'Accepted' ? 'Accepted' : charger.registrationStatus === 'Rejected' ? 'Rejected' : 'Pending';
  return { status, currentTime: ctx.receivedAt.toISOString(), interval: ctx.heartbeatIntervalSec };
};
