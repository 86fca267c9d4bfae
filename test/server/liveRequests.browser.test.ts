// Live updates cost (almost) no requests (issue 16, Efficiency): a charger sending MeterValues every
// few seconds must not make an open page download its state each time. With a real simulated charger
// sending 20 MeterValues, each page that shows the session counts the API requests it makes: the energy
// it shows follows the pushed events, and the requests stay within a small bound (the old charger page
// fetched the charger and its sessions on every frame: 2 requests per MeterValues).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startTestSite } from '../support/testSite.js';
import { SimulatedCharger } from '../../src/sim/simulatedCharger.js';
import { artifactPath, browserSkipReason, launchBrowser, waitForText } from '../support/browser.js';
import { openStaffPage } from '../support/staffPage.js';

const skip = browserSkipReason();
const FRAMES = 20;

/** API requests the page makes from now on (the event stream itself not counted). */
function countRequests(page: Page): { urls: string[] } {
  const seen = { urls: [] as string[] };
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/api/') && u.pathname !== '/api/events') seen.urls.push(`${r.method()} ${u.pathname}${u.search}`);
  });
  return seen;
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('pages follow MeterValues from the pushed events, within a bound of API requests', { skip, timeout: 180_000 }, async (t) => {
  await using site = await startTestSite({ 'ocpp.heartbeatIntervalSec': 600 });
  site.addIdTag('LIVE-1');
  await site.addCharger('CP-METER');
  const sim = new SimulatedCharger({ baseUrl: site.wsUrl, id: 'CP-METER', connectors: 1, meterIntervalSec: 3600 });
  t.after(() => sim.stop());
  await sim.start();
  const txId = (await sim.startSession(1, 'LIVE-1'))!;

  await using browser = await launchBrowser();
  const { page, problems } = await openStaffPage(site, browser);

  // Each page: open it, let it load, then 20 MeterValues 150 ms apart (1 kWh each), and count.
  const pages: Array<{ name: string; path: string; energy: string; bound: number }> = [
    { name: 'charger', path: '/chargers/CP-METER', energy: 'li[data-connector="1"] [data-testid=session-energy]', bound: 2 },
    { name: 'session', path: `/transactions/${txId}`, energy: '[data-testid=tx-energy]', bound: 4 },
    { name: 'dashboard', path: '/', energy: `[data-running="${txId}"] [data-testid=energy]`, bound: 2 },
    { name: 'sessions', path: '/transactions', energy: `tr[data-tx="${txId}"] [data-testid=tx-energy]`, bound: 2 },
  ];
  for (const p of pages) {
    await page.evaluate((path) => { history.pushState(null, '', path); dispatchEvent(new PopStateEvent('popstate')); }, p.path);
    const before = `${(sim.connectors[1]!.meterWh / 1000).toFixed(2)} kWh`;
    await waitForText(page.locator(p.energy), before);
    await settle(2500); // the page's own loading (and any trailing reload) is over
    const counted = countRequests(page);
    for (let i = 0; i < FRAMES; i++) {
      sim.connectors[1]!.meterWh += 1000;
      await sim.sendMeterValues(1, 7400);
      await settle(150);
    }
    await waitForText(page.locator(p.energy), `${(sim.connectors[1]!.meterWh / 1000).toFixed(2)} kWh`);
    await settle(2500); // a debounced fetch still to come is counted too
    await page.screenshot({ path: artifactPath(`live-requests-${p.name}-phone.png`), fullPage: true });
    page.removeAllListeners('request');
    t.diagnostic(`${p.name} page: ${counted.urls.length} API requests for ${FRAMES} MeterValues: ${counted.urls.join(', ') || 'none'}`);
    assert.ok(counted.urls.length <= p.bound,
      `${p.name} page made ${counted.urls.length} API requests for ${FRAMES} MeterValues (at most ${p.bound}): ${counted.urls.join(', ')}`);
    // The chart tops up with the rows after the newest it has, never the whole session again.
    if (p.name === 'session') assert.ok(counted.urls.every((u) => /meter-values\?afterId=[1-9]/.test(u)), counted.urls.join(', '));
  }
  assert.deepEqual(problems, []);
});
