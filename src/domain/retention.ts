// Keeps the SD card from filling: old log rows, meter values, sent outbox rows, status history, security
// events and data transfers are deleted in the background, in slices so chargers keep being answered.
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { deleteInBatches, yieldToEventLoop, type BatchOptions, type Deletion } from '../db/batchDelete.js';
import { olderThanById } from '../db/timeCutoff.js';
import type { Sqlite } from '../db/index.js';
import type { UnitOfWork } from '../db/unitOfWork.js';
import type { MessageLog } from './messageLog.js';
import type { MeterValues } from './meterValues.js';
import type { Outbox } from './outbox.js';

/** What retention works on: the tables it prunes and the connection it prunes them with. */
interface RetentionScope { sqlite: Sqlite; uow: UnitOfWork; messageLog: MessageLog; meterValues: MeterValues; outbox: Outbox }

export interface PruneResult {
  log: number; meterValues: number; outbox: number; statusHistory: number; securityEvents: number; dataTransfers: number;
  /** Charger messages answered but kept for review (compat_review), on the status-history window. */
  compatReviews: number;
  reclaimedPages: number;
}
type Kind = Exclude<keyof PruneResult, 'reclaimedPages'>;

export interface PruneOptions extends BatchOptions {
  /** Whether an MQTT sync is running now (config.mqtt.enabled can change before a restart applies it). */
  syncRunning?: boolean;
  /** The server's clock in ms (tests move it). */
  now?: number;
}

/** Marks 1% of the window apart: a meter value is pruned at most 1% of meterValueDays late. */
const markSpacingMs = (config: Config) => Math.max(3_600_000, config.retention.meterValueDays * 864_000);

const removedRows = (r: PruneResult) => r.log + r.meterValues + r.outbox + r.statusHistory + r.securityEvents + r.dataTransfers + r.compatReviews;

/**
 * Gives free pages back to the file system, but only when they are a large share of the file (after a
 * big prune or a retention change): a few free pages are reused by tomorrow's rows, and moving them
 * back and forth would only wear the SD card. Needs auto_vacuum=INCREMENTAL (set for new databases).
 * Works in slices of chunkPages, outside any open batch, yielding between them.
 */
async function reclaimFreePages(domain: RetentionScope, minShare = 0.25, chunkPages = 2000, shouldStop = () => false): Promise<number> {
  const sqlite = domain.sqlite;
  if (sqlite.pragma('auto_vacuum', { simple: true }) !== 2) return 0;
  const free = sqlite.pragma('freelist_count', { simple: true }) as number;
  const total = sqlite.pragma('page_count', { simple: true }) as number;
  if (free === 0 || free < total * minShare) return 0;
  let reclaimed = 0;
  for (;;) {
    if (shouldStop() || !sqlite.open) break;
    domain.uow.commit(); // its own short transaction, never inside a batch of charger writes
    const before = sqlite.pragma('freelist_count', { simple: true }) as number;
    if (before === 0) break;
    sqlite.pragma(`incremental_vacuum(${chunkPages})`);
    const done = before - (sqlite.pragma('freelist_count', { simple: true }) as number);
    reclaimed += done;
    if (done === 0) break;
    await yieldToEventLoop();
  }
  return reclaimed;
}

