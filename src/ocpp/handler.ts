// What a charger-initiated action handler sees: the charger, the domain, the clock.
// Handlers are synchronous: they run inside the group-commit transaction, and their result is sent
// only after that transaction commits.
import type { Domain } from '../domain/index.js';
import type { ChargerAction, ChargerActions } from '../protocol/ocpp16/index.js';

export interface HandlerContext {
  chargerId: number;
  chargePointId: string;
  domain: Domain;
  receivedAt: Date;
  /** The interval BootNotification.conf gives the charger. */
  heartbeatIntervalSec: number;
}

export type Handler<Req, Res> = (ctx: HandlerContext, req: Req) => Res;

/** The handler of one charger-initiated action, typed by the action's request and response. */
export type ChargerHandler<A extends ChargerAction> = Handler<ChargerActions[A]['request'], ChargerActions[A]['response']>;

/** The inbound table: an action with a schema but no handler is answered NotSupported. */
export type InboundHandlers = { readonly [A in ChargerAction]?: ChargerHandler<A> };
