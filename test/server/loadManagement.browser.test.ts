// The load management card in Chromium against the real server: the circuit tree with a feeder, the grid
// meter's state from a real MQTT broker (aedes), and a charger that ignores its profiles shown non-compliant,
// all updated by pushed events while the page stays open (no reload, no polling).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mqtt from 'mqtt';
import { startTestSite } from '../support/testSite.js';
import { startAedesBroker } from '../support/mqttBroker.js';
import { LoadCharger } from '../support/loadCharger.js';
import { artifactPath, browserSkipReason, launchBrowser, PHONE, submitLogin, waitForRead, waitForText, watchProblems } from '../support/browser.js';

const skip = browserSkipReason();

test('the load management card shows the tree, the grid meter and a non-compliant charger live', { skip, timeout: 120_000 }, async () => {
  await using broker = await startAedesBroker();
  await using site = await startTestSite({ loadBalancing: {
    enabled: true, siteLimitA: 32, minCurrentA: 6, controlIntervalSec: 0.2, raiseIntervalSec: 0, responseSec: 0, complianceGraceSec: 1,
    feeders: [{ id: 'garage', limitA: 20 }], chargers: { G1: { feeder: 'garage' } },
    gridMeter: { topic: 'site-1/grid', url: broker.url, maxAgeSec: 2, fallbackLimitA: 12, marginA: 1 },
  } });
  await site.domain.adminUsers.create({ username: 'ops', password: 'correct horse battery', role: 'admin' });
  site.addIdTag('TAG');
  const meter = await mqtt.connectAsync(broker.url);
  const g1 = await LoadCharger.start(site, 'G1');
  const bad = await LoadCharger.start(site, 'BAD', { obeys: 'none', carMaxA: 10 });
  await g1.startSession('TAG');
  await bad.startSession('TAG');

  await using browser = await launchBrowser();
  const page = await browser.newPage({ viewport: PHONE });
  const problems = watchProblems(page);
  await page.goto(`${site.baseUrl}/energy`);
  await submitLogin(page, 'ops', 'correct horse battery');
  await page.locator('[data-live=live]').waitFor();
  const card = page.locator('[data-testid=load-balancing]');
  await card.locator('tr[data-circuit=garage]').waitFor();

  // The meter reports the building (5 A per phase) and what the chargers draw, while the page is open.
  const keepReporting = setInterval(() => {
    const currentA = [0, 1, 2].map((i) => 5 + g1.phaseA()[i]! + bad.phaseA()[i]!);
    void meter.publishAsync('site-1/grid', JSON.stringify({ currentA })).catch(() => {});
    void g1.report().catch(() => {});
    void bad.report().catch(() => {});
  }, 300);
  try {
    await waitForText(card.locator('[data-testid=grid-meter]'), /fresh\s+building 5\/5\/5 A/);
    // BAD draws 10 A whatever it is told: non-compliant, counted at its draw; G1 gets the rest within its feeder.
    await waitForText(card.locator(`tr[data-allocation="${bad.transactionId}"]`), /non-compliant/);
    await waitForText(card.locator(`tr[data-allocation="${g1.transactionId}"]`), /^G1 #1\s*· session #\d+\s+garage · L1\+L2\+L3\s+Accepted TxProfile[^]*\s1[0-6](\.\d)? A\s+6–∞ A/);
    await waitForText(card.locator('tr[data-circuit=garage]'), /^garage\s+20 A\s+20\/20\/20/);
    await page.screenshot({ path: artifactPath('load-management.png'), fullPage: true });

    // The meter goes silent: the card says so and charging is held to the fallback.
    clearInterval(keepReporting);
    await waitForText(card.locator('[data-testid=grid-meter]'), /stale\s+fallback 12 A for charging/);
    // The card can show the meter stale a control round (0.2 s) before that round applies the fallback.
    const view = await waitForRead('the allocation within the 12 A fallback', async () => (await site.api('/api/admin/load-balancing')).body,
      (v) => v.circuits[0].allocatedA.every((a: number) => a <= 12 + 1e-9));
    assert.equal(view.meter.state, 'stale');
    assert.ok(view.circuits[0].allocatedA.every((a: number) => a <= 12 + 1e-9), `within the fallback: ${view.circuits[0].allocatedA}`);
  } finally {
    clearInterval(keepReporting);
    await meter.endAsync();
  }
  assert.deepEqual(problems, []);
});
