// Every HTTP route, registered in one place so the API surface is readable at a glance.
import type { Router } from '../http.js';
import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';
import type { Domain } from '../../domain/index.js';
import type { ChargerHub } from '../../ocpp/hub.js';
import type { FunctionalBlocks } from '../../ocpp/functionalBlocks.js';
import type { OcppValidator } from '../../ocpp/validate.js';
import type { Metrics } from '../metrics.js';
import type { Sync } from '../../sync/index.js';
import type { StorageMonitor } from '../../ops/storage.js';
import { registerHealthRoutes } from './health.js';
import { registerFileRoutes } from './files.js';
import { registerLocalListRoutes } from './localList.js';
import { registerReservationRoutes } from './reservations.js';
import { registerSecurityEventRoutes } from './securityEvents.js';
import { registerCertificateRoutes } from './certificates.js';
import { registerChargerSecurityRoutes } from './chargerSecurity.js';
import { registerSmartChargingRoutes } from './smartCharging.js';
import { registerTariffRoutes } from './tariffs.js';
import { registerWalletRoutes } from './wallets.js';
import { registerAuthRoutes } from './auth.js';
import { registerAdminUserRoutes } from './adminUsers.js';
import { registerStationRoutes } from './stations.js';
import { registerChargerRoutes } from './chargers.js';
import { registerChargerCommandRoutes } from './chargerCommands.js';
import { registerTransactionRoutes } from './transactions.js';
import { registerTransactionCsvRoutes } from './transactionsCsv.js';
import { registerUserRoutes } from './users.js';
import { registerIdTagRoutes } from './idTags.js';
import { registerLegacyRoutes } from './legacy.js';
import { registerSetupRoutes } from './setup.js';
import { registerSiteAdminRoutes } from './siteAdmin.js';
import { registerStatisticsRoutes } from './statistics.js';

/** All a route may use (no database handle: data goes through domain services). Each register function takes
 *  only the part it uses, as Pick<RouteDeps, …>, so its signature says what it depends on. */
export interface RouteDeps {
  config: Config;
  logger: Logger;
  domain: Domain;
  hub: ChargerHub;
  blocks: FunctionalBlocks;
  validator: OcppValidator;
  metrics: Metrics;
  sync: Pick<Sync, 'status'>;
  storage: Pick<StorageMonitor, 'status'>;
  startedAt: Date;
}

export function registerRoutes(router: Router, deps: RouteDeps): void {
  registerAuthRoutes(router, deps); // first: installs router.authenticate
  registerHealthRoutes(router, deps);
  registerLocalListRoutes(router, deps);
  registerReservationRoutes(router, deps);
  registerFileRoutes(router, deps);
  registerSmartChargingRoutes(router, deps);
  registerSecurityEventRoutes(router, deps);
  registerCertificateRoutes(router, deps);
  registerChargerSecurityRoutes(router, deps);
  registerTariffRoutes(router, deps);
  registerWalletRoutes(router, deps);
  registerAdminUserRoutes(router, deps);
  registerStationRoutes(router, deps);
  registerChargerRoutes(router, deps);
  registerChargerCommandRoutes(router, deps);
  registerTransactionRoutes(router, deps);
  registerTransactionCsvRoutes(router, deps);
  registerStatisticsRoutes(router, deps);
  registerUserRoutes(router, deps);
  registerIdTagRoutes(router, deps);
  registerLegacyRoutes(router, deps);
  registerSetupRoutes(router, deps);
  registerSiteAdminRoutes(router, deps);
}
