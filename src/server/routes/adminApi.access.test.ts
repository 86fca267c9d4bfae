// The access every admin-API route declares: reads for any logged-in user, changes for admins, staff
// accounts and tokens for admins only, and nothing public but the login (and logout, which only clears).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Router } from '../http.js';
import type { RouteDeps } from './index.js';
import { registerAuthRoutes } from './auth.js';
import { registerAdminUserRoutes } from './adminUsers.js';
import { registerStationRoutes } from './stations.js';
import { registerChargerRoutes } from './chargers.js';
import { registerChargerCommandRoutes } from './chargerCommands.js';
import { registerTransactionRoutes } from './transactions.js';
import { registerUserRoutes } from './users.js';
import { registerIdTagRoutes } from './idTags.js';
import { registerWalletRoutes } from './wallets.js';
import { registerLegacyRoutes } from './legacy.js';

test('admin API routes declare viewer for reads, admin for changes, public only for login/logout', () => {
  const router = new Router();
  const deps = {
    config: { auth: { maxFailedLogins: 5, lockoutSec: 60, sessionHours: 1 } },
    logger: { warn() {}, info() {} },
    domain: { db: {}, adminUsers: { count: () => 1 } },
  } as unknown as RouteDeps;
  for (const register of [registerAuthRoutes, registerAdminUserRoutes, registerStationRoutes, registerChargerRoutes, registerChargerCommandRoutes,
    registerTransactionRoutes, registerUserRoutes, registerIdTagRoutes, registerWalletRoutes, registerLegacyRoutes]) register(router, deps);
  const expected: Array<[string, string, string]> = [
    ['POST', '/api/auth/login', 'public'], ['POST', '/api/auth/logout', 'public'], ['GET', '/api/auth/me', 'viewer'], ['PUT', '/api/auth/password', 'viewer'],
    ['GET', '/api/admin/admin-users', 'admin'], ['POST', '/api/admin/admin-users', 'admin'], ['PUT', '/api/admin/admin-users/1', 'admin'], ['DELETE', '/api/admin/admin-users/1', 'admin'],
    ['GET', '/api/admin/tokens', 'admin'], ['POST', '/api/admin/tokens', 'admin'], ['DELETE', '/api/admin/tokens/1', 'admin'],
    ['GET', '/api/admin/stations', 'viewer'], ['POST', '/api/admin/stations', 'admin'], ['GET', '/api/admin/stations/1', 'viewer'], ['PUT', '/api/admin/stations/1', 'admin'], ['DELETE', '/api/admin/stations/1', 'admin'],
    ['GET', '/api/admin/chargers', 'viewer'], ['POST', '/api/admin/chargers', 'admin'], ['GET', '/api/admin/chargers/CP', 'viewer'], ['PUT', '/api/admin/chargers/CP', 'admin'],
    ['DELETE', '/api/admin/chargers/CP', 'admin'], ['PUT', '/api/admin/chargers/CP/password', 'admin'],
    ...['remote-start', 'remote-stop', 'change-availability', 'reset', 'unlock', 'trigger', 'data-transfer', 'clear-cache']
      .map((c): [string, string, string] => ['POST', `/api/admin/chargers/CP/${c}`, 'admin']),
    ['GET', '/api/admin/chargers/CP/configuration', 'viewer'], ['PUT', '/api/admin/chargers/CP/configuration', 'admin'],
    ['GET', '/api/admin/transactions', 'viewer'], ['GET', '/api/admin/transactions/1', 'viewer'], ['GET', '/api/admin/transactions/1/meter-values', 'viewer'],
    ['GET', '/api/admin/users', 'viewer'], ['POST', '/api/admin/users', 'admin'], ['GET', '/api/admin/users/1', 'viewer'], ['PUT', '/api/admin/users/1', 'admin'], ['DELETE', '/api/admin/users/1', 'admin'],
    ['GET', '/api/admin/id-tags', 'viewer'], ['POST', '/api/admin/id-tags', 'admin'], ['GET', '/api/admin/id-tags/T', 'viewer'], ['PUT', '/api/admin/id-tags/T', 'admin'], ['DELETE', '/api/admin/id-tags/T', 'admin'],
    // Money moves are admin-only; a viewer reads the wallet and its ledger.
    ['GET', '/api/admin/users/1/wallet', 'viewer'], ['POST', '/api/admin/users/1/wallet', 'admin'],
    ['POST', '/api/admin/users/1/wallet/top-up', 'admin'], ['POST', '/api/admin/users/1/wallet/refund', 'admin'], ['POST', '/api/admin/users/1/wallet/adjustment', 'admin'],
    ['GET', '/api/charge-points', 'viewer'], ['POST', '/api/charge-points/CP/request', 'admin'], ['GET', '/api/logs', 'viewer'],
  ];
  for (const [method, path, access] of expected) {
    const found = router.match(method, path);
    assert.ok(typeof found === 'object', `${method} ${path} is routed`);
    assert.equal(found.route.access, access, `${method} ${path}`);
  }
});
