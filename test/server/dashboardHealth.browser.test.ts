// A degraded server on the dashboard, made degraded for real: a low-space threshold above the disk's
// free space, then SQLite refusing writes (SQLITE_FULL at max_page_count). /api/health answers 503;
// the page must show that body (server state, storage problems, MQTT state), not an error about it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';
import { browserSkipReason, launchBrowser, PHONE, submitLogin, waitForText, watchProblems } from '../support/browser.js';

const skip = browserSkipReason();

test('the dashboard shows a degraded server: low disk space, then failing database writes', { skip, timeout: 90_000 }, async () => {
  // 1 PiB: whatever this disk has free counts as nearly full.
  await using site = await startTestSite({ 'storage.minFreeMiB': 1024 ** 3 });
  await site.domain.adminUsers.create({ username: 'staff', password: 'correct horse battery', role: 'admin' });
  const health = await site.api('/api/health', { token: null });
  assert.equal(health.status, 503);
  assert.equal(health.body.status, 'degraded');
  assert.equal(health.body.storage.lowSpace, true);

  await using browser = await launchBrowser();
  const page = await browser.newPage({ viewport: PHONE });
  const problems = watchProblems(page);
  await page.goto(site.baseUrl);
  await submitLogin(page, 'staff', 'correct horse battery');
  await page.locator('[data-testid=health-status]', { hasText: 'degraded' }).waitFor();
  const alert = page.locator('[data-testid=health-alert]');
  await waitForText(alert, /Disk nearly full: [\d.]+ (MB|GB) free for the database/);
  await waitForText(page.locator('[data-testid=sync-state]'), 'disabled'); // the MQTT tile reads the 503 body
  assert.equal(await page.locator('text=charger_refused').count(), 0, 'a degraded server is not a charger answer');
  assert.equal(await page.locator('.error', { hasText: /^503/ }).count(), 0, 'no error box for the health answer');

  // SQLite refuses to grow the file: a real write fails with SQLITE_FULL through the unit of work.
  const sqlite = site.database.sqlite;
  site.domain.uow.commit();
  sqlite.pragma(`max_page_count = ${sqlite.pragma('page_count', { simple: true })}`);
  await assert.rejects(site.domain.uow.run(() => sqlite.prepare("INSERT INTO setting (key, value) VALUES ('filler', ?)").run(JSON.stringify('x'.repeat(200_000)))),
    (err: any) => err.code === 'SQLITE_FULL');
  try {
    await page.reload();
    await alert.filter({ hasText: 'Database writes are failing (SQLITE_FULL)' }).waitFor();
    assert.match(await alert.innerText(), /Chargers get errors until space is freed/);
  } finally {
    sqlite.pragma('max_page_count = 1073741823');
  }
  assert.deepEqual(problems, []);
});
