// Which sessions hold a share of the site's limit: the one input that decides who the load balancer
// allocates to. Today every RUNNING session; a session put in doubt (billing's review) would leave here.
import type { TransactionQueries } from './transactionQueries.js';

export interface ActiveSession {
  transactionId: number; connectorId: number; startedAt: string;
  chargerId: number; chargePointId: string; maxCurrentA: number | null;
}

export class LoadSessions {
  constructor(private readonly queries: TransactionQueries) {}

  /** The sessions the load balancer allocates to, oldest first. */
  activeForAllocation(): ActiveSession[] {
    return this.queries.running()
      .map(({ transactionId, connectorId, startedAt, chargerId, chargePointId, maxCurrentA }) => ({ transactionId, connectorId, startedAt, chargerId, chargePointId, maxCurrentA }))
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.transactionId - b.transactionId);
  }
}
