// Keeps the SD card from filling: old log rows, meter values and sent outbox rows are deleted in the background.
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Domain } from './index.js';

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

export function pruneOnce(domain: Domain, config: Config): { log: number; meterValues: number; outbox: number } {
  const r = config.retention;
  const result = { log: 0, meterValues: 0, outbox: 0 };
  domain.uow.commit(); // prune outside any open batch so it is its own short transaction
  domain.sqlite.transaction(() => {
    if (r.logDays > 0 || r.logMaxRows > 0) result.log = domain.messageLog.prune(r.logDays > 0 ? daysAgo(r.logDays) : '', r.logMaxRows);
    if (r.meterValueDays > 0) result.meterValues = domain.meterValues.prune(daysAgo(r.meterValueDays));
    if (r.outboxSentDays > 0) result.outbox = domain.outbox.prune(daysAgo(r.outboxSentDays));
  })();
  return result;
}

export function startRetention(domain: Domain, config: Config, logger: Logger): { stop(): void } {
  const run = () => {
    try {
      const removed = pruneOnce(domain, config);
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
