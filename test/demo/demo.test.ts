// Demo mode as a user starts it (`ocpp-edge --demo`, a real process): sessions complete with meter
// values and costs, the outbox fills, the page is told it is a demo, and nothing lands in the real dataDir.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnServer } from '../support/serverProcess.js';
import { waitFor } from '../support/waitFor.js';
import { loadConfig } from '../../src/config.js';
import { seedDemoDatabase } from '../../src/demo/index.js';
import { createDemoDataDir } from '../../src/demo/throwaway.js';

test('ocpp-edge --demo runs simulated sessions to completion on a throwaway database', { timeout: 120_000 }, async (t) => {
  const realDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-real-'));
  t.after(() => fs.rmSync(realDir, { recursive: true, force: true }));
  await using server = await spawnServer({
    dataDir: realDir, args: ['--import', 'tsx', 'src/cli/index.ts', '--demo'],
    env: { OCPP_EDGE_DEMO_SESSION_SEC: '0.5', OCPP_EDGE_MQTT_ENABLED: 'true' },
  });
  const banner = await server.waitForLog(/log in as "demo" with password/);
  const password = /with password (\S+)/.exec(banner)![1]!;
  const demoDir = /throwaway data in (\S+)/.exec(server.output.join('\n'))![1]!;
  assert.notEqual(demoDir, realDir);
  const base = `http://127.0.0.1:${server.port}`;
  const get = async (p: string, cookie?: string) => (await fetch(base + p, { headers: cookie ? { cookie } : {} })).json() as Promise<any>;

  const site = await get('/api/site');
  assert.equal(site.demo, true, 'the page learns it is a demo (DEMO banner)');
  assert.equal(site.setupRequired, false, 'the demo admin exists: no setup link');
  assert.equal((await get('/api/health')).demo, true);

  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'demo', password }) });
  assert.equal(login.status, 200, 'the printed password logs in');
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;

  const chargers = (await get('/api/admin/chargers', cookie)).chargers as Array<{ chargePointId: string }>;
  assert.deepEqual(chargers.map((c) => c.chargePointId), ['DEMO-CP-1', 'DEMO-CP-2', 'DEMO-CP-3']);
  let completed: any[] = [];
  // Polled every 10 ms by waitFor: pace it, the demo needs a few seconds anyway.
  await waitFor('four completed demo sessions', async () => {
    await new Promise((r) => setTimeout(r, 200));
    completed = (await get('/api/admin/transactions?status=COMPLETED&limit=50', cookie)).transactions;
    return completed.length >= 4;
  }, 60_000);
  const tx = completed[0];
  assert.ok(tx.energyWh > 0, 'energy was metered');
  assert.ok(tx.costAmount > 0 && tx.currency === 'EUR', 'priced with the demo tariff');
  assert.ok((await get(`/api/admin/transactions/${tx.id}/meter-values`, cookie)).meterValues.length > 0, 'meter values were stored');
  assert.ok((await get('/api/health')).outbox.backlog > 0, 'the MQTT outbox fills (MQTT itself is off in a demo)');
  assert.equal((await get('/api/health')).mqtt.enabled, false, 'a demo never publishes to a real broker, even when the config enables MQTT');

  const exit = await server.stop('SIGTERM');
  assert.equal(exit.code, 0);
  assert.ok(!fs.existsSync(demoDir), 'the throwaway database is deleted on exit');
  assert.deepEqual(fs.readdirSync(realDir), [], 'the real dataDir is never touched');
});

test('demo data is refused for any directory the demo did not make itself, wherever the repo lives', async () => {
  // ./data under a checkout in /tmp is inside the temp dir too: the check must not depend on that.
  const config = loadConfig({ env: {}, overrides: { demo: true, dataDir: path.resolve('data') } });
  await assert.rejects(seedDemoDatabase(config), /only goes into a temporary directory the demo made/);
  const plainTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-x-'));
  await assert.rejects(seedDemoDatabase(loadConfig({ env: {}, overrides: { demo: true, dataDir: plainTemp } })), /only goes into a temporary directory the demo made/);
  const demoDir = createDemoDataDir();
  const notDemo = loadConfig({ env: {}, overrides: { dataDir: demoDir } });
  await assert.rejects(seedDemoDatabase(notDemo), /only goes into a temporary directory the demo made/, 'not in demo mode');
  const seed = await seedDemoDatabase(loadConfig({ env: {}, overrides: { demo: true, dataDir: demoDir } }));
  assert.ok(seed && fs.existsSync(path.join(demoDir, 'ocpp-edge.db')), 'the demo\'s own directory is seeded');
  for (const dir of [plainTemp, demoDir]) fs.rmSync(dir, { recursive: true, force: true });
});
