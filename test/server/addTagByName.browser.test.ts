// Adding a card on the Users page names its driver by name (issue 16: names of drivers, not "user 5"):
// the form had a numeric "User id" box that staff had to look up.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';
import { addUser } from '../support/wallets.js';
import { artifactPath, browserSkipReason, launchBrowser, waitForText } from '../support/browser.js';
import { DESKTOP, openStaffPage } from '../support/staffPage.js';

const skip = browserSkipReason();

test('Users page: a new idTag gets its driver from a list of names, at phone and desktop width', { skip, timeout: 90_000 }, async () => {
  await using site = await startTestSite();
  addUser(site, 'Zoe Park');
  const lee = addUser(site, 'Lee Other');
  await using browser = await launchBrowser();
  for (const [viewport, name, tag] of [[undefined, 'phone', 'LEE-CARD'], [DESKTOP, 'desktop', 'LEE-CARD-2']] as const) {
    const { page, problems } = await openStaffPage(site, browser, '/users', viewport ? { viewport } : {});
    const form = page.locator('form', { has: page.locator('button[type=submit]', { hasText: 'Add idTag' }) });
    assert.equal(await form.locator('input[name=userId]').count(), 0, 'no box for a number');
    const select = form.locator('select[name=userId]');
    await select.locator('option', { hasText: 'Lee Other' }).waitFor({ state: 'attached' });
    assert.deepEqual(await select.locator('option').allInnerTexts(), ['(no user)', `Lee Other (#${lee})`, 'Zoe Park (#1)'], 'by name');
    await form.locator('input[name=idTag]').fill(tag);
    await select.selectOption({ label: `Lee Other (#${lee})` });
    await form.locator('button[type=submit]').click();
    await waitForText(page.locator(`tr[data-idtag="${tag}"] td[data-label=User]`), 'Lee Other');
    assert.equal(site.domain.idTagRegistry.byIdTag(tag)!.userId, lee);
    await page.screenshot({ path: artifactPath(`add-idtag-by-name-${name}.png`), fullPage: true });
    assert.deepEqual(problems, []);
    await page.close();
  }
});
