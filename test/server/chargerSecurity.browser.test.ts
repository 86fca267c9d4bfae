// The charger page's Security section in Chromium against the real server: the profile and the
// certificate requests in plain words, and install CA / request new certificate / get security log /
// raise profile each reach the charger and show its answer in words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startTestSite } from '../support/testSite.js';
import { browserSkipReason, launchBrowser, openSections, submitLogin, waitForText, watchProblems } from '../support/browser.js';
import { waitFor } from '../support/waitFor.js';

const skip = browserSkipReason();
const button = (page: Page, label: string) => page.locator('[data-testid=security-panel] button', { hasText: new RegExp(`^${label}$`) });

test('Security section: profile and certificate requests in words; its buttons reach the charger and show the answers', { skip, timeout: 180_000 }, async () => {
  await using site = await startTestSite();
  await site.domain.adminUsers.create({ username: 'staff', password: 'correct horse battery', role: 'admin' });
  const cp = await site.connectCharger('CP-SEC', { password: 'bay-secret-pass-1' });
  const received: string[] = [];
  cp.on('InstallCertificate', () => { received.push('InstallCertificate'); return { status: 'Accepted' }; });
  cp.on('ExtendedTriggerMessage', (p: any) => { received.push(`ExtendedTriggerMessage ${p.requestedMessage}`); return { status: 'Accepted' }; });
  cp.on('GetLog', (p: any) => { received.push(`GetLog ${p.logType}`); return { status: 'Accepted', filename: 'security.log' }; });
  // A CSR naming another charger: refused by the site, which the page must say in words.
  const key = path.join(site.dir, 'csr-key.pem');
  execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', key]);
  const csr = execFileSync('openssl', ['req', '-new', '-key', key, '-subj', '/CN=SOMEONE-ELSE'], { encoding: 'utf8' });
  await cp.call('SignCertificate', { csr });
  await waitFor('the request refused', async () => (await site.api('/api/admin/chargers/CP-SEC/certificate-requests')).body.requests[0]?.status === 'Refused' || undefined, 30_000);

  await using browser = await launchBrowser();
  const page = await browser.newPage();
  const problems = watchProblems(page);
  await page.goto(`${site.baseUrl}/chargers/CP-SEC`);
  await submitLogin(page, 'staff', 'correct horse battery');
  await openSections(page);
  const panel = page.locator('[data-testid=security-panel]');
  await waitForText(panel.locator('[data-testid=security-profile]'), 'Profile 1: password (Basic auth), with or without TLS');
  await panel.locator('[data-testid=certificate-requests] td', { hasText: /^refused by this site \(the CSR names CN=SOMEONE-ELSE/ }).waitFor();

  await button(page, 'Install site CA certificate').click();
  await panel.locator('.result', { hasText: 'Site CA certificate: the charger accepted' }).waitFor();
  await button(page, 'Request new certificate').click();
  await panel.locator('.result', { hasText: 'New certificate requested: the charger accepted' }).waitFor();
  await button(page, 'Get security log').click();
  await panel.locator('.result', { hasText: 'Security log requested: the charger accepted' }).waitFor();
  assert.deepEqual(received, ['InstallCertificate', 'ExtendedTriggerMessage SignChargePointCertificate', 'GetLog SecurityLog']);

  // Raising needs TLS on this site: the refusal is shown, nothing stored.
  await button(page, 'Raise to profile 2').click();
  await page.locator('[data-testid=security-panel] button', { hasText: 'Yes, raise to profile 2' }).click();
  await panel.locator('.error', { hasText: 'Security profile 2 and 3 need TLS on this site first' }).waitFor();
  assert.equal(site.domain.chargers.byChargePointId('CP-SEC')!.securityProfile, 1);
  assert.deepEqual(problems, []);
});
