// The Users pages in Chromium against the real server with a simulated charger: create and edit a user,
// add, edit (user, expiry, note) and block idTags, block and unblock the user (their tags refused at the
// charger, the page showing it), top up the wallet and see the ledger row, and remote-start for a user.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startTestSite } from '../support/testSite.js';
import { waitFor } from '../support/waitFor.js';
import { SimulatedCharger } from '../../src/sim/simulatedCharger.js';
import { browserSkipReason, launchBrowser, PHONE, submitLogin, waitForRead, waitForText, waitForValue, watchProblems } from '../support/browser.js';

const skip = browserSkipReason();

const formWith = (page: Page, button: string) => page.locator('form', { has: page.locator('button[type=submit]', { hasText: button }) });

test('staff create, edit and block users and idTags, top up a wallet and remote-start for a user', { skip, timeout: 180_000 }, async (t) => {
  await using site = await startTestSite({ 'ocpp.heartbeatIntervalSec': 60 });
  await site.domain.adminUsers.create({ username: 'staff', password: 'correct horse battery', role: 'admin' });
  const lee = (await site.api('/api/admin/users', { body: { fullName: 'Lee Other' } })).body.user;
  await site.addCharger('CP-U');
  const sim = new SimulatedCharger({ baseUrl: site.wsUrl, id: 'CP-U', connectors: 1, meterIntervalSec: 3600 });
  t.after(() => sim.stop());
  await sim.start();
  const authorize = async (idTag: string) => (await sim.cp.call('Authorize', { idTag })).idTagInfo.status;

  await using browser = await launchBrowser();
  const page = await browser.newPage({ viewport: PHONE });
  const problems = watchProblems(page);
  await page.goto(`${site.baseUrl}/users`);
  await submitLogin(page, 'staff', 'correct horse battery');
  await page.locator('[data-live=live]').waitFor();

  // Create: the page opens the new user, active.
  const create = formWith(page, 'Create user');
  await create.locator('input[name=fullName]').fill('Kim Driver');
  await create.locator('input[name=phoneNumber]').fill('+31 600 000 01');
  await create.locator('button[type=submit]').click();
  await page.waitForURL(/\/users\/\d+$/);
  const kimId = Number(/\/users\/(\d+)$/.exec(page.url())![1]);
  await page.locator('h1', { hasText: 'Kim Driver' }).waitFor();
  await waitForText(page.locator('[data-testid=user-status]'), 'Active');
  assert.equal(site.domain.users.byId(kimId)!.phoneNumber, '+31 600 000 01');

  // Edit the details.
  const details = formWith(page, 'Save').filter({ has: page.locator('input[name=fullName]') });
  await details.locator('input[name=email]').fill('kim@example.org');
  await details.locator('button[type=submit]').click();
  await details.locator('.result', { hasText: 'Saved' }).waitFor();
  assert.equal(site.domain.users.byId(kimId)!.email, 'kim@example.org');

  // Add idTags on the user's page: they belong to Kim.
  const addTag = formWith(page, 'Add idTag');
  for (const tag of ['KIM-0', 'KIM-1', 'KIM-2']) {
    await addTag.locator('input[name=idTag]').fill(tag);
    await addTag.locator('button[type=submit]').click();
    await page.locator(`tr[data-idtag="${tag}"]`).waitFor();
  }
  assert.equal(site.domain.idTagRegistry.byIdTag('KIM-1')!.userId, kimId);

  // Edit a tag: an expiry date and a note; then move another tag to Lee (it leaves Kim's list).
  const row = (tag: string) => page.locator(`tr[data-idtag="${tag}"]`);
  await row('KIM-1').locator('button', { hasText: 'Edit' }).click();
  const edit1 = page.locator('tr[data-idtag-edit="KIM-1"]');
  await edit1.locator('input[name=expiryDate]').fill('2031-05-06');
  await edit1.locator('input[name=description]').fill('blue card');
  await edit1.locator('button', { hasText: 'Save KIM-1' }).click();
  await row('KIM-1').locator('small', { hasText: 'blue card' }).waitFor();
  await edit1.waitFor({ state: 'detached' });
  await waitForRead('KIM-1 to show an expiry', () => row('KIM-1').locator('[data-testid=expires]').innerText({ timeout: 1000 }), (text) => text !== 'never');
  const kim1 = site.domain.idTagRegistry.byIdTag('KIM-1')!;
  assert.deepEqual([kim1.expiryDate, kim1.description, kim1.userId], ['2031-05-06T00:00:00.000Z', 'blue card', kimId]);
  await row('KIM-2').locator('button', { hasText: 'Edit' }).click();
  const edit2 = page.locator('tr[data-idtag-edit="KIM-2"]');
  await edit2.locator('select[name=userId]').selectOption({ label: `Lee Other (#${lee.id})` });
  await edit2.locator('button', { hasText: 'Save KIM-2' }).click();
  await row('KIM-2').waitFor({ state: 'detached' });
  assert.equal(site.domain.idTagRegistry.byIdTag('KIM-2')!.userId, lee.id);

  // Block a tag (asked first), and unblock it; the charger hears the difference.
  await row('KIM-0').locator('button', { hasText: 'Block' }).click();
  await row('KIM-0').locator('.confirm', { hasText: 'Block KIM-0? It can no longer start sessions.' }).waitFor();
  await row('KIM-0').locator('button', { hasText: 'Yes, block' }).click();
  await row('KIM-0').locator('.badge', { hasText: 'Blocked' }).waitFor();
  assert.equal(await authorize('KIM-0'), 'Blocked');
  assert.equal(await authorize('KIM-1'), 'Accepted');

  // Block the user (asked first): every tag of theirs is refused, the page says so.
  await page.click('button:has-text("Block user")');
  await page.locator('.confirm', { hasText: 'Block Kim Driver? None of their idTags can start a session until unblocked.' }).waitFor();
  await page.click('button:has-text("Yes, block user")');
  await page.locator('[data-testid=user-status]', { hasText: 'Blocked' }).waitFor();
  await row('KIM-1').locator('.badge', { hasText: 'user blocked' }).waitFor();
  assert.equal(await authorize('KIM-1'), 'Blocked');
  assert.equal(site.domain.idTagRegistry.byIdTag('KIM-1')!.status, 'Accepted', 'the tag keeps its own status');
  await page.click('nav a:has-text("Users")');
  await page.locator(`tr[data-user="${kimId}"] .badge`, { hasText: 'Blocked' }).waitFor();
  await page.locator(`tr[data-user="${lee.id}"] .badge`, { hasText: 'Active' }).waitFor();

  // Remote start for the blocked user is refused plainly.
  await page.goto(`${site.baseUrl}/chargers/CP-U`);
  const start = page.locator('[data-testid=remote-start]');
  // Users and idTags load separately, and picking a user takes its tag from the idTags loaded by then:
  // wait for both (the idTag datalist offers every tag while no user is picked).
  const tagsLoaded = () => start.locator('datalist#idtags option[value="KIM-1"]').waitFor({ state: 'attached' });
  await tagsLoaded();
  await start.locator('select[name=startUser] option', { hasText: 'Kim Driver (blocked)' }).waitFor({ state: 'attached' });
  await start.locator('select[name=startUser]').selectOption({ label: 'Kim Driver (blocked)' });
  await start.locator('button', { hasText: 'Remote start' }).click();
  await start.locator('.error', { hasText: 'This card cannot start a session here: blocked.' }).waitFor();
  assert.equal(sim.cp.received.filter((c) => c.action === 'RemoteStartTransaction').length, 0);

  // Unblock: the tags are as they were (KIM-0 still blocked on its own).
  await page.goto(`${site.baseUrl}/users/${kimId}`);
  await page.click('button:has-text("Unblock user")');
  await page.locator('[data-testid=user-status]', { hasText: 'Active' }).waitFor();
  assert.equal(await authorize('KIM-1'), 'Accepted');
  assert.equal(await authorize('KIM-0'), 'Blocked');

  // Top up the wallet (asked first): the balance and a ledger row with the note appear.
  const topUp = page.locator('[data-testid=top-up]');
  await topUp.locator('input[name=amount]').fill('12.50');
  await topUp.locator('input[name=description]').fill('cash at desk');
  await topUp.locator('button[type=submit]').click();
  await topUp.locator('button', { hasText: 'Yes, top up' }).click();
  await waitForText(page.locator('tr', { hasText: 'cash at desk' }), /Top-up\s+cash at desk\s+12\.50 \w+\s+12\.50 \w+$/);
  await waitForText(page.locator('[data-testid=wallet-balance]'), /^12\.50 \w+$/);
  assert.equal(site.domain.wallets.forUser(kimId)!.balance, 1250);

  // Remote start for Kim by picking the user: the first usable tag (KIM-0 is blocked) is offered and used,
  // even when staff pick the user before the idTags have loaded (their answer is held back here).
  const slowTags = '**/api/admin/id-tags?*';
  await page.route(slowTags, async (route) => { await new Promise((r) => setTimeout(r, 1500)); await route.continue(); });
  await page.goto(`${site.baseUrl}/chargers/CP-U`);
  await start.locator('select[name=startUser] option', { hasText: 'Kim Driver' }).waitFor({ state: 'attached' });
  await start.locator('select[name=startUser]').selectOption({ label: 'Kim Driver' });
  await waitForValue(start.locator('select[name=userIdTag]'), 'KIM-1');
  await page.unroute(slowTags);
  assert.deepEqual(await start.locator('select[name=userIdTag] option').allInnerTexts(), ['KIM-0 (Blocked)', 'KIM-1']);
  await start.locator('button', { hasText: 'Remote start' }).click();
  await start.locator('.result', { hasText: 'Remote start: Accepted' }).waitFor();
  await waitFor('the session Kim started', () => site.count('transaction', `id_tag = 'KIM-1' AND status = 'RUNNING' AND user_id = ${kimId}`) === 1);
  assert.deepEqual(problems, []);
});
