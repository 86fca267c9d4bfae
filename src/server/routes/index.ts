// Every HTTP route, registered in one place so the API surface is readable at a glance.
import type { Router } from '../http.js';
import type { Site } from '../../site.js';
import { registerHealthRoutes } from './health.js';

export type RouteDeps = Omit<Site, 'server' | 'stop'>;

export function registerRoutes(router: Router, deps: RouteDeps): void {
  registerHealthRoutes(router, deps);
}
