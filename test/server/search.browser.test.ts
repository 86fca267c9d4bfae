// Search on the Users page (users and idTags, asked of the server) and on the Chargers list (issue 16).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';
import { artifactPath, browserSkipReason, launchBrowser, PHONE, submitLogin, waitForCount, watchProblems } from '../support/browser.js';

const skip = browserSkipReason();

test('staff search users, cards and chargers', { skip, timeout: 90_000 }, async () => {
  await using site = await startTestSite();
  await site.domain.adminUsers.create({ username: 'staff', password: 'correct horse battery', role: 'admin' });
  for (const [name, tag] of [['Ada Lovelace', 'ADA-1'], ['Alan Turing', 'ALAN-1'], ['Grace Hopper', 'GRACE-1']]) {
    const u = (await site.api('/api/admin/users', { body: { fullName: name } })).body.user;
    assert.equal((await site.api('/api/admin/id-tags', { body: { idTag: tag, userId: u.id } })).status, 201);
  }
  for (const id of ['NORTH-1', 'NORTH-2', 'SOUTH-1']) await site.addCharger(id);

  await using browser = await launchBrowser();
  const page = await browser.newPage({ viewport: PHONE });
  const problems = watchProblems(page);
  await page.goto(`${site.baseUrl}/users`);
  await submitLogin(page, 'staff', 'correct horse battery');
  await waitForCount(page.locator('tr[data-user]'), 3);
  await page.fill('input[name=q]', 'grace');
  await waitForCount(page.locator('tr[data-user]'), 1);
  assert.match(await page.locator('tr[data-user]').innerText(), /Grace Hopper/);
  await page.fill('input[name=q]', 'AL');
  // idTags match on the tag: only ALAN-1 (wait for it: GRACE-1 is still shown until the answer is in)
  await page.locator('tr[data-idtag="ALAN-1"]').waitFor();
  await waitForCount(page.locator('tr[data-idtag]'), 1);
  await page.screenshot({ path: artifactPath('search-users-phone.png'), fullPage: true });

  await page.click('nav a:has-text("Chargers")');
  await waitForCount(page.locator('tr[data-charger]'), 3);
  await page.fill('input[name=q]', 'north');
  await waitForCount(page.locator('tr[data-charger]'), 2);
  await page.fill('input[name=q]', 'nowhere');
  await page.locator('p', { hasText: 'No charger matches.' }).waitFor();
  assert.deepEqual(problems, []);
});
