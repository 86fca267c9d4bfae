// Every HTTP route, registered in one place so the API surface is readable at a glance.
import type { Router } from '../http.js';
import type { Site } from '../../site.js';
import { registerHealthRoutes } from './health.js';
import { registerFileRoutes } from './files.js';
import { registerLocalListRoutes } from './localList.js';
import { registerReservationRoutes } from './reservations.js';
import { registerSecurityEventRoutes } from './securityEvents.js';
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

export type RouteDeps = Omit<Site, 'server' | 'stop'>;

export function registerRoutes(router: Router, deps: RouteDeps): void {
  registerAuthRoutes(router, deps); // first: installs router.authenticate
  registerHealthRoutes(router, deps);
  registerLocalListRoutes(router, deps);
  registerReservationRoutes(router, deps);
  registerFileRoutes(router, deps);
  registerSmartChargingRoutes(router, deps);
  registerSecurityEventRoutes(router, deps);
  registerTariffRoutes(router, deps);
  registerWalletRoutes(router, deps);
  registerAdminUserRoutes(router, deps);
  registerStationRoutes(router, deps);
  registerChargerRoutes(router, deps);
  registerChargerCommandRoutes(router, deps);
  registerTransactionRoutes(router, deps);
  registerTransactionCsvRoutes(router, deps);
  registerUserRoutes(router, deps);
  registerIdTagRoutes(router, deps);
  registerLegacyRoutes(router, deps);
  registerSetupRoutes(router, deps);
  registerSiteAdminRoutes(router, deps);
}
