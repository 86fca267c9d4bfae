import type { Handler } from '../handler.js';
import type { HeartbeatRequest, HeartbeatResponse } from '../../protocol/ocpp16/index.js';

export const heartbeat: Handler<HeartbeatRequest, HeartbeatResponse> = (ctx) => {
  ctx.domain.chargers.heartbeat(ctx.chargerId, ctx.receivedAt);
  return { currentTime: ctx.receivedAt.toISOString() };
};
