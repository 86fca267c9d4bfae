// The admin page's screens for OCPP's optional profiles, in Chromium against the real server with
// simulated chargers and site load balancing on: reservations, local list, charging profiles and the
// composite schedule, firmware and diagnostics, the live allocation and the files list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startTestSite, type TestSite } from '../support/testSite.js';
import { waitFor } from '../support/waitFor.js';
import { SimulatedCharger } from '../../src/sim/simulatedCharger.js';
import { artifactPath, browserSkipReason, launchBrowser, PHONE, submitLogin, openSections, waitForText, watchProblems } from '../support/browser.js';

const skip = browserSkipReason();
const W_PER_A = 230 * 3;

async function logIn(page: Page, site: TestSite, path: string, username: string, password: string): Promise<void> {
  await page.goto(`${site.baseUrl}${path}`);
  await submitLogin(page, username, password);
  await page.locator('[data-live=live]').waitFor();
}

async function noSidewaysScroll(page: Page, where: string): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `no sideways scrolling on ${where} at phone width (${width}px)`);
}

/** A simulator that has its safe default profile from the load balancer (so it is steered from now on). */
async function startSim(site: TestSite, id: string): Promise<SimulatedCharger> {
  await site.addCharger(id);
  const sim = new SimulatedCharger({ baseUrl: site.wsUrl, id, connectors: 2, powerW: 22000, meterIntervalSec: 3600 });
  await sim.start();
  await waitFor(`${id}'s safe default profile`, () => sim.cp.received.some((c) => c.action === 'SetChargingProfile'));
  return sim;
}

