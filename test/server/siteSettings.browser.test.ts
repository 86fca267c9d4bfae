// The Settings page's site card in a real browser against the real server: an admin edits the site
// name and MQTT broker (the header follows without a reload, a restart note appears, the broker
// password stays hidden and is kept when the form is saved again); a bad URL is refused plainly; a
// viewer sees the site but no Edit button.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';
import { artifactPath, browserSkipReason, launchBrowser, PHONE, submitLogin, waitForText, waitForValue, watchProblems } from '../support/browser.js';

const skip = browserSkipReason();

test('settings: an admin edits the site in the page, a viewer cannot', { skip, timeout: 120_000 }, async () => {
  await using site = await startTestSite({ siteName: 'Old Yard' });
  await site.domain.adminUsers.create({ username: 'boss', password: 'correct horse battery', role: 'admin' });
  await site.domain.adminUsers.create({ username: 'watcher', password: 'another long password', role: 'viewer' });
  const brokerUrl = 'mqtt://site:s3cret@127.0.0.1:1884';

  await using browser = await launchBrowser();
  const page = await browser.newPage({ viewport: PHONE });
  const problems = watchProblems(page);
  await page.goto(`${site.baseUrl}/settings`);
  await submitLogin(page, 'boss', 'correct horse battery');
  const card = page.locator('[data-testid=site-card]');
  await card.locator('[data-testid=site-name]', { hasText: 'Old Yard' }).waitFor();
  await page.locator('.brand', { hasText: 'Old Yard' }).waitFor();

  // A bad broker URL: the API's error is shown and nothing is stored.
  await card.locator('button', { hasText: 'Edit' }).click();
  const form = card.locator('[data-testid=site-edit]');
  await form.locator('input[name=mqttUrl]').fill('http://broker.example');
  await form.locator('button[type=submit]').click();
  await waitForText(form.locator('.error[role=alert]'), /^MQTT broker URL: /);
  assert.deepEqual(site.domain.settings.site(), {});

  await form.locator('input[name=siteName]').fill('Depot North');
  await form.locator('input[name=mqttUrl]').fill(brokerUrl);
  await form.locator('button[type=submit]').click();
  await card.locator('[data-testid=site-saved]').waitFor();
  await card.locator('[data-testid=site-name]', { hasText: 'Depot North' }).waitFor();
  await page.locator('.brand', { hasText: 'Depot North' }).waitFor(); // the header, without a reload
  await waitForText(card.locator('[data-testid=restart-note]'), /^Restart needed: the new site id .*\(sudo systemctl restart ocpp-edge\)/);
  await waitForText(card.locator('[data-testid=site-mqtt]'), 'mqtt://****@127.0.0.1:1884');
  assert.doesNotMatch(await page.content(), /s3cret/, 'the broker password is not in the page');
  assert.equal((await site.api('/api/site', { token: null })).body.siteName, 'Depot North');
  assert.equal(site.domain.settings.get('mqtt.url'), brokerUrl);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `no sideways scrolling at phone width (page is ${width}px wide)`);
  await page.screenshot({ path: artifactPath('settings-site.png'), fullPage: true });

  // Saved again with the masked URL left as shown: only the name changes, the password is kept.
  await card.locator('button', { hasText: 'Edit' }).click();
  await waitForValue(form.locator('input[name=mqttUrl]'), 'mqtt://****@127.0.0.1:1884');
  await form.locator('input[name=siteName]').fill('Depot North 2');
  await form.locator('button[type=submit]').click();
  await page.locator('.brand', { hasText: 'Depot North 2' }).waitFor();
  assert.equal(site.domain.settings.get('mqtt.url'), brokerUrl);
  assert.equal(site.domain.settings.get('site.name'), 'Depot North 2');

  // A viewer sees the site, and no way to change it.
  await page.click('button:has-text("Log out")');
  await submitLogin(page, 'watcher', 'another long password');
  await page.locator('.who', { hasText: 'watcher (viewer)' }).waitFor();
  await page.goto(`${site.baseUrl}/settings`);
  await card.locator('[data-testid=site-name]', { hasText: 'Depot North 2' }).waitFor();
  await card.locator('[data-testid=version]', { hasText: /\d/ }).waitFor();
  assert.equal(await card.locator('button', { hasText: 'Edit' }).count(), 0, 'viewer sees no Edit button');
  assert.equal(await card.locator('[data-testid=site-edit]').count(), 0);
  assert.deepEqual(problems, []);
});
