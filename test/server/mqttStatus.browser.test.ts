// The MQTT sync state on the admin page, in a real browser against the real server and a real (aedes)
// broker: while the broker refuses the site's login, the dashboard and Settings show the state, the
// backlog and the broker's refusal as readable text (not "[object Object]", not nothing); once the
// broker accepts, both show connected and Settings shows the last publish.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { startTestSite } from '../support/testSite.js';
import { startAedesBroker } from '../support/mqttBroker.js';
import { artifactPath, browserSkipReason, launchBrowser, PHONE, submitLogin, waitForRead, waitForText, watchProblems } from '../support/browser.js';
import { chargingSession, mqttOverrides, waitUntil } from '../support/syncTestKit.js';

const skip = browserSkipReason();

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/** Opens Settings and waits for the MQTT state badge to read `state` (it is '–' until health has loaded). */
async function settingsMqtt(page: Page, baseUrl: string, state: string | RegExp) {
  await page.goto(`${baseUrl}/settings`);
  const facts = page.locator('[data-testid=mqtt]');
  await waitForText(facts.locator('.badge'), state);
  return facts;
}

/** Waits for a <time>'s datetime to be `iso` (the page re-rendered with this value, not an older one). */
const waitForDatetime = (time: Locator, iso: string) =>
  waitForRead(`${time} to be ${iso}`, () => time.getAttribute('datetime', { timeout: 1000 }), (v) => v === iso);

test('admin page: MQTT state, backlog and a readable broker error; connected and last publish once the broker accepts', { skip, timeout: 120_000 }, async () => {
  // The broker reads this on every CONNECT: the site's password is wrong until the test "fixes the broker".
  const users: Record<string, string> = { 'site-m': 'the-right-one' };
  await using broker = await startAedesBroker({ users });
  await using site = await startTestSite(mqttOverrides(broker.url, 'site-m', { 'mqtt.username': 'site-m', 'mqtt.password': 'wrong-password' }));
  await site.domain.adminUsers.create({ username: 'boss', password: 'correct horse battery', role: 'admin' });
  site.addIdTag('TAG-1');
  const cp = await site.connectCharger('CP-1');
  await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'Wallbox' });
  await chargingSession(cp, 'TAG-1');
  await waitUntil(() => /refused the connection/.test(site.sync.status().lastError?.message ?? ''), 'the refusal in the status');
  const backlog = site.sync.status().backlog.count;
  assert.ok(backlog >= 5, `events kept for later: ${backlog}`);

  await using browser = await launchBrowser();
  const page = await browser.newPage({ viewport: PHONE });
  const problems = watchProblems(page);
  await page.goto(`${site.baseUrl}/`);
  await submitLogin(page, 'boss', 'correct horse battery');

  // Dashboard: state, backlog and the refusal in words, with when it happened.
  const tile = page.locator('[data-testid=sync-tile]');
  // Wait for health to have loaded (the tile shows '–' until then), then read it.
  await tile.locator('[data-testid=sync-state]', { hasText: /^(disconnected|connecting)$/ }).waitFor();
  await waitForText(tile.locator('[data-testid=sync-backlog]'), `backlog ${backlog}`);
  const dashError = tile.locator('[data-testid=sync-error]');
  await waitForText(dashError, /refused the connection: bad user name or password \(check mqtt\.username and mqtt\.password\)/);
  assert.match(await dashError.locator('time').getAttribute('datetime') ?? '', ISO);
  assert.doesNotMatch(await page.content(), /object Object|wrong-password/);
  await page.screenshot({ path: artifactPath('mqtt-refused-dashboard.png'), fullPage: true });

  // Settings: the same, in the MQTT facts.
  let facts = await settingsMqtt(page, site.baseUrl, /^(disconnected|connecting)$/);
  await waitForText(facts.locator('[data-testid=mqtt-backlog]'), new RegExp(`^${backlog} event\\(s\\), oldest `));
  const lastError = facts.locator('[data-testid=mqtt-last-error]');
  await waitForText(lastError, /refused the connection: bad user name or password/);
  assert.match(await lastError.locator('time').getAttribute('datetime') ?? '', ISO);
  // '–' is also what shows before health loads: read once the badge says health is in.
  assert.equal(await facts.locator('[data-testid=mqtt-last-publish]').innerText(), '–', 'nothing published yet');
  assert.doesNotMatch(await page.content(), /object Object|wrong-password/);
  await page.screenshot({ path: artifactPath('mqtt-refused.png'), fullPage: true });

  // The broker now accepts the site's password: it catches up on its own (no restart).
  users['site-m'] = 'wrong-password';
  await waitUntil(() => site.sync.status().state === 'connected' && site.sync.status().backlog.count === 0, 'the site to connect and catch up');
  const lastPublishAt = site.sync.status().lastPublishAt!;
  facts = await settingsMqtt(page, site.baseUrl, 'connected');
  await waitForText(facts.locator('[data-testid=mqtt-backlog]'), '0 event(s)');
  await waitForDatetime(facts.locator('[data-testid=mqtt-last-publish] time'), lastPublishAt);
  await waitForText(facts.locator('[data-testid=mqtt-last-error]'), /refused the connection/); // the past error stays readable in Settings

  await page.goto(`${site.baseUrl}/`);
  await tile.locator('[data-testid=sync-state]', { hasText: 'connected' }).waitFor();
  await waitForText(tile.locator('[data-testid=sync-backlog]'), 'backlog 0');
  await waitForDatetime(tile.locator('[data-testid=sync-last-publish] time'), lastPublishAt);
  assert.equal(await tile.locator('[data-testid=sync-error]').count(), 0, 'a past error is not shown on the dashboard once connected');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `no sideways scrolling at phone width (page is ${width}px wide)`);
  await page.screenshot({ path: artifactPath('mqtt-connected.png'), fullPage: true });
  assert.deepEqual(problems, []);
});
