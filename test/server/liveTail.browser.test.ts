// The log's live tail adds the pushed rows themselves (issue 16: it re-downloaded 100 rows per message,
// about 60 MB/h on a 3-charger site), and the dashboard follows pushed events without polling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';
import { SimulatedCharger } from '../../src/sim/simulatedCharger.js';
import { artifactPath, browserSkipReason, launchBrowser, PHONE, submitLogin, waitForCount, waitForText, watchProblems } from '../support/browser.js';

const skip = browserSkipReason();

test('the log tail shows new frames from the event stream without asking the log API again', { skip, timeout: 120_000 }, async (t) => {
  await using site = await startTestSite({ 'ocpp.heartbeatIntervalSec': 600 });
  await site.domain.adminUsers.create({ username: 'staff', password: 'correct horse battery', role: 'admin' });
  await site.addCharger('CP-T');
  const sim = new SimulatedCharger({ baseUrl: site.wsUrl, id: 'CP-T', connectors: 1, meterIntervalSec: 3600 });
  t.after(() => sim.stop());
  await sim.start();

  await using browser = await launchBrowser();
  const page = await browser.newPage({ viewport: PHONE });
  const problems = watchProblems(page);
  const requests: string[] = [];
  page.on('request', (r) => { const u = new URL(r.url()); if (u.pathname.startsWith('/api/') && u.pathname !== '/api/events') requests.push(u.pathname); });
  await page.goto(`${site.baseUrl}/log?chargePointId=CP-T`);
  await submitLogin(page, 'staff', 'correct horse battery');
  await page.locator('[data-live=live]').waitFor();
  const rows = page.locator('tr[data-log]');
  // Frames still kept in memory would reach the page later as pushed rows and be miscounted as new ones.
  await site.domain.messageLog.flush();
  const before = site.count('log_entry', "charge_point_id = 'CP-T'");
  await waitForCount(rows, before);
  requests.length = 0;

  for (const status of ['Preparing', 'SuspendedEV', 'Available']) await sim.setStatus(1, status);
  await waitForCount(rows, before + 6); // three CALLs in, three RESULTs out
  await waitForText(rows.first().locator('summary'), /^StatusNotification RESULT/);
  await rows.nth(1).locator('summary').click();
  await waitForText(rows.nth(1).locator('pre'), /"status": "Available"/);
  assert.deepEqual(requests.filter((p) => p === '/api/logs'), [], 'no log download for pushed frames');
  // On a phone each frame is a card that fits the screen: the action is not cut off, the time has its day.
  const overflow = await rows.evaluateAll((els) => els.map((e) => e.querySelector('summary')!.getBoundingClientRect().right).filter((r) => r > innerWidth));
  assert.deepEqual(overflow, [], 'every message summary lies within the 390 px screen');
  assert.match(await rows.first().locator('[data-testid=log-time]').innerText(), /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)/);
  await page.screenshot({ path: artifactPath('log-live-tail-phone.png'), fullPage: true });

  // The dashboard, left open, asks the server nothing while nothing happens: updates are pushed.
  await page.click('nav a:has-text("Dashboard")');
  await page.locator('[data-charger="CP-T"]').waitFor();
  await new Promise((r) => setTimeout(r, 3000));
  requests.length = 0;
  await new Promise((r) => setTimeout(r, 4000));
  assert.deepEqual(requests, [], 'no polling');
  assert.deepEqual(problems, []);
});
