// Stuck sessions: a RUNNING session whose charger has been offline past a limit, or whose connector has shown
// Available/Preparing for a while, is put in doubt (INTERRUPTED, flagged with why). It then no longer blocks its
// driver with ConcurrentTx nor holds a load-balancing share; the charger's later MeterValues or StopTransaction
// still continue or complete it. A charger offline since before this process started counts from the start.
import type { Config } from '../config.js';
import type { Domain } from '../domain/index.js';
import type { Logger } from '../log.js';
import type { ChargerHub } from './hub.js';

export class SessionReview {
  private readonly timer: NodeJS.Timeout;
  private readonly startedAt = Date.now();

  constructor(private readonly domain: Domain, private readonly hub: ChargerHub, private readonly logger: Logger,
    private readonly settings: Config['sessions']) {
    this.timer = setInterval(() => { void this.run().catch((err) => logger.error({ err }, 'session review failed')); }, settings.reviewIntervalSec * 1000);
    this.timer.unref();
  }

  /** One review round; returns how many sessions were put in doubt. */
  async run(now = new Date()): Promise<number> {
    const { chargers, transactions, uow } = this.domain;
    const running = transactions.running();
    if (running.length === 0) return 0;
    const idleCutoff = new Date(now.getTime() - this.settings.doubtAfterIdleSec * 1000);
    const chargerIds = [...new Set(running.map((t) => t.chargerId))];
    return uow.run(() => {
      let doubted = 0;
      for (const id of chargerIds) {
        const charger = chargers.byId(id);
        if (!charger) continue;
        const offlineSince = this.offlineSince(charger.chargePointId, charger.lastSeenAt);
        if (offlineSince !== null && now.getTime() - offlineSince >= this.settings.doubtAfterOfflineSec * 1000) {
          doubted += transactions.doubtOffline(charger, new Date(offlineSince).toISOString(), now).length;
        }
        doubted += transactions.doubtIdle(charger, idleCutoff, now).length;
      }
      if (doubted > 0) this.logger.warn({ sessions: doubted }, 'sessions put in doubt (charger offline or connector idle)');
      return doubted;
    });
  }

  /** null: online now. Otherwise since when nothing was heard (never before this process started). */
  private offlineSince(chargePointId: string, lastSeenAt: string | null): number | null {
    const session = this.hub.get(chargePointId);
    if (session) return this.hub.isOnline(chargePointId) ? null : session.lastSeenAt;
    const seen = lastSeenAt ? Date.parse(lastSeenAt) : NaN;
    return Math.max(Number.isNaN(seen) ? 0 : seen, this.startedAt);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
