// The access each functional-block route declares: reads for any logged-in user, changes for admins,
// and only the charger-facing file URLs (token in the path) public.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Router } from '../http.js';
import type { RouteDeps } from './index.js';
import { registerFileRoutes } from './files.js';
import { registerLocalListRoutes } from './localList.js';
import { registerReservationRoutes } from './reservations.js';
import { registerSecurityEventRoutes } from './securityEvents.js';
import { registerSmartChargingRoutes } from './smartCharging.js';

test('functional-block routes declare viewer for reads, admin for changes, public only for charger file URLs', () => {
  const router = new Router();
  const deps = { config: { files: { maxUploadMiB: 1 }, localAuthList: { autoSync: true } } } as unknown as RouteDeps;
  for (const register of [registerFileRoutes, registerLocalListRoutes, registerReservationRoutes, registerSecurityEventRoutes, registerSmartChargingRoutes]) {
    register(router, deps);
  }
  const expected: Array<[string, string, string]> = [
    ['GET', '/api/admin/local-lists', 'viewer'],
    ['GET', '/api/admin/chargers/CP/local-list', 'viewer'],
    ['POST', '/api/admin/chargers/CP/local-list', 'admin'],
    ['GET', '/api/admin/chargers/CP/local-list/version', 'admin'], // sends GetLocalListVersion to the charger
    ['GET', '/api/admin/reservations', 'viewer'],
    ['POST', '/api/admin/chargers/CP/reservations', 'admin'],
    ['DELETE', '/api/admin/reservations/1', 'admin'],
    ['POST', '/api/admin/files/firmware', 'admin'],
    ['GET', '/api/admin/files', 'viewer'],
    ['GET', '/api/admin/files/1/content', 'viewer'],
    ['DELETE', '/api/admin/files/1', 'admin'],
    ['GET', '/api/admin/chargers/CP/firmware', 'viewer'],
    ['POST', '/api/admin/chargers/CP/firmware', 'admin'],
    ['POST', '/api/admin/chargers/CP/diagnostics', 'admin'],
    ['GET', '/api/admin/chargers/CP/charging-profiles', 'viewer'],
    ['POST', '/api/admin/chargers/CP/charging-profiles', 'admin'],
    ['POST', '/api/admin/chargers/CP/charging-profiles/clear', 'admin'],
    ['GET', '/api/admin/chargers/CP/composite-schedule', 'viewer'],
    ['GET', '/api/admin/load-balancing', 'viewer'],
    ['GET', '/api/admin/security-events', 'viewer'],
    ['GET', '/files/firmware/tok/fw.bin', 'public'],
    ['PUT', '/files/diagnostics/CP/tok/x.log', 'public'],
    ['POST', '/files/diagnostics/CP/tok', 'public'],
  ];
  for (const [method, path, access] of expected) {
    const found = router.match(method, path);
    assert.ok(typeof found === 'object', `${method} ${path} is routed`);
    assert.equal(found.route.access, access, `${method} ${path}`);
  }
});