test('operators reserve, send the local list, set a profile, see the site allocation live, upload and install firmware', { skip, timeout: 180_000 }, async (t) => {
  await using site = await startTestSite({ 'ocpp.heartbeatIntervalSec': 60, loadBalancing: { enabled: true, siteLimitA: 32, minCurrentA: 6, phases: 3, raiseIntervalSec: 0, responseSec: 0 } });
  await site.domain.adminUsers.create({ username: 'ops', password: 'correct horse battery', role: 'admin' });
  await site.domain.adminUsers.create({ username: 'watcher', password: 'another long password', role: 'viewer' });
  for (const tag of ['TAG-1', 'TAG-2', 'TAG-R']) site.addIdTag(tag);
  const a = await startSim(site, 'CP-A');
  const b = await startSim(site, 'CP-B');
  t.after(async () => { await a.stop(); await b.stop(); });
  // Two sessions share the 32 A site limit; each car then reports what it draws under its share.
  await a.startSession(1, 'TAG-1');
  await b.startSession(1, 'TAG-2');
  await site.blocks.loadBalancer.settled();
  // Two rounds: the first shows A's lower (B rises after it), the second what B draws at its share.
  for (let round = 0; round < 2; round++) {
    for (const sim of [a, b]) { await sim.sendMeterValues(1, sim.powerOf(sim.connectors[1]!)); await site.blocks.loadBalancer.settled(); }
  }

  await using browser = await launchBrowser();
  const page = await browser.newPage({ viewport: PHONE });
  const problems = watchProblems(page);
  await logIn(page, site, '/chargers/CP-A', 'ops', 'correct horse battery');
  await page.locator('h1', { hasText: 'CP-A' }).waitFor();
  await openSections(page);

  // Reservation: the busy connector is refused, and the page says so plainly.
  const reservations = page.locator('[data-testid=reservations]');
  await reservations.locator('select[name=connectorId]').selectOption('1');
  await reservations.locator('input[name=reservedFor]').fill('TAG-R');
  await reservations.locator('button[type=submit]').click();
  await reservations.locator('.error', { hasText: 'The charger refused: occupied.' }).waitFor();
  // Reserve the free connector for an idTag, see it listed, then cancel it (asked first).
  await reservations.locator('select[name=connectorId]').selectOption('2');
  await reservations.locator('input[name=reservedFor]').fill('TAG-R');
  await reservations.locator('button[type=submit]').click();
  const row = reservations.locator('tr[data-reservation]', { hasText: 'TAG-R' });
  await row.locator('td', { hasText: 'Accepted' }).waitFor();
  const reservationId = Number(await row.getAttribute('data-reservation'));
  assert.equal(site.domain.reservations.byId(reservationId)!.status, 'Accepted');
  await waitFor('the simulator to report connector 2 Reserved', () => a.connectors[2]!.status === 'Reserved');
  await row.locator('button', { hasText: `Cancel reservation #${reservationId}` }).click();
  await row.locator('.confirm', { hasText: 'Cancel the reservation of connector #2 for TAG-R?' }).waitFor();
  await row.locator('button', { hasText: `Yes, cancel reservation #${reservationId}` }).click();
  await row.waitFor({ state: 'detached' });
  assert.equal(site.domain.reservations.byId(reservationId)!.status, 'Cancelled');
  assert.equal(a.cp.received.filter((c) => c.action === 'CancelReservation').at(-1)!.payload.reservationId, reservationId);

  // Local list: a full list goes out and its version shows.
  const localList = page.locator('[data-testid=local-list]');
  await localList.locator('[data-testid=list-version]', { hasText: 'never sent' }).waitFor();
  await localList.locator('button', { hasText: 'Send full list' }).click();
  await localList.locator('.result', { hasText: 'Send full list: Accepted: version 1 (Full, 3 tags)' }).waitFor();
  await localList.locator('[data-testid=list-version]', { hasText: /^1$/ }).waitFor();
  await localList.locator('[data-testid=list-in-sync]', { hasText: 'yes' }).waitFor();
  const list = a.cp.received.filter((c) => c.action === 'SendLocalList').at(-1)!.payload;
  assert.equal(list.listVersion, 1);
  assert.deepEqual(list.localAuthorizationList.map((e: { idTag: string }) => e.idTag).sort(), ['TAG-1', 'TAG-2', 'TAG-R']);

  // Charging profile: 10 A by default on connector 2 at stack level 3; the charger obeys; listed; composite schedule agrees.
  const profiles = page.locator('[data-testid=profiles]');
  const form = profiles.locator('form').first();
  // A limit of 0 where a session charges would pause it: asked first, and Cancel sends nothing.
  const profilesSent = () => a.cp.received.filter((c) => c.action === 'SetChargingProfile').length;
  const before = profilesSent();
  await form.locator('select[name=connectorId]').selectOption('1');
  await form.locator('input[name=limit]').fill('0');
  await form.locator('button[type=submit]').click();
  await waitForText(form.locator('.confirm > span').first(), /^A limit of 0 A pauses charging \(session #\d+ stops drawing power\) until the profile is cleared\. Set it\?$/);
  await form.locator('button', { hasText: 'Cancel' }).click();
  await form.locator('.confirm').waitFor({ state: 'detached' });
  assert.equal(profilesSent(), before, 'cancelled: nothing sent to the charger');
  await form.locator('select[name=connectorId]').selectOption('2');
  await form.locator('input[name=limit]').fill('10');
  await form.locator('input[name=stackLevel]').fill('3');
  await form.locator('button[type=submit]').click();
  await form.locator('.result', { hasText: 'Accepted' }).waitFor();
  const sent = a.cp.received.filter((c) => c.action === 'SetChargingProfile').at(-1)!.payload;
  assert.equal(sent.connectorId, 2);
  assert.deepEqual({ ...sent.csChargingProfiles, chargingSchedule: undefined }, {
    chargingProfileId: 1, stackLevel: 3, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Relative', chargingSchedule: undefined,
  });
  assert.deepEqual(sent.csChargingProfiles.chargingSchedule, { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] });
  assert.equal(a.connectors[2]!.limitW, 10 * W_PER_A, 'the simulator applies the limit');
  // The whole row, status included (a reload may show the limit before the charger's answer).
  await waitForText(profiles.locator('tr[data-profile="1"]'), /^1 TxDefaultProfile\s+connector #2 · stack 3\s+10 A\s+Accepted/);
  const lookup = profiles.locator('form').last();
  await lookup.locator('select[name=connectorId]').selectOption('2');
  await lookup.locator('button[type=submit]').click();
  await profiles.locator('[data-testid=composite] td', { hasText: '10 A' }).waitFor();

  // Firmware and diagnostics need a file first: none uploaded yet, said plainly.
  const firmware = page.locator('[data-testid=firmware]');
  await firmware.locator('text=To update the firmware, upload it on the').waitFor();
  await page.screenshot({ path: artifactPath('charger-blocks.png'), fullPage: true });
  for (const id of ['local-list', 'reservations', 'profiles', 'firmware']) await page.locator(`[data-testid=${id}]`).screenshot({ path: artifactPath(`charger-${id}.png`) });
  await noSidewaysScroll(page, 'the charger page');

  // Energy page: the live allocation of the two sessions, each 16 A of 32 A, drawing what it was given.
  await page.click('nav a:has-text("Load & files")');
  const lb = page.locator('[data-testid=load-balancing]');
  await lb.locator('[data-testid=site-limit]', { hasText: '32 A' }).waitFor();
  await lb.locator('tr[data-allocation]').nth(1).waitFor();
  const view = (await site.api('/api/admin/load-balancing')).body;
  assert.deepEqual(view.rows.map((r: { allocatedA: number }) => r.allocatedA), [16, 16]);
  // The page shows what the API says (once its rows have re-rendered with the profiles' answers and the draw).
  for (const r of view.rows) {
    await waitForText(lb.locator(`tr[data-allocation="${r.transactionId}"]`),
      new RegExp(`^${r.chargePointId} #1\\s*· session #${r.transactionId}\\s+site · L1\\+L2\\+L3\\s+Accepted TxProfile\\s+shares site L1 \\(full\\)\\s+16 A\\s+6–∞ A\\s+16/16/16 A$`));
  }
  await waitForText(lb.locator('[data-testid=allocated-total]'), '32 A');
  // The circuit tree: the site's limit, what is allocated and measured per phase, no headroom left.
  await waitForText(lb.locator('tr[data-circuit=site]'), /^site\s+32 A\s+32\/32\/32\s+32\/32\/32\s+32\/32\/32\s+0\/0\/0$/);

  // Firmware upload through the page; it is listed.
  const image = Buffer.from('firmware image 1.2 for the simulator\n'.repeat(100));
  const files = page.locator('[data-testid=files]');
  await files.locator('input[type=file]').setInputFiles({ name: 'fw 1.2.bin', mimeType: 'application/octet-stream', buffer: image });
  await files.locator('button[type=submit]').click();
  await files.locator('.result', { hasText: 'Uploaded' }).waitFor();
  await files.locator('tr[data-file="fw_1.2.bin"]', { hasText: 'firmware' }).waitFor();
  assert.equal(site.count('file', "kind = 'firmware' AND name = 'fw_1.2.bin'"), 1, 'stored under a name chargers can fetch');
  // A security event the charger reports appears without a reload.
  await a.cp.call('SecurityEventNotification', { type: 'InvalidFirmwareSignature', timestamp: new Date().toISOString(), techInfo: 'signature check failed' });
  await waitForText(page.locator('[data-testid=security-events] tr', { hasText: 'InvalidFirmwareSignature' }), /^InvalidFirmwareSignature\s+signature check failed\s+CP-A\s/);
  await page.screenshot({ path: artifactPath('energy.png'), fullPage: true });
  await noSidewaysScroll(page, 'the energy page');

  // A session ends at the charger: the allocation follows without a reload (transaction.* events).
  await b.stopSession(1);
  await lb.locator('tr[data-allocation]').nth(1).waitFor({ state: 'detached' });
  await lb.locator('tr[data-allocation]').first().waitFor();

  // Back on the charger: install the uploaded firmware (asked first) and fetch diagnostics; statuses follow the simulator.
  await page.goto(`${site.baseUrl}/chargers/CP-A`);
  await openSections(page);
  // The file list loads after the panel: wait for the uploaded image to be offered, not just the select.
  await firmware.locator('select[name=fileId] option', { hasText: 'fw_1.2.bin' }).waitFor({ state: 'attached' });
  assert.match(await firmware.locator('select[name=fileId]').innerText(), /fw_1\.2\.bin/);
  await firmware.locator('button', { hasText: 'Update firmware' }).click();
  await firmware.locator('button', { hasText: 'Yes, update firmware' }).click();
  await firmware.locator('[data-testid=firmware-status]', { hasText: 'Installed' }).waitFor();
  await firmware.locator('button', { hasText: 'Request diagnostics' }).click();
  await firmware.locator('[data-testid=diagnostics-status]', { hasText: 'Uploaded' }).waitFor();
  const diagnostics = firmware.locator('a[href^="/api/admin/files/"]', { hasText: /^diagnostics-\d+\.log$/ });
  await diagnostics.waitFor();
  const download = await page.request.get(`${site.baseUrl}${await diagnostics.getAttribute('href')}`);
  assert.match(await download.text(), /^ocpp-edge simulator CP-A\n/, 'the uploaded diagnostics file downloads');

  assert.deepEqual(problems, []);

  // A viewer sees every panel but no action buttons.
  const viewer = await browser.newPage({ viewport: PHONE });
  await logIn(viewer, site, '/chargers/CP-A', 'watcher', 'another long password');
  await openSections(viewer);
  await viewer.locator('[data-testid=list-version]', { hasText: /^1$/ }).waitFor();
  await viewer.locator('[data-testid=profiles] tr[data-profile="1"]').waitFor();
  for (const label of ['Reserve', 'Send full list', 'Set profile', 'Clear', 'Update firmware', 'Request diagnostics']) {
    assert.equal(await viewer.locator('button', { hasText: label }).count(), 0, `viewer sees no "${label}" button`);
  }
  await viewer.click('nav a:has-text("Load & files")');
  await viewer.locator('tr[data-file="fw_1.2.bin"]').waitFor();
  assert.equal(await viewer.locator('[data-testid=files] button').count(), 0, 'viewer cannot upload or delete files');
});
