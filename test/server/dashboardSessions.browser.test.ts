// The dashboard lists each running session with its driver, duration, energy, cost so far and a Stop
// button that asks first (what operators expect from SteVe, evcc and CitrineOS; issue 16).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isoNow, startTestSite } from '../support/testSite.js';
import { SimulatedCharger } from '../../src/sim/simulatedCharger.js';
import { artifactPath, browserSkipReason, launchBrowser, PHONE, submitLogin, waitForText, watchProblems } from '../support/browser.js';

const skip = browserSkipReason();

test('dashboard: a running session shows driver, duration, energy and cost so far; Stop asks, then stops it', { skip, timeout: 120_000 }, async (t) => {
  await using site = await startTestSite({ 'ocpp.heartbeatIntervalSec': 600 });
  await site.domain.adminUsers.create({ username: 'staff', password: 'correct horse battery', role: 'admin' });
  site.database.sqlite.prepare("INSERT INTO tariff (name, currency, price_per_kwh, is_default, created_at) VALUES ('Standard', 'EUR', 40, 1, ?)").run(isoNow());
  const zoe = (await site.api('/api/admin/users', { body: { fullName: 'Zoe Park' } })).body.user;
  assert.equal((await site.api('/api/admin/id-tags', { body: { idTag: 'ZOE-1', userId: zoe.id } })).status, 201);
  await site.addCharger('CP-DASH');
  const sim = new SimulatedCharger({ baseUrl: site.wsUrl, id: 'CP-DASH', connectors: 1, meterIntervalSec: 3600 });
  t.after(() => sim.stop());
  await sim.start();

  await using browser = await launchBrowser();
  const page = await browser.newPage({ viewport: PHONE });
  const problems = watchProblems(page);
  await page.goto(site.baseUrl);
  await submitLogin(page, 'staff', 'correct horse battery');
  await page.locator('[data-testid=charging-now-empty]').waitFor();
  const txId = (await sim.startSession(1, 'ZOE-1'))!;
  sim.connectors[1]!.meterWh += 5000;
  await sim.sendMeterValues(1, 7400);
  const row = page.locator(`[data-running="${txId}"]`);
  await waitForText(row.locator('[data-testid=driver]'), 'Zoe Park');
  await waitForText(row.locator('[data-testid=energy]'), '5.00 kWh');
  await waitForText(row.locator('[data-testid=cost]'), '≈ 2.00 EUR'); // 5 kWh at 0.40 EUR
  await waitForText(row.locator('[data-testid=duration]'), /^\d+ min$/);
  await page.screenshot({ path: artifactPath('dashboard-charging-now-phone.png'), fullPage: true });

  await row.locator('button', { hasText: 'Stop' }).click();
  await row.locator('.confirm', { hasText: `Stop Zoe Park's session on CP-DASH #1?` }).waitFor();
  assert.equal(sim.cp.received.filter((c) => c.action === 'RemoteStopTransaction').length, 0, 'nothing sent before the confirmation');
  await row.locator('button', { hasText: 'Yes, stop' }).click();
  await page.locator('[data-testid=charging-now-empty]').waitFor({ timeout: 15_000 });
  assert.deepEqual(sim.cp.received.filter((c) => c.action === 'RemoteStopTransaction').map((c) => c.payload), [{ transactionId: txId }]);
  assert.equal(site.domain.transactions.byId(txId)!.status, 'COMPLETED');
  assert.deepEqual(problems, []);
});
