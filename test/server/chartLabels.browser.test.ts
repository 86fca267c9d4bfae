// The session chart's labels fit and read at 390 px (issue 16: "chart labels readable on a phone"):
// a one-minute demo session of a few Wh once labelled its energy axis "0.0020", cut off at the right
// edge, and both time labels read the same minute. Every label must lie inside the chart, the five
// labels of each axis must differ, and a short session's times carry seconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';
import { SimulatedCharger } from '../../src/sim/simulatedCharger.js';
import { artifactPath, browserSkipReason, launchBrowser, PHONE } from '../support/browser.js';
import { DESKTOP, openStaffPage } from '../support/staffPage.js';

const skip = browserSkipReason();

test('phone: the session chart labels fit inside it, differ, and a short session shows seconds', { skip, timeout: 120_000 }, async (t) => {
  await using site = await startTestSite({ 'ocpp.heartbeatIntervalSec': 600 });
  site.addIdTag('CHART-1');
  await site.addCharger('CP-CHART');
  const sim = new SimulatedCharger({ baseUrl: site.wsUrl, id: 'CP-CHART', connectors: 2, meterIntervalSec: 3600 });
  t.after(() => sim.stop());
  await sim.start();
  // A tiny session (2 Wh, as the demo's) and a larger one (4.5 kWh).
  const tiny = (await sim.startSession(1, 'CHART-1'))!;
  for (let i = 1; i <= 4; i++) { sim.connectors[1]!.meterWh += 0.5; await sim.sendMeterValues(1, 11000); await new Promise((r) => setTimeout(r, 300)); }
  await sim.stopSession(1);
  const large = (await sim.startSession(2, 'CHART-1'))!;
  for (let i = 1; i <= 3; i++) { sim.connectors[2]!.meterWh += 1500; await sim.sendMeterValues(2, 7400); }
  await sim.stopSession(2);

  await using browser = await launchBrowser();
  for (const [viewport, name] of [[PHONE, 'phone'], [DESKTOP, 'desktop']] as const) {
    const { page, problems } = await openStaffPage(site, browser, `/transactions/${tiny}`, { viewport });
    for (const [txId, unit] of [[tiny, 'Wh'], [large, 'kWh']] as const) {
      if (txId !== tiny) await page.goto(`${site.baseUrl}/transactions/${txId}`);
      const chart = page.locator('[data-testid=meter-chart]');
      await chart.locator('text').first().waitFor();
      await page.locator('.legend .e', { hasText: `energy (${unit}, right)` }).waitFor();
      const box = (await chart.boundingBox())!;
      const labels = await chart.locator('text').evaluateAll((els) => els.map((e) => {
        const r = e.getBoundingClientRect();
        return { text: e.textContent ?? '', left: r.left, right: r.right, height: r.height };
      }));
      for (const l of labels) {
        assert.ok(l.left >= box.x - 0.5 && l.right <= box.x + box.width + 0.5, `${name}: "${l.text}" lies inside the chart (${l.left.toFixed(0)}–${l.right.toFixed(0)} of ${box.x.toFixed(0)}–${(box.x + box.width).toFixed(0)})`);
        if (name === 'phone') assert.ok(l.height >= 12, `${name}: "${l.text}" is ${l.height.toFixed(1)} px tall`);
      }
      const [power, energy] = [labels.slice(0, 10).filter((_, i) => i % 2 === 0), labels.slice(0, 10).filter((_, i) => i % 2 === 1)];
      for (const axis of [power, energy]) assert.equal(new Set(axis.map((l) => l.text)).size, 5, `five different labels: ${axis.map((l) => l.text).join(', ')}`);
      const times = labels.slice(10).map((l) => l.text);
      assert.equal(times.length, 2);
      assert.match(times[0]!, /\d{1,2}:\d{2}:\d{2}/, `a session of seconds shows them: ${times.join(' – ')}`);
      assert.notEqual(times[0], times[1]);
      await chart.screenshot({ path: artifactPath(`chart-${unit}-${name}.png`) });
    }
    assert.deepEqual(problems, []);
    await page.close();
  }
});
