// Bugs site staff hit on the admin page (issue 16), each in Chromium against the real server with a
// simulated charger, at phone or desktop width: a stop result naming the wrong session, filters wiped
// by live reloads, raw JSON after Block/Unblock, a dashboard that kept claiming "online" with the
// server gone, "Last heard" that only moved on Heartbeat, and the users list's empty Balance column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';
import { SimulatedCharger } from '../../src/sim/simulatedCharger.js';
import { artifactPath, browserSkipReason, launchBrowser, PHONE, submitLogin, waitForRead, waitForText, watchProblems } from '../support/browser.js';

const skip = browserSkipReason();
const DESKTOP = { width: 1280, height: 900 };

async function staffSite() {
  const site = await startTestSite({ 'ocpp.heartbeatIntervalSec': 600 });
  await site.domain.adminUsers.create({ username: 'staff', password: 'correct horse battery', role: 'admin' });
  return site;
}

test('stopping one of two sessions shows the answer for that session, not the one left', { skip, timeout: 120_000 }, async (t) => {
  await using site = await staffSite();
  site.addIdTag('TAG-A');
  site.addIdTag('TAG-B');
  await site.addCharger('CP-TWO');
  const sim = new SimulatedCharger({ baseUrl: site.wsUrl, id: 'CP-TWO', connectors: 2, meterIntervalSec: 3600 });
  t.after(() => sim.stop());
  await sim.start();
  const first = await sim.startSession(1, 'TAG-A');
  const second = await sim.startSession(2, 'TAG-B');
  assert.ok(first && second);

  await using browser = await launchBrowser();
  const page = await browser.newPage({ viewport: PHONE });
  const problems = watchProblems(page);
  await page.goto(`${site.baseUrl}/chargers/CP-TWO`);
  await submitLogin(page, 'staff', 'correct horse battery');
  await page.locator('button', { hasText: `Stop session #${second}` }).waitFor();
  await page.locator('button', { hasText: `Stop session #${first}` }).click();
  await page.click(`button:has-text("Yes, stop session #${first}")`);
  // The stopped session's button goes; the answer still names it, and the other session's button is untouched.
  await waitForText(page.locator('[data-testid=stop-result]'), `Stop session #${first}: Accepted`, 8_000);
  await page.locator('button', { hasText: `Stop session #${first}` }).waitFor({ state: 'detached' });
  assert.equal(await page.locator('.result', { hasText: `#${second}` }).count(), 0, 'nothing claims the running session was stopped');
  assert.equal(site.domain.transactions.byId(second)!.status, 'RUNNING');
  await page.screenshot({ path: artifactPath('stop-result-phone.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('typing in the Sessions and Log filters survives the live reloads of the lists', { skip, timeout: 120_000 }, async (t) => {
  await using site = await staffSite();
  site.addIdTag('TAG-F');
  await site.addCharger('CP-F');
  const sim = new SimulatedCharger({ baseUrl: site.wsUrl, id: 'CP-F', connectors: 1, meterIntervalSec: 3600 });
  t.after(() => sim.stop());
  await sim.start();

  await using browser = await launchBrowser();
  const page = await browser.newPage({ viewport: DESKTOP });
  const problems = watchProblems(page);
  await page.goto(`${site.baseUrl}/transactions`);
  await submitLogin(page, 'staff', 'correct horse battery');
  await page.locator('[data-live=live]').waitFor();
  await page.fill('input[name=charger]', 'CP-');
  await page.fill('input[name=idTag]', 'TAG');
  // A session starts: the list reloads (its row appears) while the filter is still being typed.
  const txId = await sim.startSession(1, 'TAG-F');
  await page.locator(`tr[data-tx="${txId}"]`).waitFor();
  assert.equal(await page.inputValue('input[name=charger]'), 'CP-');
  assert.equal(await page.inputValue('input[name=idTag]'), 'TAG');

  await page.click('nav a:has-text("Log")');
  await page.locator('h1', { hasText: 'Message log' }).waitFor();
  await page.fill('input[name=action]', 'Status');
  await page.selectOption('select[name=direction]', 'IN');
  const before = await page.locator('tr[data-log]').count();
  await sim.setStatus(1, 'SuspendedEV'); // frames in and out: the live tail adds them
  await waitForRead('the log to show the new frames', () => page.locator('tr[data-log]').count(), (n) => n > before);
  assert.equal(await page.inputValue('input[name=action]'), 'Status');
  assert.equal(await page.inputValue('select[name=direction]'), 'IN');
  await page.screenshot({ path: artifactPath('log-filter-typing-desktop.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('Block and Unblock on an idTag row say so in words, and the users list shows each balance', { skip, timeout: 120_000 }, async () => {
  await using site = await staffSite();
  const kim = (await site.api('/api/admin/users', { body: { fullName: 'Kim Driver' } })).body.user;
  assert.equal((await site.api('/api/admin/id-tags', { body: { idTag: 'KIM-CARD', userId: kim.id } })).status, 201);
  const topUp = await site.api(`/api/admin/users/${kim.id}/wallet/top-up`, { body: { amount: 4250, description: 'cash', idempotencyKey: 'k-1' } });
  assert.ok(topUp.status < 300, JSON.stringify(topUp.body));

  await using browser = await launchBrowser();
  const page = await browser.newPage({ viewport: PHONE });
  const problems = watchProblems(page);
  await page.goto(`${site.baseUrl}/users`);
  await submitLogin(page, 'staff', 'correct horse battery');
  await waitForText(page.locator(`tr[data-user="${kim.id}"] td.num`), /^42\.50 EUR$/);

  const row = page.locator('tr[data-idtag="KIM-CARD"]');
  await row.locator('button', { hasText: 'Block' }).click();
  await row.locator('button', { hasText: 'Yes, block' }).click();
  await row.locator('.badge', { hasText: 'Blocked' }).waitFor();
  await row.locator('button', { hasText: 'Unblock' }).click();
  // Exactly "Block": a substring match also finds "Unblock", which is there before the answer comes.
  await row.locator('button', { hasText: /^Block$/ }).waitFor();
  assert.equal(site.domain.idTagRegistry.byIdTag('KIM-CARD')!.status, 'Accepted');
  const text = await row.innerText();
  assert.doesNotMatch(text, /[{}"]/, `no JSON in the row: ${text}`);
  await page.screenshot({ path: artifactPath('idtag-unblocked-phone.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('the dashboard says the server is unreachable when it goes down, instead of showing chargers online', { skip, timeout: 120_000 }, async (t) => {
  const site = await staffSite();
  t.after(() => site[Symbol.asyncDispose]());
  await site.addCharger('CP-D');
  const sim = new SimulatedCharger({ baseUrl: site.wsUrl, id: 'CP-D', connectors: 1, meterIntervalSec: 3600 });
  t.after(() => sim.stop());
  await sim.start();

  await using browser = await launchBrowser();
  const page = await browser.newPage({ viewport: PHONE });
  await page.goto(site.baseUrl);
  await submitLogin(page, 'staff', 'correct horse battery');
  const card = page.locator('[data-charger="CP-D"]');
  await waitForText(card.locator('[data-testid=online]'), 'online');
  await waitForText(page.locator('[data-testid=health-status]'), 'ok');
  assert.equal(await page.locator('[data-testid=connection-lost]').count(), 0);

  await site.stop();
  await page.locator('[data-testid=connection-lost]').waitFor({ timeout: 15_000 });
  await waitForText(card.locator('[data-testid=online]'), 'not known');
  await waitForText(page.locator('[data-testid=health-status]'), 'unreachable');
  await page.screenshot({ path: artifactPath('dashboard-server-down-phone.png'), fullPage: true });
});

test('"Last heard" follows every frame a charger sends, not only Heartbeat', { skip, timeout: 120_000 }, async (t) => {
  await using site = await staffSite();
  await site.addCharger('CP-H');
  const sim = new SimulatedCharger({ baseUrl: site.wsUrl, id: 'CP-H', connectors: 1, meterIntervalSec: 3600 });
  t.after(() => sim.stop());
  await sim.start(); // boot, then no Heartbeat for 600 s

  await using browser = await launchBrowser();
  const page = await browser.newPage({ viewport: DESKTOP });
  const problems = watchProblems(page);
  await page.goto(`${site.baseUrl}/chargers`);
  await submitLogin(page, 'staff', 'correct horse battery');
  await page.locator('[data-live=live]').waitFor();
  const cell = page.locator('tr[data-charger="CP-H"] [data-testid=last-heard]');
  const atBoot = await waitForText(cell, /\d/);
  await new Promise((r) => setTimeout(r, 1500)); // the page shows seconds
  await sim.setStatus(1, 'Preparing');
  const later = await waitForRead('"Last heard" to move on a StatusNotification', () => cell.innerText({ timeout: 1000 }), (v) => v !== atBoot, 8_000);
  // The API says so too (a fresh load), not only the page's live patch.
  await page.reload();
  await waitForRead('"Last heard" after a reload', () => cell.innerText({ timeout: 1000 }), (v) => v !== atBoot && /\d/.test(v));
  const api = (await site.api('/api/admin/chargers')).body.chargers.find((c: { chargePointId: string }) => c.chargePointId === 'CP-H');
  assert.ok(Date.parse(api.lastSeenAt) > Date.parse(site.domain.chargers.byChargePointId('CP-H')!.lastBootAt!), `lastSeenAt ${api.lastSeenAt} is after the boot`);
  assert.ok(later);
  await page.screenshot({ path: artifactPath('last-heard-desktop.png'), fullPage: true });
  assert.deepEqual(problems, []);
});
