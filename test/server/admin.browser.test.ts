// The admin page in a real browser (Debian's Chromium via playwright-core) against the real server
// with simulated chargers attached. Screenshots go to test-artifacts/ (gitignored).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, type TestSite } from '../support/testSite.js';
import { SimulatedCharger } from '../../src/sim/simulatedCharger.js';
import { artifactPath, browserSkipReason, launchBrowser, PHONE, submitLogin, waitForRead, waitForText, watchProblems } from '../support/browser.js';

const skip = browserSkipReason();

test('the page loads under its CSP at phone width and shows a failed login plainly', { skip }, async () => {
  await using site = await startTestSite();
  await using browser = await launchBrowser();
  const page = await browser.newPage({ viewport: PHONE });
  const problems = watchProblems(page);
  await page.goto(`${site.baseUrl}/chargers/CP-X`);
  await submitLogin(page, 'nobody', 'wrong password');
  // The refusal is one plain sentence: no status code, error code or JSON.
  await waitForText(page.locator('.error[role=alert]'), /^(Wrong username or password\.|Too many failed logins\. Wait a minute, then try again\.)$/);
  assert.equal(await page.locator('input[name=username]').count(), 1, 'still on the login form');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `no sideways scrolling at phone width (page is ${width}px wide)`);
  assert.deepEqual(problems, []);
});

async function createAdminUser(site: TestSite, username: string, password: string, role: 'admin' | 'viewer' = 'admin'): Promise<void> {
  await site.domain.adminUsers.create({ username, password, role });
}

