// The favicon and the home-screen manifest (issue 16), served under the page's strict CSP: Chromium reads
// the manifest without errors, finds it installable, and every icon it names loads with the right type
// (a PNG as well as the SVG: iOS's apple-touch-icon and some Android launchers take no SVG).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';
import { artifactPath, browserSkipReason, launchBrowser, PHONE, watchProblems } from '../support/browser.js';

const skip = browserSkipReason();

test('favicon, apple-touch-icon and manifest load under the CSP, and Chromium finds the page installable', { skip, timeout: 90_000 }, async () => {
  await using site = await startTestSite();
  await using browser = await launchBrowser();
  const page = await browser.newPage({ viewport: PHONE });
  const problems = watchProblems(page);
  const violations: string[] = [];
  await page.exposeFunction('reportViolation', (v: string) => violations.push(v));
  await page.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) =>
    (window as unknown as { reportViolation(v: string): void }).reportViolation(`${e.violatedDirective} ${e.blockedURI}`)));
  const res = await page.goto(site.baseUrl);
  assert.match(res!.headers()['content-security-policy'] ?? '', /default-src 'self'/);
  await page.locator('input[name=username]').waitFor();

  const links = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('link[rel~=icon], link[rel=apple-touch-icon], link[rel=manifest]')]
    .map((l) => [l.getAttribute('rel')!, (l as HTMLLinkElement).href])));
  assert.deepEqual(Object.keys(links).sort(), ['apple-touch-icon', 'icon', 'manifest']);

  const cdp = await page.context().newCDPSession(page);
  const manifest = await cdp.send('Page.getAppManifest') as { url: string; errors: Array<{ message: string }>; data?: string };
  assert.equal(manifest.url, links.manifest);
  assert.deepEqual(manifest.errors.map((e) => e.message), [], 'Chromium reads the manifest without errors');
  const data = JSON.parse(manifest.data!) as { name: string; start_url: string; display: string; icons: Array<{ src: string; type: string; sizes: string }> };
  assert.equal(data.display, 'standalone');
  const installable = await cdp.send('Page.getInstallabilityErrors') as { installabilityErrors: Array<{ errorId: string }> };
  // Served over plain http from 127.0.0.1 (a secure context for Chromium): nothing but the test browser's
  // own private profile ("in-incognito") may stand in the way.
  assert.deepEqual(installable.installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito'), [], 'installable as a home-screen app');

  const icons = [...new Set([links.icon!, links['apple-touch-icon']!, ...data.icons.map((i) => new URL(i.src, site.baseUrl).href)])];
  for (const href of icons) {
    const r = await page.request.get(href);
    assert.equal(r.status(), 200, href);
    assert.match(r.headers()['content-type']!, href.endsWith('.png') ? /^image\/png/ : /^image\/svg\+xml/, href);
  }
  // The PNG really is the size the manifest says: the browser decodes it under the page's img-src.
  const size = await page.evaluate(async () => {
    const img = new Image();
    img.src = '/icon-192.png';
    await img.decode();
    document.body.append(img);
    return [img.naturalWidth, img.naturalHeight];
  });
  assert.deepEqual(size, [192, 192]);
  await page.screenshot({ path: artifactPath('home-screen-icons-phone.png') });
  assert.deepEqual(violations, [], 'no CSP violation');
  assert.deepEqual(problems, []);
});
