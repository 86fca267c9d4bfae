// The Settings page in a real browser against the real server: API tokens made and revoked in the page
// work (and stop working) over plain HTTP, a viewer made in the page sees no admin actions, and a
// password changed in the page is the one that logs in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';
import { artifactPath, browserSkipReason, launchBrowser, PHONE, submitLogin, openSections, waitForText, waitForValue, watchProblems } from '../support/browser.js';

const skip = browserSkipReason();

test('settings: tokens work until revoked, a viewer sees no admin actions, a changed password logs in', { skip, timeout: 120_000 }, async () => {
  await using site = await startTestSite();
  await site.domain.adminUsers.create({ username: 'boss', password: 'correct horse battery', role: 'admin' });
  const probe = (token: string) => fetch(`${site.baseUrl}/api/admin/chargers`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);

  await using browser = await launchBrowser();
  const page = await browser.newPage({ viewport: PHONE });
  const problems = watchProblems(page);
  await page.goto(`${site.baseUrl}/settings`);
  await submitLogin(page, 'boss', 'correct horse battery');
  await page.locator('h1', { hasText: 'Settings' }).waitFor();
  await page.locator('[data-testid=version]', { hasText: /\d/ }).waitFor();
  await page.locator('[data-testid=mqtt] .badge').waitFor();
  await page.locator('[data-testid=storage] .badge', { hasText: 'ok' }).waitFor();

  // A token made in the page works over HTTP.
  const tokens = page.locator('[data-testid=tokens-card]');
  await tokens.locator('input[name=name]').fill('office script');
  await tokens.locator('select[name=role]').selectOption('viewer');
  await tokens.locator('button[type=submit]').click();
  const shown = tokens.locator('[data-testid=new-token]');
  await shown.waitFor();
  const token = await shown.inputValue();
  assert.match(token, /^oe_/, 'the token is shown once, in full');
  assert.equal(await probe(token), 200, 'the new token is accepted');
  const row = tokens.locator('tr[data-token="office script"]');
  await row.locator('td', { hasText: 'viewer' }).waitFor();

  // Revoked in the page (after a confirmation): the same request now gets 401.
  await row.locator('button', { hasText: 'Revoke' }).click();
  await row.locator('.confirm', { hasText: 'Revoke office script?' }).waitFor();
  assert.equal(await probe(token), 200, 'nothing happens before the confirmation');
  await row.locator('button', { hasText: 'Yes, revoke' }).click();
  await row.locator('button', { hasText: 'Revoke' }).waitFor({ state: 'detached' });
  assert.equal(await probe(token), 401, 'the revoked token is refused');

  // A weak password is refused plainly; then a viewer account is made.
  const staff = page.locator('[data-testid=staff-card]');
  await staff.locator('input[name=username]').fill('watcher');
  await staff.locator('input[name=password]').fill('short');
  await staff.locator('button[type=submit]').click();
  await waitForText(staff.locator('.error[role=alert]'), /^That password is too weak: a password needs at least \d+ characters\.$/);
  await staff.locator('input[name=password]').fill('another long password');
  await staff.locator('button[type=submit]').click();
  await staff.locator('tr[data-staff=watcher] td', { hasText: 'viewer' }).waitFor();
  assert.equal(site.domain.adminUsers.byUsername('watcher')?.role, 'viewer');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `no sideways scrolling at phone width (page is ${width}px wide)`);
  await page.screenshot({ path: artifactPath('settings.png'), fullPage: true });

  // The viewer sees the site and their own password form, and no staff or token management.
  // The logout answered late, as on a loaded machine: the page stays up meanwhile, and its staff card has
  // username and password fields too; the login must still go to the login form.
  await page.route('**/api/auth/logout', async (r) => { await new Promise((res) => setTimeout(res, 1500)); await r.continue(); });
  await page.click('button:has-text("Log out")');
  await submitLogin(page, 'watcher', 'another long password');
  await page.locator('.who', { hasText: 'watcher (viewer)' }).waitFor();
  await page.goto(`${site.baseUrl}/settings`);
  await page.locator('[data-testid=admin-only]').waitFor();
  await page.locator('[data-testid=site-card]').waitFor();
  assert.equal(await page.locator('[data-testid=staff-card]').count(), 0);
  assert.equal(await page.locator('[data-testid=tokens-card]').count(), 0);
  for (const label of ['Revoke', 'Create token', 'Create account', 'Disable', 'Make admin']) {
    assert.equal(await page.locator('button', { hasText: label }).count(), 0, `viewer sees no "${label}" button`);
  }

  // Changing one's own password: a wrong current one is refused plainly, the right one ends the
  // session, and only the new password logs in.
  const mine = page.locator('[data-testid=password-card]');
  await mine.locator('input[name=currentPassword]').fill('not my password');
  await mine.locator('input[name=newPassword]').fill('a brand new passphrase');
  await mine.locator('input[name=repeatPassword]').fill('a brand new passphrase');
  await mine.locator('button[type=submit]').click();
  await waitForText(mine.locator('.error[role=alert]'), 'Wrong username or password.');
  await mine.locator('input[name=currentPassword]').fill('another long password');
  await mine.locator('button[type=submit]').click();
  await page.locator('input[name=username]').waitFor();
  await submitLogin(page, 'watcher', 'another long password');
  await waitForText(page.locator('.error[role=alert]'), 'Wrong username or password.'); // the old password no longer works
  await submitLogin(page, 'watcher', 'a brand new passphrase');
  await page.locator('.who', { hasText: 'watcher (viewer)' }).waitFor();
  assert.deepEqual(problems, []);
});

test('settings: the charger edit form sets and clears Max current (A)', { skip, timeout: 60_000 }, async () => {
  await using site = await startTestSite();
  await site.domain.adminUsers.create({ username: 'boss', password: 'correct horse battery', role: 'admin' });
  assert.ok((await site.api('/api/admin/chargers', { body: { chargePointId: 'CP-CAP' } })).status < 300);
  await using browser = await launchBrowser();
  const page = await browser.newPage({ viewport: PHONE });
  await page.goto(`${site.baseUrl}/chargers/CP-CAP`);
  await submitLogin(page, 'boss', 'correct horse battery');
  await openSections(page);
  const cap = page.locator('input[name=maxCurrentA]');
  await cap.fill('16');
  await cap.locator('xpath=ancestor::form').locator('button[type=submit]').click();
  await page.locator('.result', { hasText: 'Saved' }).waitFor();
  const maxCurrent = async () => (await site.api('/api/admin/chargers/CP-CAP')).body.charger.maxCurrentA;
  assert.equal(await maxCurrent(), 16);
  await page.reload();
  await openSections(page);
  await waitForValue(page.locator('input[name=maxCurrentA]'), '16'); // the form shows the stored cap
  await page.locator('input[name=maxCurrentA]').fill('');
  await page.locator('input[name=maxCurrentA]').locator('xpath=ancestor::form').locator('button[type=submit]').click();
  await page.locator('.result', { hasText: 'Saved' }).waitFor();
  assert.equal(await maxCurrent(), null, 'a blank field removes the cap');
});
