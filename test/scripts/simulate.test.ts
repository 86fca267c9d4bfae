import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startTestSite } from '../support/testSite.js';
import { SimulatedCharger } from '../../src/sim/simulatedCharger.js';

function run(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/simulate.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('close', (code) => resolve({ code, out }));
  });
}

test('the simulator CLI runs a full successful session against the CSMS', async () => {
  await using site = await startTestSite();
  await site.addCharger('SIM-1', 'sim-secret');
  site.addIdTag('SIM-TAG');
  const { code, out } = await run(['--url', site.wsUrl, '--id', 'SIM-1', '--password', 'sim-secret', '--id-tag', 'SIM-TAG',
    '--session-sec', '0.5', '--meter-interval', '0.1', '--power', '11000']);
  assert.equal(code, 0, out);
  site.domain.uow.commit();
  const { id } = site.database.sqlite.prepare('SELECT max(id) AS id FROM "transaction"').get() as { id: number };
  const tx = site.domain.transactions.byId(id)!;
  assert.equal(tx.status, 'COMPLETED');
  assert.equal(tx.stopReason, 'EVDisconnected');
  assert.ok(tx.energyWh! > 0, 'energy was metered');
  assert.ok(site.count('meter_value', `transaction_id = ${tx.id}`) >= 2);
});

test('the simulator CLI exits 1 when its idTag is refused', async () => {
  await using site = await startTestSite();
  await site.addCharger('SIM-2');
  const { code, out } = await run(['--url', site.wsUrl, '--id', 'SIM-2', '--id-tag', 'UNKNOWN', '--session-sec', '0.1']);
  assert.equal(code, 1);
  assert.match(out, /refused/);
});

test('a simulated charger follows an availability change from the CSMS', async () => {
  await using site = await startTestSite();
  await site.addCharger('SIM-3');
  const sim = new SimulatedCharger({ baseUrl: site.wsUrl, id: 'SIM-3', connectors: 2 });
  await sim.start();
  try {
    const res = await site.hub.call('SIM-3', 'ChangeAvailability', { connectorId: 0, type: 'Inoperative' });
    assert.equal(res.status, 'Accepted');
    const charger = site.domain.chargers.byChargePointId('SIM-3')!;
    for (let i = 0; i < 100 && site.domain.chargers.connectorsOf(charger.id).some((c) => c.status !== 'Unavailable'); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.deepEqual(site.domain.chargers.connectorsOf(charger.id).map((c) => c.status), ['Unavailable', 'Unavailable', 'Unavailable']);
  } finally {
    await sim.stop();
  }
});
