// The Sessions page's "Export CSV" downloads the server's CSV of every session matching the applied
// filters, not the page of 50 rows the list shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startTestSite } from '../support/testSite.js';
import { browserSkipReason, launchBrowser, PHONE, submitLogin, waitForCount, watchProblems } from '../support/browser.js';

const skip = browserSkipReason();

test('Export CSV downloads every matching session from the server', { skip, timeout: 90_000 }, async () => {
  await using site = await startTestSite();
  await site.domain.adminUsers.create({ username: 'staff', password: 'correct horse battery', role: 'viewer' });
  const cp = await site.addCharger('CP-1');
  site.domain.uow.commit();
  const insert = site.database.sqlite.prepare(`INSERT INTO "transaction" (charger_id, connector_id, id_tag, status, auth_status, meter_start,
    meter_stop, energy_wh, started_at, start_received_at, stopped_at) VALUES (?, 1, ?, ?, 'Accepted', 0, 100, 100, ?, ?, ?)`);
  site.database.sqlite.transaction(() => {
    for (let i = 0; i < 260; i++) {
      const at = new Date(Date.parse('2025-03-01T00:00:00Z') + i * 60_000).toISOString();
      insert.run(cp, i === 7 ? 'TAG, "seven"' : `TAG-${i}`, i < 250 ? 'COMPLETED' : 'INTERRUPTED', at, at, at);
    }
  })();

  await using browser = await launchBrowser();
  const page = await browser.newPage({ viewport: PHONE });
  const problems = watchProblems(page);
  await page.goto(`${site.baseUrl}/transactions?status=COMPLETED`);
  await submitLogin(page, 'staff', 'correct horse battery');
  await waitForCount(page.locator('tr[data-tx]'), 50); // the page shows one page of 50

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-csv]')]);
  assert.match(download.suggestedFilename(), /^sessions-\d{4}-\d\d-\d\d\.csv$/);
  const text = fs.readFileSync((await download.path())!, 'utf8');
  const lines = text.trimEnd().split('\r\n');
  assert.match(lines[0]!, /^id,chargePointId,connectorId,idTag,status,/);
  assert.equal(lines.length, 1 + 250, 'every COMPLETED session, none of the INTERRUPTED ones');
  assert.ok(lines.slice(1).every((l) => l.includes(',COMPLETED,')));
  assert.ok(lines.some((l) => l.includes(',CP-1,1,"TAG, ""seven""",COMPLETED,')), 'quoted as RFC 4180 says');
  assert.deepEqual(problems, []);
});
