// Keeps the SD card from filling: old log rows, meter values and sent outbox rows are deleted in the background.
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Domain } from './index.js';


export interface PruneResult { log: number; meterValues: number; outbox: number; reclaimedPages: number }

/**
 * Gives free pages back to the file system, but only when they are a large share of the file (after a
 * big prune or a retention change): a few free pages are reused by tomorrow's rows, and moving them
 * back and forth would only wear the SD card. Needs auto_vacuum=INCREMENTAL (set for new databases).
 */
export function reclaimFreePages(sqlite: Domain['sqlite'], minShare = 0.25): number {
  if (sqlite.pragma('auto_vacuum', { simple: true }) !== 2) return 0;
  const free = sqlite.pragma('freelist_count', { simple: true }) as number;
  const total = sqlite.pragma('page_count', { simple: true }) as number;
  if (free === 0 || free < total * minShare) return 0;
  sqlite.pragma(`incremental_vacuum(${free})`);
  return free - (sqlite.pragma('freelist_count', { simple: true }) as number);
}

/** Marks 1% of the window apart: a meter value is pruned at most 1% of meterValueDays late. */
const markSpacingMs = (config: Config) => config.retention.meterValueDays * 864_000;

/**
 * syncRunning: whether an MQTT sync is running now (config.mqtt.enabled can change before a restart applies it).
 * now: the server's clock (tests move it).
 */
export function pruneOnce(domain: Domain, config: Config, syncRunning = config.mqtt.enabled, now = Date.now()): PruneResult {
  const r = config.retention;
  const daysAgo = (days: number) => new Date(now - days * 86_400_000).toISOString();
  const result = { log: 0, meterValues: 0, outbox: 0, reclaimedPages: 0 };
  domain.uow.commit(); // prune outside any open batch so it is its own short transaction
  domain.sqlite.transaction(() => {
    if (r.logDays > 0 || r.logMaxRows > 0) result.log = domain.messageLog.prune(r.logDays > 0 ? daysAgo(r.logDays) : '', r.logMaxRows);
    if (r.meterValueDays > 0) result.meterValues = domain.meterValues.prune(daysAgo(r.meterValueDays), new Date(now).toISOString(), markSpacingMs(config));
    if (r.outboxSentDays > 0) result.outbox = domain.outbox.prune(daysAgo(r.outboxSentDays));
    // Without MQTT nothing ever sends the outbox; keep a window (so enabling sync later backfills) but not for ever.
    if (!syncRunning && r.outboxUnsentDaysWithoutMqtt > 0) result.outbox += domain.outbox.pruneUnsent(daysAgo(r.outboxUnsentDaysWithoutMqtt));
  })();
  if (result.log + result.meterValues + result.outbox > 0) result.reclaimedPages = reclaimFreePages(domain.sqlite);
  return result;
}

export function startRetention(domain: Domain, config: Config, logger: Logger,
  syncRunning: () => boolean = () => config.mqtt.enabled): { stop(): void } {
  // A first mark now: meter values written from here on are pruned by when they arrived.
  void domain.uow.run(() => domain.meterValues.receivedMarks.record(new Date().toISOString(), markSpacingMs(config)))
    .catch((err: unknown) => logger.error({ err }, 'retention could not mark the meter values'));
  const run = () => {
    try {
      const removed = pruneOnce(domain, config, syncRunning());
      if (removed.log + removed.meterValues + removed.outbox > 0) logger.info({ removed }, 'retention pruned old rows');
    } catch (err) {
      logger.error({ err }, 'retention run failed');
    }
  };
  const first = setTimeout(run, 10_000);
  const timer = setInterval(run, config.retention.intervalSec * 1000);
  first.unref();
  timer.unref();
  return { stop: () => { clearTimeout(first); clearInterval(timer); } };
}
