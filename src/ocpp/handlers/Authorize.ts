import type { Handler } from '../handler.js';
import type { AuthorizeRequest, AuthorizeResponse } from '../../protocol/ocpp16/index.js';

export const authorize: Handler<AuthorizeRequest, AuthorizeResponse> = (ctx, req) => {
  const auth = ctx.domain.authorization.authorize(req.idTag, { chargerId: ctx.chargerId, now: ctx.receivedAt });
  return { idTagInfo: auth.idTagInfo };
};
