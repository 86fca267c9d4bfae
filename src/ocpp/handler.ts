// What a charger-initiated action handler sees: the charger, the domain, the clock.
// Handlers are synchronous: they run inside the group-commit transaction, and their result is sent
// only after that transaction commits.
import type { Domain } from '../domain/index.js';

export interface HandlerContext {
  chargerId: number;
  chargePointId: string;
  domain: Domain;
  receivedAt: Date;
}

export type Handler<Req = any, Res = any> = (ctx: HandlerContext, req: Req) => Res;
