// A running ocpp-edge: database, domain, charger hub, HTTP/WebSocket server and background jobs.
// main.ts starts one for production; tests start one per test on a temp directory and a free port.
import path from 'node:path';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import { openDatabase, type OpenedDb } from './db/index.js';
import { startCheckpointer, type Checkpointer } from './db/checkpointer.js';
import { createDomain, type Domain } from './domain/index.js';
import { ChargerHub } from './ocpp/hub.js';
import { chargerAdmission } from './ocpp/admission.js';
import { OcppValidator } from './ocpp/validate.js';
import { CompatibilityLayer } from './ocpp/compat/index.js';
import { handlers } from './ocpp/handlers/index.js';
import { Router } from './server/http.js';
import { startHttpServer, type HttpServer } from './server/app.js';
import { Metrics } from './server/metrics.js';
import { registerRoutes } from './server/routes/index.js';
import { startFunctionalBlocks, type FunctionalBlocks } from './ocpp/functionalBlocks.js';
import { LiveEvents } from './server/events.js';
import { createStaticServer } from './server/static.js';
import { startSync, type Sync } from './sync/index.js';
import { startGridMeter } from './sync/gridMeter.js';
import { applySiteSettings } from './domain/siteSettings.js';
import { announceFirstRun } from './server/firstRun.js';
import { StorageMonitor } from './ops/storage.js';

export interface Site {
  config: Config;
  logger: Logger;
  database: OpenedDb;
  domain: Domain;
  hub: ChargerHub;
  /** Local lists, reservations, firmware/diagnostics, smart charging, load balancing. */
  blocks: FunctionalBlocks;
  validator: OcppValidator;
  metrics: Metrics;
  /** Upstream MQTT sync; status() works (state 'disabled') when mqtt.enabled is false. */
  sync: Sync;
  /** Free space and disk write failures of the data directory (health shows them). */
  storage: StorageMonitor;
  server: HttpServer;
  startedAt: Date;
  /** Graceful: stop accepting, close charger sockets with 1001, commit, close the database. */
  stop(): Promise<void>;
}

export async function startSite(config: Config, logger: Logger): Promise<Site> {
  const database = openDatabase(path.join(config.dataDir, 'ocpp-edge.db'));
  const checkpointer = startCheckpointer(database.sqlite, database.file, logger);
  // What has been started so far, undone in reverse: a start that fails half-way (a bad TLS file,
  // a port in use) leaves no timer, thread, pending commit or database handle behind.
  const undo: Array<() => unknown> = [];
  try {
    return await startOn(database, checkpointer, config, logger, undo);
  } catch (err) {
    for (const step of undo.reverse()) {
      try { await step(); } catch (cleanupErr) { logger.warn({ err: cleanupErr }, 'cleanup after a failed start failed'); }
    }
    await checkpointer.stop();
    database.sqlite.close();
    checkpointer.closeWalIndex();
    throw err;
  }
}

async function startOn(database: OpenedDb, checkpointer: Checkpointer, config: Config, logger: Logger,
  undo: Array<() => unknown>): Promise<Site> {
  const domain = createDomain(database.db, database.sqlite, config, (err) => logger.error({ err }, 'database commit failed'));
  undo.push(() => domain.uow.commit()); // runs last: what the start wrote is kept, not left to a timer
  domain.events.on('transaction.unpaid', (e) => logger.warn(e, 'a completed session has a cost that was not charged to a wallet'));
  const storage = new StorageMonitor(config.dataDir, logger, {
    commits: () => domain.uow.commits, minFreeBytes: config.storage.minFreeMiB * 1024 * 1024,
  }).start();
  undo.push(() => storage.stop());
  domain.uow.onSqliteError = (err) => storage.recordWriteError(err);
  domain.uow.windowMs = config.storage.commitWindowMs;
  applySiteSettings(config, domain.settings.site()); // what the first-run setup stored wins over the file
  const validator = new OcppValidator();
  const metrics = new Metrics();
  const hub = new ChargerHub({
    handlers, validator, domain, uow: domain.uow, logger, metrics, compat: new CompatibilityLayer(validator),
    callTimeoutMs: config.ocpp.callTimeoutSec * 1000, maxFrameBytes: config.ocpp.maxFrameBytes,
    maxTransactionFrameBytes: config.ocpp.maxTransactionFrameBytes,
    heartbeatIntervalSec: () => config.ocpp.heartbeatIntervalSec,
  });
  const startedAt = new Date();
  const router = new Router();
  const blocks = startFunctionalBlocks(domain, hub, config, logger);
  undo.push(() => blocks.stop());
  const sync = await startSync(domain, config, logger);
  undo.push(() => sync.stop());
  const gridMeter = await startGridMeter(domain.gridMeter, config, logger);
  undo.push(() => gridMeter.stop());
  const partial = { config, logger, database, domain, hub, blocks, validator, metrics, sync, storage, startedAt };
  registerRoutes(router, partial);
  router.onError = (err, req) => logger.error({ err, method: req.method, path: req.path }, 'API request failed');
  const liveEvents = new LiveEvents({ events: domain.events, router, logger });
  undo.push(() => liveEvents.close());
  const server = await startHttpServer({
    config, logger, router,
    serveStatic: createStaticServer({ logger }),
    registerStreams: (app, secure) => liveEvents.register(app, secure),
    clientCaPem: async () => (await blocks.certificates.ca.ensure()).toString(),
    ocpp: { admit: chargerAdmission(domain, config.ocpp, logger, metrics), hub, maxFrameBytes: config.ocpp.maxFrameBytes, maxTransactionFrameBytes: config.ocpp.maxTransactionFrameBytes, pingIntervalSec: config.ocpp.pingIntervalSec },
  });
  undo.push(() => server.close());
  // Unsent events are kept while a sync runs, even after an admin turned MQTT off for the next start.
  const retention = domain.retention.start(config, logger, () => sync.status().enabled);
  undo.push(() => retention.stop());
  logger.info({ port: server.port, tlsPort: server.tlsPort, dataDir: config.dataDir }, 'ocpp-edge listening');
  if (!config.demo) await announceFirstRun(domain, config, logger, server);

  let stopped = false;
  return {
    ...partial, server,
    async stop() {
      if (stopped) return;
      stopped = true;
      server.close();
      liveEvents.close();
      retention.stop();
      storage.stop();
      blocks.stop();
      hub.closeAll(1001, 'server shutting down');
      await new Promise((r) => setTimeout(r, 50)); // let in-flight handlers reach the unit of work
      void domain.messageLog.flush(); // frames kept in memory (messageLog.ts) join this commit
      domain.uow.commit();
      await sync.stop(); // sends what the last commits added, then says goodbye to the broker
      await gridMeter.stop();
      // Whatever is still open (idle keep-alive HTTP, a charger that never answered our close) is ended
      // now, while the database can still take what its close handler writes.
      server.terminate();
      void domain.chargers.lastSeen.flush(); // the last-seen times kept in memory go into the last commit
      void domain.transactions.live.flush(); // so do the open sessions' live figures (liveMeters.ts)
      void domain.meterValues.spans.flush(); // and the sessions' reading spans (meterValueSpans.ts)
      void domain.messageLog.flush(); // and the frames logged since (close handlers)
      domain.uow.commit();
      await checkpointer.stop();
      database.sqlite.close(); // the last connection to close checkpoints the rest of the WAL
      domain.uow.closeWal();
      checkpointer.closeWalIndex(); // not before: closing it earlier would drop SQLite's locks (walIndex.ts)
    },
  };
}
