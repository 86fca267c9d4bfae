// The admin page speaks to staff in words (issue 16): API refusals as sentences (no status, error code,
// JSON or pattern), OCPP enums as words, money in major units with its currency, drivers by name, dates
// with the day; remote start shows who is charging and needs an explicit override.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isoNow, startTestSite } from '../support/testSite.js';
import { SimulatedCharger } from '../../src/sim/simulatedCharger.js';
import { artifactPath, browserSkipReason, launchBrowser, PHONE, submitLogin, waitForText, watchProblems } from '../support/browser.js';

const skip = browserSkipReason();
const DESKTOP = { width: 1280, height: 900 };
/** What must never reach staff: an HTTP status with an error code, JSON, or a regular expression. */
const TECHNICAL = /\b[1-5]\d\d [a-z]+_[a-z_]+|\{"|must match pattern|\^\[/;
const WEEKDAY = /\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b/;

test('registering a charger with a bad id and starting with a blocked card are refused in plain sentences; an override starts it', { skip, timeout: 120_000 }, async (t) => {
  await using site = await startTestSite({ 'ocpp.heartbeatIntervalSec': 600 });
  await site.domain.adminUsers.create({ username: 'staff', password: 'correct horse battery', role: 'admin' });
  const ana = (await site.api('/api/admin/users', { body: { fullName: 'Ana Lopez' } })).body.user;
  assert.equal((await site.api('/api/admin/id-tags', { body: { idTag: 'ANA-1', userId: ana.id, status: 'Blocked' } })).status, 201);
  await site.addCharger('CP-P');
  const sim = new SimulatedCharger({ baseUrl: site.wsUrl, id: 'CP-P', connectors: 1, meterIntervalSec: 3600 });
  t.after(() => sim.stop());
  await sim.start();

  await using browser = await launchBrowser();
  const page = await browser.newPage({ viewport: DESKTOP });
  const problems = watchProblems(page);
  await page.goto(`${site.baseUrl}/chargers`);
  await submitLogin(page, 'staff', 'correct horse battery');
  const register = page.locator('form', { has: page.locator('button[type=submit]', { hasText: 'Register' }) });
  await register.locator('input[name=chargePointId]').fill('bay 3/north');
  await register.locator('button[type=submit]').click();
  const refusal = await waitForText(register.locator('.error[role=alert]'), 'Charge point id: no spaces or / ? # %, at most 48 characters.');
  assert.doesNotMatch(refusal, TECHNICAL);

  await page.goto(`${site.baseUrl}/chargers/CP-P`);
  const start = page.locator('[data-testid=remote-start]');
  await start.locator('select[name=startUser] option', { hasText: 'Ana Lopez' }).waitFor({ state: 'attached' });
  await start.locator('select[name=startUser]').selectOption({ label: 'Ana Lopez' });
  await start.locator('select[name=userIdTag] option[value="ANA-1"]').waitFor({ state: 'attached' });
  await start.locator('button', { hasText: 'Remote start' }).click();
  const blocked = await waitForText(start.locator('.error[role=alert]'), 'This card cannot start a session here: blocked. To start anyway, tick "Start even so".');
  assert.doesNotMatch(blocked, TECHNICAL);
  assert.equal(sim.cp.received.filter((c) => c.action === 'RemoteStartTransaction').length, 0, 'nothing sent without the override');
  await start.locator('input[name=force]').check();
  await start.locator('button', { hasText: 'Remote start' }).click();
  await waitForText(start.locator('.result'), 'Remote start: Accepted');
  assert.equal(sim.cp.received.filter((c) => c.action === 'RemoteStartTransaction').length, 1);
  await page.screenshot({ path: artifactPath('remote-start-override-desktop.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('a session, its stop reason and the ledger read as words, with the driver by name, money with currency and dates with the day', { skip, timeout: 120_000 }, async () => {
  await using site = await startTestSite({ 'ocpp.heartbeatIntervalSec': 600 });
  await site.domain.adminUsers.create({ username: 'staff', password: 'correct horse battery', role: 'admin' });
  site.database.sqlite.prepare("INSERT INTO tariff (name, currency, price_per_kwh, is_default, created_at) VALUES ('Standard', 'EUR', 30, 1, ?)").run(isoNow());
  const ben = (await site.api('/api/admin/users', { body: { fullName: 'Ben Okafor' } })).body.user;
  assert.equal((await site.api('/api/admin/id-tags', { body: { idTag: 'BEN-1', userId: ben.id } })).status, 201);
  const topUp = await site.api(`/api/admin/users/${ben.id}/wallet/top-up`, { body: { amount: 2000, description: 'desk', idempotencyKey: 'b-1' } });
  assert.ok(topUp.status < 300, JSON.stringify(topUp.body));
  const cp = await site.connectCharger('CP-W');
  const { transactionId } = await cp.call('StartTransaction', { connectorId: 1, idTag: 'BEN-1', meterStart: 1000, timestamp: isoNow() });
  await cp.call('StopTransaction', { transactionId, meterStop: 11_000, timestamp: isoNow(), reason: 'EVDisconnected' });

  await using browser = await launchBrowser();
  const page = await browser.newPage({ viewport: PHONE });
  const problems = watchProblems(page);
  await page.goto(`${site.baseUrl}/transactions/${transactionId}`);
  await submitLogin(page, 'staff', 'correct horse battery');
  await waitForText(page.locator('[data-testid=tx-driver]'), 'Ben Okafor');
  await waitForText(page.locator('h1 .badge'), 'Completed');
  await waitForText(page.locator('[data-testid=tx-cost]'), '3.00 EUR'); // 10 kWh at 0.30 EUR/kWh (prices in minor units)
  const facts = await page.locator('dl.facts').innerText();
  assert.match(facts, /Car unplugged/);
  assert.doesNotMatch(facts, /EVDisconnected/);
  assert.match(facts, WEEKDAY, 'dates carry the day');

  await page.goto(`${site.baseUrl}/users/${ben.id}`);
  const ledger = page.locator('table', { has: page.locator('th', { hasText: 'Balance' }) });
  await ledger.locator('td', { hasText: 'Top-up' }).waitFor();
  const text = await ledger.innerText();
  assert.doesNotMatch(text, /TOP_UP|CHARGE\b/);
  assert.match(text, /20\.00 EUR/);
  assert.match(text, /-3\.00 EUR/, 'the session\'s charge, in major units');
  assert.match(text, WEEKDAY);

  await page.goto(`${site.baseUrl}/transactions`);
  await waitForText(page.locator(`[data-tx="${transactionId}"] [data-testid=tx-driver]`), 'Ben Okafor');
  await page.screenshot({ path: artifactPath('sessions-words-phone.png'), fullPage: true });
  assert.deepEqual(problems, []);
});
