// A tag or user was blocked: every connected charger clears its authorization cache (it would otherwise go on
// accepting the tag offline), local lists follow through idTags.changed (localList.ts), and with
// sessions.stopWhenBlocked the running sessions of that tag, its group or that user are stopped remotely.
import type { Domain } from '../domain/index.js';
import type { Logger } from '../log.js';
import type { ChargerHub } from './hub.js';

export class BlockedTags {
  private readonly off: () => void;
  /** The last round's calls, so tests and shutdown can wait for them. */
  pending: Promise<unknown> = Promise.resolve();

  constructor(private readonly domain: Domain, private readonly hub: ChargerHub, private readonly logger: Logger, private readonly stopSessions: boolean) {
    this.off = domain.events.on('idTags.blocked', (who) => { this.pending = this.enforce(who); });
  }

  private async enforce(who: { idTag?: string; userId?: number }): Promise<void> {
    const calls: Array<Promise<unknown>> = this.hub.connected().map((s) => this.hub.call(s.chargePointId, 'ClearCache', {})
      .catch((err) => this.logger.warn({ err, chargePointId: s.chargePointId }, 'ClearCache after a block failed')));
    if (this.stopSessions) {
      for (const tx of this.domain.transactions.runningOfBlocked(who)) {
        const chargePointId = this.domain.chargers.byId(tx.chargerId)?.chargePointId;
        if (!chargePointId) continue;
        calls.push(this.hub.call(chargePointId, 'RemoteStopTransaction', { transactionId: tx.id })
          .then((r) => this.logger.info({ chargePointId, transactionId: tx.id, status: r.status, ...who }, 'remote stop of a blocked tag\'s session'))
          .catch((err) => this.logger.warn({ err, chargePointId, transactionId: tx.id }, 'remote stop of a blocked tag\'s session failed')));
      }
    }
    await Promise.all(calls);
  }

  stop(): void {
    this.off();
  }
}
