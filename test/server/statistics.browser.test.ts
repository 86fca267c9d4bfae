// The Statistics page at phone width: staff read the totals of completed sessions, regroup by driver, and
// download the same rows as CSV.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { siteWithSessions } from '../support/statisticsSessions.js';
import { browserSkipReason, launchBrowser, PHONE, submitLogin, waitForCount, waitForText, watchProblems } from '../support/browser.js';

const skip = browserSkipReason();

test('Statistics page shows per-charger and per-driver sums and totals, and downloads them as CSV', { skip, timeout: 90_000 }, async () => {
  const { site } = await siteWithSessions();
  await using _ = site;
  await site.domain.adminUsers.create({ username: 'staff', password: 'correct horse battery', role: 'viewer' });

  await using browser = await launchBrowser();
  const page = await browser.newPage({ viewport: PHONE });
  const problems = watchProblems(page);
  await page.goto(`${site.baseUrl}/statistics?groupBy=charger`);
  await submitLogin(page, 'staff', 'correct horse battery');
  await waitForCount(page.locator('[data-testid=stats-table] tbody tr'), 2);
  assert.equal(await page.locator('tr[data-key="CP-1"] td[data-label=Revenue]').innerText(), '3.90 EUR');
  assert.equal(await page.locator('tr[data-key="CP-2"] td[data-label=Energy]').innerText(), '9.00 kWh');
  // 5 completed sessions, 22 kWh, 660 cents; the running and the rejected one are not counted.
  assert.equal(await page.locator('[data-testid=stats-total-sessions]').innerText(), '5');
  assert.equal(await page.locator('[data-testid=stats-total-energy]').innerText(), '22.00 kWh');
  assert.equal(await page.locator('[data-testid=stats-total-revenue]').innerText(), '6.60 EUR');
  // Phone layout: the table is cards, nothing wider than the screen.
  assert.equal(await page.locator('[data-testid=stats-table]').getAttribute('class'), 'cards');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
  // The totals card is as wide as the others (a tfoot left out of the card rules shrank it to its text).
  const widths = await page.locator('[data-testid=stats-table] tr[data-key], [data-testid=stats-total]').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().width)));
  assert.equal(new Set(widths).size, 1, `every card the same width: ${widths.join(', ')}`);

  await page.selectOption('[data-testid=stats-group]', 'driver');
  await page.click('button[type=submit]');
  await waitForCount(page.locator('[data-testid=stats-table] tbody tr'), 3);
  await waitForText(page.locator('[data-testid=stats-table] tbody tr').first().locator('td.main'), 'Alice Adams');
  assert.equal(await page.locator('[data-testid=stats-table] tbody tr').nth(2).locator('td.main').innerText(), 'No driver');
  assert.equal(await page.locator('[data-testid=stats-total-revenue]').innerText(), '6.60 EUR');

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=stats-csv]')]);
  const lines = fs.readFileSync((await download.path())!, 'utf8').trimEnd().split('\r\n');
  assert.equal(lines[0], 'key,label,sessions,energyWh,revenue,currency');
  assert.deepEqual(lines.slice(1).map((l) => l.split(',').slice(1).join(',')),
    ['Alice Adams,2,15000,450,EUR', 'Bob Brown,2,6000,180,EUR', 'No driver,1,1000,30,EUR']);
  assert.deepEqual(problems, []);
});
