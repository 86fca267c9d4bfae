// The Chargers pages in Chromium against the real server: staff register a charger (id, name, station,
// password), the charger then connects with that password (a wrong one is refused) and shows online
// live; availability, reset (asked first), unlock and trigger message each show the charger's answer;
// a command to an offline charger shows the API's error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startTestSite } from '../support/testSite.js';
import { ChargePoint } from '../../src/sim/chargePoint.js';
import { SimulatedCharger } from '../../src/sim/simulatedCharger.js';
import { artifactPath, browserSkipReason, launchBrowser, PHONE, submitLogin, openSections, waitForText, watchProblems } from '../support/browser.js';
import { waitFor } from '../support/waitFor.js';

const skip = browserSkipReason();

const button = (page: Page, label: string) => page.locator('button', { hasText: new RegExp(`^${label}$`) });
const result = (page: Page, text: string) => page.locator('.result', { hasText: text });

test('staff register a charger that then connects with its password, and run its commands with the answers shown', { skip, timeout: 180_000 }, async (t) => {
  await using site = await startTestSite({ 'ocpp.heartbeatIntervalSec': 60 });
  await site.domain.adminUsers.create({ username: 'staff', password: 'correct horse battery', role: 'admin' });
  const station = (await site.api('/api/admin/stations', { body: { name: 'North car park' } })).body.station;

  await using browser = await launchBrowser();
  const page = await browser.newPage({ viewport: PHONE });
  const problems = watchProblems(page);
  await page.goto(`${site.baseUrl}/chargers`);
  await submitLogin(page, 'staff', 'correct horse battery');
  await page.locator('[data-live=live]').waitFor();

  // Register: a password too short is refused plainly, then the charger is registered and opened.
  const form = page.locator('form', { has: page.locator('button[type=submit]', { hasText: 'Register' }) });
  await form.locator('input[name=chargePointId]').fill('CP-NEW');
  await form.locator('input[name=name]').fill('Bay 3');
  await form.locator('select[name=stationId] option', { hasText: 'North car park' }).waitFor({ state: 'attached' });
  await form.locator('select[name=stationId]').selectOption({ label: 'North car park' });
  await form.locator('input[name=password]').fill('short');
  await form.locator('button[type=submit]').click();
  await waitForText(form.locator('.error[role=alert]'), 'Password: too short (at least 8 characters).');
  assert.equal(site.domain.chargers.byChargePointId('CP-NEW'), undefined, 'nothing registered');
  await form.locator('input[name=password]').fill('bay3-secret-pass');
  await form.locator('button[type=submit]').click();
  // What to type into the charger: the exact URL, identity and password.
  const conn = page.locator('[data-testid=connection-card]');
  await waitForText(conn.locator('[data-testid=conn-full]'), `${site.wsUrl}/CP-NEW`);
  await waitForText(conn.locator('[data-testid=conn-id]'), 'CP-NEW');
  await waitForText(conn.locator('[data-testid=conn-password]'), 'bay3-secret-pass');
  await waitForText(conn.locator('[data-testid=conn-profile]'), '1: password over ws:// or wss://');
  await waitForText(conn.locator('[data-testid=conn-loopback]'), /^This page is open on 127\.0\.0\.1: a charger needs this server's address/);
  // The form suggests a generated password for the next charger (never the one just used).
  assert.match(await form.locator('input[name=password]').inputValue(), /^[A-Za-z2-9]{16}$/);
  await page.screenshot({ path: artifactPath('register-connection-card-phone.png'), fullPage: true });
  await conn.locator('a', { hasText: 'Open CP-NEW' }).click();
  await page.waitForURL(/\/chargers\/CP-NEW$/);
  await page.locator('h1', { hasText: 'Bay 3' }).waitFor();
  await openSections(page);
  await page.locator('[data-testid=online]', { hasText: 'offline' }).waitFor();
  const stored = site.domain.chargers.byChargePointId('CP-NEW')!;
  assert.equal(stored.stationId, station.id);
  assert.equal(stored.name, 'Bay 3');
  assert.ok(stored.passwordHash, 'the password is stored (hashed)');
  assert.equal(stored.securityProfile, 1, 'profile 1 unless another is picked');
  assert.equal(await page.locator('select[name=securityProfile]').inputValue(), '1', 'shown in the edit form');

  // The charger connects: a wrong password is refused, the registered one lets it in, and the page follows live.
  await assert.rejects(ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-NEW', password: 'not-the-password' }), (err: any) => err.status === 401);
  const sim = new SimulatedCharger({ baseUrl: site.wsUrl, id: 'CP-NEW', password: 'bay3-secret-pass', connectors: 2, meterIntervalSec: 3600 });
  t.after(() => sim.stop());
  await sim.start();
  await page.locator('[data-testid=online]', { hasText: 'online' }).waitFor();
  const connector1 = page.locator('li[data-connector="1"]');
  await connector1.locator('.badge', { hasText: 'Available' }).waitFor();
  const sent = (action: string) => sim.cp.received.filter((c) => c.action === action).map((c) => c.payload);

  // Availability: the answer is shown and the connector's status follows.
  await button(page, 'Make unavailable').click();
  await result(page, 'Make unavailable: Accepted').waitFor();
  await connector1.locator('.badge', { hasText: 'Unavailable' }).waitFor();
  assert.deepEqual(sent('ChangeAvailability'), [{ connectorId: 1, type: 'Inoperative' }]);
  await button(page, 'Make available').click();
  await result(page, 'Make available: Accepted').waitFor();
  await connector1.locator('.badge', { hasText: 'Available' }).waitFor();

  // Reset asks first; Cancel sends nothing, Yes resets.
  await button(page, 'Hard reset').click();
  await page.locator('.confirm', { hasText: 'Hard reset (reboot) the charger? Running sessions stop.' }).waitFor();
  await button(page, 'Cancel').click();
  await button(page, 'Soft reset').click();
  await page.locator('.confirm', { hasText: 'Soft reset the charger? Running sessions stop.' }).waitFor();
  assert.deepEqual(sent('Reset'), [], 'nothing sent before the confirmation');
  await button(page, 'Yes, soft reset').click();
  await result(page, 'Soft reset: Accepted').waitFor();
  assert.deepEqual(sent('Reset'), [{ type: 'Soft' }]);

  // Unlock the chosen connector (asked first).
  await page.locator('select[name=connector]').selectOption('2');
  await button(page, 'Unlock').click();
  await page.locator('.confirm', { hasText: 'Unlock connector #2?' }).waitFor();
  await button(page, 'Yes, unlock').click();
  await result(page, 'Unlock: Unlocked').waitFor();
  assert.deepEqual(sent('UnlockConnector'), [{ connectorId: 2 }]);

  // Trigger message: one the charger does, one it does not implement; each answer shown.
  const trigger = page.locator('label', { hasText: 'Trigger message' }).locator('select');
  await trigger.selectOption('Heartbeat');
  await button(page, 'Trigger').click();
  await result(page, 'Trigger: Accepted').waitFor();
  await trigger.selectOption('BootNotification');
  await button(page, 'Trigger').click();
  await result(page, 'Trigger: Not supported by the charger').waitFor();
  assert.deepEqual(sent('TriggerMessage'), [{ requestedMessage: 'Heartbeat', connectorId: 2 }, { requestedMessage: 'BootNotification', connectorId: 2 }]);

  // The charger goes away: the page shows it offline, and a command says why it failed.
  await sim.stop();
  await page.locator('[data-testid=online]', { hasText: 'offline' }).waitFor();
  await button(page, 'Make available').click();
  await waitForText(page.locator('.action .error[role=alert]'), /^The charger is not connected right now/);

  // The installer set the charger up for TLS: the edit form records its security profile.
  const edit = page.locator('form', { has: page.locator('select[name=securityProfile]') });
  await edit.locator('select[name=securityProfile]').selectOption('2');
  await edit.locator('button[type=submit]', { hasText: 'Save' }).click();
  await waitFor('profile 2 stored', () => site.domain.chargers.byChargePointId('CP-NEW')!.securityProfile === 2);

  // Registering a charger set up for profile 2 says so on the card, and that this plain-http page's ws:// will not do.
  await page.click('nav a:has-text("Chargers")');
  await form.locator('input[name=chargePointId]').fill('CP-TLS');
  await form.locator('select[name=securityProfile]').selectOption('2');
  await form.locator('button[type=submit]').click();
  await waitForText(conn.locator('[data-testid=conn-id]'), 'CP-TLS');
  await waitForText(conn.locator('[data-testid=conn-profile]'), '2: password, TLS (wss://) only');
  await waitForText(conn.locator('[data-testid=conn-warning]'), /^Profile 2 connects only over TLS \(wss:\/\/\)/);
  assert.equal(site.domain.chargers.byChargePointId('CP-TLS')!.securityProfile, 2);
  await page.screenshot({ path: artifactPath('register-profile-2-phone.png'), fullPage: true });
  assert.deepEqual(problems, []);
});