/** Which rows go, by kind. Cheap (binary searches on the rowid); records a meter-value mark, so run it in the unit of work. */
function plan(domain: RetentionScope, config: Config, now: number, syncRunning: boolean): Record<Kind, Deletion[]> {
  const r = config.retention;
  const daysAgo = (days: number) => new Date(now - days * 86_400_000).toISOString();
  const byReceivedAt = (days: number, table: string) => (days > 0 ? [olderThanById(domain.sqlite, table, 'received_at', daysAgo(days))] : []);
  const outbox: Deletion[] = r.outboxSentDays > 0 ? [domain.outbox.sentBefore(daysAgo(r.outboxSentDays))] : [];
  // Without MQTT nothing ever sends the outbox; keep a window (so enabling sync later backfills) but not for ever.
  if (!syncRunning && r.outboxUnsentDaysWithoutMqtt > 0) outbox.push(domain.outbox.unsentBefore(daysAgo(r.outboxUnsentDaysWithoutMqtt)));
  return {
    log: domain.messageLog.prunePlan(r.logDays > 0 ? daysAgo(r.logDays) : null, r.logMaxRows),
    meterValues: domain.meterValues.prunePlan(r.meterValueDays > 0 ? daysAgo(r.meterValueDays) : null,
      new Date(now).toISOString(), markSpacingMs(config), r.meterValueMaxRows),
    outbox,
    statusHistory: byReceivedAt(r.statusHistoryDays, 'status_history'),
    securityEvents: byReceivedAt(r.securityEventDays, 'security_event'),
    dataTransfers: byReceivedAt(r.dataTransferDays, 'data_transfer'),
    compatReviews: byReceivedAt(r.statusHistoryDays, 'compat_review'),
  };
}

async function pruneOnce(domain: RetentionScope, config: Config, opts: PruneOptions = {}): Promise<PruneResult> {
  const syncRunning = opts.syncRunning ?? config.mqtt.enabled;
  const todo = await domain.uow.run(() => plan(domain, config, opts.now ?? Date.now(), syncRunning));
  const result: PruneResult = { log: 0, meterValues: 0, outbox: 0, statusHistory: 0, securityEvents: 0, dataTransfers: 0, compatReviews: 0, reclaimedPages: 0 };
  for (const kind of Object.keys(todo) as Kind[]) {
    for (const deletion of todo[kind]) result[kind] += await deleteInBatches(domain.uow, domain.sqlite, deletion, opts);
  }
  // The log's and the meter values' span rows (logSpans.ts, meterValueSpans.ts) are not counted as rows removed: a few per charger per 65,536 frames.
  if (result.log > 0 && domain.sqlite.open) await domain.uow.run(() => domain.messageLog.pruneSpans());
  if (result.meterValues > 0 && domain.sqlite.open) await domain.uow.run(() => domain.meterValues.spans.pruneBelowOldest());
  if (removedRows(result) > 0) result.reclaimedPages = await reclaimFreePages(domain, 0.25, 2000, opts.shouldStop);
  return result;
}

function startRetention(domain: RetentionScope, config: Config, logger: Logger,
  syncRunning: () => boolean = () => config.mqtt.enabled): { stop(): void } {
  let stopped = false;
  let running = false;
  // A first mark now: meter values written from here on are pruned by when they arrived.
  void domain.uow.run(() => domain.meterValues.receivedMarks.record(new Date().toISOString(), markSpacingMs(config)))
    .catch((err: unknown) => logger.error({ err }, 'retention could not mark the meter values'));
  const run = async () => {
    if (running || stopped) return; // a big prune may outlast the interval
    running = true;
    try {
      const removed = await pruneOnce(domain, config, { syncRunning: syncRunning(), shouldStop: () => stopped });
      if (removedRows(removed) > 0) logger.info({ removed }, 'retention pruned old rows');
    } catch (err) {
      if (!stopped) logger.error({ err }, 'retention run failed');
    } finally {
      running = false;
    }
  };
  const first = setTimeout(run, 10_000);
  const timer = setInterval(run, config.retention.intervalSec * 1000);
  first.unref();
  timer.unref();
  return { stop: () => { stopped = true; clearTimeout(first); clearInterval(timer); } };
}

/** The domain's retention: pruneOnce for one pass now, start for the background timer. */
export class Retention {
  constructor(private readonly scope: RetentionScope) {}

  pruneOnce(config: Config, opts: PruneOptions = {}): Promise<PruneResult> { return pruneOnce(this.scope, config, opts); }

  start(config: Config, logger: Logger, syncRunning: () => boolean = () => config.mqtt.enabled): { stop(): void } {
    return startRetention(this.scope, config, logger, syncRunning);
  }
}
