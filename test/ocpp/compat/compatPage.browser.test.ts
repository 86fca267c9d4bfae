// The charger page in Chromium against the real server: what the compatibility layer repaired for a charger
// is shown in plain language, and staff switch the charger to strict mode in its edit form, which takes
// effect on the live connection (the same message is then refused with the schema's CALLERROR).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../../support/testSite.js';
import { CallErrorReply } from '../../../src/sim/chargePoint.js';
import { browserSkipReason, launchBrowser, submitLogin, openSections, waitForText, watchProblems } from '../../support/browser.js';

const skip = browserSkipReason();
// Legrand GreenUp sends errorCode "Error": https://github.com/lbbrhzn/ocpp/issues/1248
const LEGRAND_STATUS = { connectorId: 0, errorCode: 'Error', status: 'Faulted', timestamp: '2024-08-03T16:16:55Z' };

test('the charger page says what was repaired, and the edit form switches the charger to strict mode', { skip, timeout: 120_000 }, async () => {
  await using site = await startTestSite();
  await site.domain.adminUsers.create({ username: 'staff', password: 'correct horse battery', role: 'admin' });
  const cp = await site.connectCharger('CP-LEGRAND');
  for (let i = 0; i < 3; i++) assert.deepEqual(await cp.call('StatusNotification', LEGRAND_STATUS), {});

  await using browser = await launchBrowser();
  const page = await browser.newPage();
  const problems = watchProblems(page);
  await page.goto(`${site.baseUrl}/chargers/CP-LEGRAND`);
  await submitLogin(page, 'staff', 'correct horse battery');
  await openSections(page);
  await waitForText(page.locator('[data-testid=compat-repairs]'), /^3 StatusNotifications had errorCode 'Error'; mapped to OtherError \(last /);

  const form = page.locator('[data-section=edit] form');
  // The form is filled from the charger as loaded: select once the page has settled (a re-render resets it).
  await page.locator('[data-testid=compat-panel]', { hasText: 'tolerant' }).waitFor();
  await page.waitForTimeout(300);
  await form.locator('select[name=compatMode]').selectOption('strict');
  await form.locator('button[type=submit]').click();
  await waitForText(form.locator('.result'), 'Saved');
  await waitForText(page.locator('[data-testid=compat-panel] strong'), 'strict (official schemas only)');
  assert.equal(site.domain.chargers.byChargePointId('CP-LEGRAND')!.compatMode, 'strict');
  const refused = await cp.call('StatusNotification', LEGRAND_STATUS).catch((e) => e);
  assert.ok(refused instanceof CallErrorReply && refused.code === 'PropertyConstraintViolation', String(refused));
  assert.deepEqual(problems, []);
});
