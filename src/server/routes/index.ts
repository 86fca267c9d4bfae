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

export type RouteDeps = Omit<Site, 'server' | 'stop'>;

export function registerRoutes(router: Router, deps: RouteDeps): void {
  registerHealthRoutes(router, deps);
  registerLocalListRoutes(router, deps);
  registerReservationRoutes(router, deps);
  registerFileRoutes(router, deps);
  registerSmartChargingRoutes(router, deps);
  registerSecurityEventRoutes(router, deps);
  registerTariffRoutes(router, deps);
  registerWalletRoutes(router, deps);
}