test('staff log in, see a charger come online, start a session, watch power, stop it, see cost and wallet, filter the log', { skip, timeout: 120_000 }, async (t) => {
  await using site = await startTestSite({ 'ocpp.heartbeatIntervalSec': 60 });
  await createAdminUser(site, 'staff', 'correct horse battery');
  // A driver with an RFID tag, money in the wallet, and a price per kWh.
  site.database.sqlite.prepare("INSERT INTO tariff (name, currency, price_per_kwh, is_default, created_at) VALUES ('Standard', 'EUR', 3000, 1, ?)").run(new Date().toISOString());
  const user = await site.api('/api/admin/users', { body: { fullName: 'Dana Driver', phoneNumber: '+3100000001' } });
  assert.ok(user.status < 300, JSON.stringify(user.body));
  const userId: number = user.body.user?.id ?? user.body.id;
  assert.ok((await site.api('/api/admin/id-tags', { body: { idTag: 'TAG-DANA', userId } })).status < 300);
  const topUp = await site.api(`/api/admin/users/${userId}/wallet/top-up`, { body: { amount: 5000, description: 'first', idempotencyKey: 'seed-1' } });
  assert.ok(topUp.status < 300, JSON.stringify(topUp.body));
  await site.addCharger('CP-WEB');

  await using browser = await launchBrowser();
  const page = await browser.newPage({ viewport: PHONE });
  const problems = watchProblems(page);
  await page.goto(site.baseUrl);
  await submitLogin(page, 'staff', 'correct horse battery');
  await page.locator('h1', { hasText: 'Dashboard' }).waitFor();
  await page.locator('[data-live=live]').waitFor();
  const card = page.locator('[data-charger="CP-WEB"]');
  await card.locator('[data-testid=online]', { hasText: 'offline' }).waitFor();

  // The charger connects: the dashboard changes without a reload.
  const sim = new SimulatedCharger({ baseUrl: site.wsUrl, id: 'CP-WEB', connectors: 2, meterIntervalSec: 1, powerW: 7400 });
  t.after(() => sim.stop());
  await sim.start();
  await card.locator('[data-testid=online]', { hasText: 'online' }).waitFor();
  await card.locator('[data-connector="1"] .badge', { hasText: 'Available' }).waitFor();

  // Remote start from the charger page; the charger's answer is shown.
  await card.locator('h2 a').click();
  await page.fill('input[name=idTag]', 'TAG-DANA');
  await page.click('button:has-text("Remote start")');
  const startResult = page.locator('.result', { hasText: 'Remote start:' });
  await startResult.waitFor();
  assert.match(await startResult.innerText(), /Remote start: Accepted/);

  // Power rises on the dashboard as MeterValues arrive.
  await page.click('nav a:has-text("Dashboard")');
  await card.locator('[data-testid=power]', { hasText: '7.4 kW' }).waitFor({ timeout: 15_000 });
  await card.locator('[data-connector="1"] .badge', { hasText: 'Charging' }).waitFor();
  await page.waitForTimeout(2500); // a few more samples, so the chart has a line
  await page.screenshot({ path: artifactPath('dashboard.png'), fullPage: true });

  // Stop asks first, then stops; the session ends with a cost and a wallet debit.
  await card.locator('h2 a').click();
  const stop = page.locator('button', { hasText: /^Stop session #\d+$/ });
  const txId = Number(/#(\d+)/.exec(await stop.innerText())![1]);
  await stop.click();
  await page.locator('.confirm', { hasText: `Stop session #${txId}` }).waitFor();
  await page.click(`button:has-text("Yes, stop session #${txId}")`);
  // Wait for whatever the charger answered, then check it: a failure then says what the page showed.
  const stopResult = page.locator('.result', { hasText: `Stop session #${txId}:` });
  await stopResult.waitFor();
  assert.match(await stopResult.innerText(), new RegExp(`Stop session #${txId}: Accepted`));

  await page.goto(`${site.baseUrl}/transactions/${txId}`);
  await page.locator('.badge', { hasText: 'COMPLETED' }).waitFor({ timeout: 15_000 });
  const cost = await waitForText(page.locator('[data-testid=tx-cost]'), /^\d+\.\d\d EUR$/);
  assert.notEqual(cost, '0.00 EUR');
  // The debit shown is the wallet's own CHARGE row for the session, not the cost negated.
  const charge = site.domain.wallets.chargeOf(txId);
  assert.ok(charge, 'the session was charged to the wallet');
  const money = (minor: number) => `${(minor / 100).toFixed(2)} EUR`;
  await waitForText(page.locator('[data-testid=tx-debit]'), `${money(charge.amount)} (balance after ${money(charge.balanceAfter)})`);
  // A steady power draws a flat line, which has no height, so Playwright would call it hidden: read it from
  // the DOM, once the meter values (loaded apart from the session) have drawn at least two points.
  const powerLine = page.locator('[data-testid=meter-chart] polyline.power');
  await waitForRead('the power line to have at least two points', () => powerLine.getAttribute('points', { timeout: 1000 }),
    (points) => (points ?? '').trim().split(/\s+/).length >= 2);
  await page.locator('figure').screenshot({ path: artifactPath('transaction-chart.png') });

  await page.goto(`${site.baseUrl}/users/${userId}`);
  // The wallet paid for the session (the balance shows '–' until the wallet has loaded).
  const costMinor = Math.round(Number(cost.split(' ')[0]) * 100);
  await waitForText(page.locator('[data-testid=wallet-balance]'), `${((5000 - costMinor) / 100).toFixed(2)} EUR`);
  await page.locator('td', { hasText: `session #${txId}` }).waitFor();

  // The log filtered to one action shows only that action.
  await page.click('nav a:has-text("Log")');
  await page.fill('input[name=action]', 'RemoteStartTransaction');
  await page.click('form button[type=submit]');
  await page.waitForURL(/action=RemoteStartTransaction/);
  const rows = page.locator('tr[data-log]');
  // The unfiltered rows stay until the filtered answer is in: wait for only the filtered action, the CALL and its answer.
  await waitForRead('only RemoteStartTransaction rows, the CALL and its answer', () => page.locator('tr[data-log] summary strong').allInnerTexts(),
    (actions) => actions.length >= 2 && actions.every((a) => a === 'RemoteStartTransaction' || a === ''));
  await rows.first().locator('summary').click();
  assert.match(await rows.first().locator('pre').innerText(), /\n {2}"/, 'payload pretty-printed');
  assert.deepEqual(problems, []);

  // A viewer sees the same charger but no action buttons.
  await createAdminUser(site, 'watcher', 'another long password', 'viewer');
  const viewer = await browser.newPage({ viewport: PHONE });
  await viewer.goto(`${site.baseUrl}/chargers/CP-WEB`);
  await submitLogin(viewer, 'watcher', 'another long password');
  await viewer.locator('h1', { hasText: 'CP-WEB' }).waitFor();
  await viewer.locator('summary', { hasText: 'Configuration keys' }).waitFor();
  for (const label of ['Remote start', 'Soft reset', 'Hard reset', 'Unlock', 'Delete charger', 'Save']) {
    assert.equal(await viewer.locator('button', { hasText: label }).count(), 0, `viewer sees no "${label}" button`);
  }
});

test('an admin closes a session in doubt from its page and sees it completed', { skip, timeout: 60_000 }, async () => {
  await using site = await startTestSite({ 'sessions.doubtAfterIdleSec': 1 });
  await createAdminUser(site, 'staff', 'correct horse battery');
  site.addIdTag('TAG-LOST');
  const cp = await site.connectCharger('CP-LOST');
  const { transactionId } = await cp.call('StartTransaction', { connectorId: 1, idTag: 'TAG-LOST', meterStart: 0, timestamp: new Date().toISOString() });
  await cp.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [{ value: '2500' }] }] });
  // The stop is lost: the connector shows Available with the session still open, and after a while it is in doubt.
  await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });
  await site.blocks.sessionReview.run(new Date(Date.now() + 2000));

  await using browser = await launchBrowser();
  const page = await browser.newPage({ viewport: PHONE });
  const problems = watchProblems(page);
  await page.goto(`${site.baseUrl}/transactions/${transactionId}`);
  await submitLogin(page, 'staff', 'correct horse battery');
  await page.locator('.badge', { hasText: 'INTERRUPTED' }).waitFor();
  // Why it is in doubt, in words on the page.
  await waitForText(page.locator('[data-testid=tx-flags]'), /Its end may have been missed/);
  await waitForText(page.locator('[data-testid=tx-flags]'), /reported Available\/Preparing with no StopTransaction/);
  await page.click('button:has-text("Close session")');
  await page.click(`button:has-text("Yes, close session")`);
  await page.locator('.badge', { hasText: 'COMPLETED' }).waitFor({ timeout: 15_000 });
  await waitForText(page.locator('[data-testid=tx-energy]'), '2.50 kWh');
  await waitForText(page.locator('[data-testid=tx-flags]'), /Closed by staff/);
  assert.equal(site.domain.transactions.byId(transactionId)!.status, 'COMPLETED');
  assert.deepEqual(problems, []);
});
