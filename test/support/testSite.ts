// Starts a real ocpp-edge on a temp directory and a free port, for end-to-end tests.
import fs from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { startSite, type Site } from '../../src/site.js';
import { ChargePoint, type ChargePointOptions } from '../../src/sim/chargePoint.js';

export interface TestSite extends Site {
  dir: string;
  baseUrl: string;
  wsUrl: string;
  /** Registers (if needed) and connects a charger with the real WebSocket client. */
  /** compatMode: the charger's compatibility mode when registered here (default tolerant, as in production). */
  connectCharger(id: string, opts?: Partial<ChargePointOptions> & { register?: boolean; compatMode?: 'tolerant' | 'strict' }): Promise<ChargePoint>;
  addCharger(id: string, password?: string, compatMode?: 'tolerant' | 'strict'): Promise<number>;
  addIdTag(idTag: string, fields?: { status?: string; expiryDate?: string; parentIdTag?: string; userId?: number }): void;
  count(table: string, where?: string): number;
  /** An API token with the role, stored the way the API expects (sha256 hex in api_token). */
  createToken(role?: 'admin' | 'viewer'): string;
  /** JSON request to the API with a Bearer token (admin by default); returns status and parsed body. */
  api(path: string, init?: { method?: string; body?: unknown; token?: string | null; headers?: Record<string, string> }): Promise<{ status: number; body: any; headers: Headers }>;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function startTestSite(overrides: Record<string, unknown> = {}, dir?: string): Promise<TestSite> {
  dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-test-'));
  // Most tests are about something other than charger passwords or wallets, so they may connect without
  // a password and charge with tags that have no wallet; the tests of the production defaults (passwords
  // and wallets required) pass undefined for the key.
  const config = loadConfig({ env: {}, overrides: {
    // No commit window unless a test asks for one (commitWindow tests): most tests step through messages one
    // at a time, and each routine one would wait out the window; a server process keeps the production default.
    dataDir: dir, 'http.host': '127.0.0.1', 'http.port': 0, 'ocpp.requirePassword': false, 'ocpp.allowTagsWithoutWallet': true,
    'storage.commitWindowMs': 0, ...overrides,
  } });
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const site = await startSite(config, logger);
  const baseUrl = `http://127.0.0.1:${site.server.port}`;
  const wsUrl = `ws://127.0.0.1:${site.server.port}/ocpp`;
  const chargers: ChargePoint[] = [];
  let adminToken: string | undefined;
  const test: TestSite = Object.assign(site, {
    dir, baseUrl, wsUrl,
    async addCharger(id: string, password?: string, compatMode?: 'tolerant' | 'strict') {
      const existing = site.domain.chargers.byChargePointId(id);
      if (existing) return existing.id;
      return (await site.domain.chargers.create({ chargePointId: id, password, compatMode })).id;
    },
    async connectCharger(id: string, opts: Partial<ChargePointOptions> & { register?: boolean; compatMode?: 'tolerant' | 'strict' } = {}) {
      if (opts.register !== false) await test.addCharger(id, opts.password, opts.compatMode);
      const cp = await ChargePoint.connect({ baseUrl: wsUrl, id, ...opts });
      chargers.push(cp);
      return cp;
    },
    addIdTag(idTag: string, fields: { status?: string; expiryDate?: string; parentIdTag?: string; userId?: number } = {}) {
      site.domain.uow.commit();
      site.database.sqlite.prepare('INSERT INTO id_tag (id_tag, status, expiry_date, parent_id_tag, user_id, kind, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(idTag, fields.status ?? 'Accepted', fields.expiryDate ?? null, fields.parentIdTag ?? null, fields.userId ?? null, 'RFID', new Date().toISOString());
    },
    count(table: string, where = '1=1') {
      site.domain.uow.commit();
      return (site.database.sqlite.prepare(`SELECT count(*) AS n FROM "${table}" WHERE ${where}`).get() as { n: number }).n;
    },
    createToken(role: 'admin' | 'viewer' = 'admin') {
      const token = `test-${role}-${randomBytes(16).toString('hex')}`;
      site.domain.uow.commit();
      site.database.sqlite.prepare('INSERT INTO api_token (name, token_hash, role, created_at) VALUES (?, ?, ?, ?)')
        .run(`test ${role}`, createHash('sha256').update(token).digest('hex'), role, new Date().toISOString());
      return token;
    },
    async api(apiPath: string, init: { method?: string; body?: unknown; token?: string | null; headers?: Record<string, string> } = {}) {
      const token = init.token === undefined ? (adminToken ??= test.createToken('admin')) : init.token;
      const headers: Record<string, string> = { ...(init.headers ?? {}) };
      if (token) headers.authorization = `Bearer ${token}`;
      if (init.body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(baseUrl + apiPath, { method: init.method ?? (init.body !== undefined ? 'POST' : 'GET'), headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
      const text = await res.text();
      let body: any = text;
      try { body = text ? JSON.parse(text) : undefined; } catch { /* not JSON */ }
      return { status: res.status, body, headers: res.headers };
    },
    async [Symbol.asyncDispose]() {
      await Promise.all(chargers.map((cp) => cp.close().catch(() => {})));
      await site.stop();
      fs.rmSync(dir!, { recursive: true, force: true });
    },
  });
  return test;
}

export const isoNow = () => new Date().toISOString();
