import type { Handler } from '../handler.js';
import type { BootNotificationRequest, BootNotificationResponse } from '../../protocol/ocpp16/index.js';

// A registered charger is Accepted; one auto-registered under the "pending" policy waits for an operator.
// Sessions left RUNNING from before the reboot are interrupted; a later StopTransaction still completes them.
export const bootNotification: Handler<BootNotificationRequest, BootNotificationResponse> = (ctx, req) => {
  const { chargers, transactions } = ctx.domain;
  const charger = chargers.boot(ctx.chargerId, req, ctx.receivedAt);
  transactions.interruptRunning(charger, ctx.receivedAt);
  const status = charger.registrationStatus === 'Accepted' ? 'Accepted' : charger.registrationStatus === 'Rejected' ? 'Rejected' : 'Pending';
  return { status, currentTime: ctx.receivedAt.toISOString(), interval: ctx.heartbeatIntervalSec };
};
