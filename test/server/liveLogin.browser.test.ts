// A login that ends elsewhere (logged out in another tab, disabled by an admin) takes the page back to
// its login form: the server ends the live stream, the browser's reconnect is refused with 401, and
// the page asks the API instead of retrying every 5 s for ever.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';
import { browserSkipReason, launchBrowser, PHONE, submitLogin, watchProblems } from '../support/browser.js';

const skip = browserSkipReason();

test('the page goes back to the login form when its session is logged out elsewhere', { skip, timeout: 90_000 }, async () => {
  await using site = await startTestSite();
  await site.domain.adminUsers.create({ username: 'staff', password: 'correct horse battery', role: 'viewer' });
  await using browser = await launchBrowser();
  const context = await browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(site.baseUrl);
  await submitLogin(page, 'staff', 'correct horse battery');
  await page.locator('[data-live=live]').waitFor();

  // The same session logged out from elsewhere (another tab shares the cookie).
  const session = (await context.cookies()).find((c) => c.name === 'ocpp_edge_session')!;
  const out = await site.api('/api/auth/logout', { body: {}, token: null, headers: { cookie: `${session.name}=${session.value}` } });
  assert.equal(out.status, 200);
  assert.equal(site.count('admin_session'), 0);

  // Well before the 25 s keep-alive: the logout itself ended the stream, and the refused reconnect shows the form.
  await page.locator('input[name=username]').waitFor({ timeout: 15_000 });
  assert.equal(await page.locator('[data-live]').count(), 0, 'no live indicator: the page is logged out');
  assert.deepEqual(problems, []);
});
