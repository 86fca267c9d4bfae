// The Sessions list's filters (charger, status) and the message log's filters (charger, direction) and
// live tail, in Chromium against the real server with charge points sending real OCPP frames.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { isoNow, startTestSite } from '../support/testSite.js';
import { waitFor } from '../support/waitFor.js';
import type { ChargePoint } from '../../src/sim/chargePoint.js';
import { browserSkipReason, launchBrowser, PHONE, submitLogin, waitForRead, watchProblems } from '../support/browser.js';

const skip = browserSkipReason();

/** Waits until `read` gives `expected` (the list reloads after a filter or a pushed event), then checks it. */
async function shows<T>(what: string, read: () => Promise<T>, expected: T): Promise<void> {
  let last: T | undefined;
  await waitFor(what, async () => { last = await read(); return JSON.stringify(last) === JSON.stringify(expected); }, 15_000)
    .catch(() => assert.deepEqual(last, expected, what));
}

async function startSession(cp: ChargePoint, connectorId: number, idTag: string): Promise<number> {
  return (await cp.call('StartTransaction', { connectorId, idTag, meterStart: 0, timestamp: isoNow() })).transactionId;
}

async function stopSession(cp: ChargePoint, transactionId: number): Promise<void> {
  await cp.call('StopTransaction', { transactionId, meterStop: 1000, timestamp: isoNow() });
}

async function filter(page: Page, fields: Record<string, string>): Promise<void> {
  const form = page.locator('form', { has: page.locator('button[type=submit]', { hasText: 'Filter' }) });
  for (const [name, value] of Object.entries(fields)) {
    const input = form.locator(`[name=${name}]`);
    if (await input.evaluate((el) => el.tagName === 'SELECT')) await input.selectOption(value);
    else await input.fill(value);
  }
  await form.locator('button[type=submit]').click();
}

test('staff filter sessions by charger and status, and the log by charger and direction, and watch the log tail live', { skip, timeout: 180_000 }, async () => {
  await using site = await startTestSite({ 'ocpp.heartbeatIntervalSec': 60 });
  await site.domain.adminUsers.create({ username: 'staff', password: 'correct horse battery', role: 'admin' });
  for (const tag of ['TAG-A', 'TAG-B']) site.addIdTag(tag);
  const a = await site.connectCharger('CP-A');
  const b = await site.connectCharger('CP-B');
  for (const cp of [a, b]) cp.on('ClearCache', () => ({ status: 'Accepted' }));
  const aDone = await startSession(a, 1, 'TAG-A');
  await stopSession(a, aDone);
  const aRunning = await startSession(a, 2, 'TAG-A');
  const bDone = await startSession(b, 1, 'TAG-B');
  await stopSession(b, bDone);
  const bRunning = await startSession(b, 2, 'TAG-B');
  // Server-initiated calls, so the log has OUT frames for both chargers.
  for (const id of ['CP-A', 'CP-B']) assert.equal((await site.api(`/api/admin/chargers/${id}/clear-cache`, { body: {} })).status, 200);

  await using browser = await launchBrowser();
  const page = await browser.newPage({ viewport: PHONE });
  const problems = watchProblems(page);
  await page.goto(`${site.baseUrl}/transactions`);
  await submitLogin(page, 'staff', 'correct horse battery');
  await page.locator('[data-live=live]').waitFor();

  // Sessions: every filter narrows the list to exactly the matching rows.
  const txIds = async () => (await page.locator('tr[data-tx]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-tx'))))).sort((x, y) => x - y);
  await shows('all sessions', txIds, [aDone, aRunning, bDone, bRunning]);
  await filter(page, { charger: 'CP-A' });
  await page.waitForURL(/\/transactions\?charger=CP-A$/);
  await shows('the sessions of CP-A', txIds, [aDone, aRunning]);
  await filter(page, { status: 'RUNNING' });
  await page.waitForURL(/charger=CP-A&status=RUNNING/);
  await shows('the running session of CP-A', txIds, [aRunning]);
  await filter(page, { charger: 'CP-B', status: 'COMPLETED' });
  await shows('the completed session of CP-B', txIds, [bDone]);
  assert.match(await page.locator(`tr[data-tx="${bDone}"]`).innerText(), /CP-B #1\s+TAG-B\s+Completed/);
  await filter(page, { charger: 'CP-NONE', status: '' });
  await page.locator('text=No sessions match.').waitFor();

  // Log: charger and direction filters; each row shows only what was asked for.
  await page.click('nav a:has-text("Log")');
  type LogRow = { charger?: string; direction?: string; action: string | null };
  const logRows = async (): Promise<LogRow[]> => page.locator('tr[data-log]').evaluateAll((rows) => rows.map((r) => {
    const cells = [...r.querySelectorAll(':scope > td')].map((td) => (td as HTMLElement).innerText.trim());
    // The direction reads "OUT (to charger)": its first word is the filter's value.
    return { charger: cells[1], direction: cells[2]?.split(' ')[0], action: r.querySelector('summary strong')!.textContent };
  }));
  // The page keeps the previous filter's rows until the new answer is in: wait until the rows are the
  // new filter's (all of that charger and direction) before reading them.
  const filteredRows = (charger: string, direction: string) => waitForRead(`the log rows of ${charger} ${direction}`, logRows,
    (rows) => rows.length > 0 && rows.every((r) => r.charger === charger && r.direction === direction));
  await filter(page, { chargePointId: 'CP-B', direction: 'OUT' });
  await page.waitForURL(/chargePointId=CP-B&direction=OUT/);
  // OUT from the server to CP-B: the ClearCache CALL and the results to CP-B's own calls.
  let rows = await filteredRows('CP-B', 'OUT');
  const outActions = rows.map((r) => r.action);
  assert.ok(outActions.includes('ClearCache') && outActions.includes('StartTransaction') && outActions.includes('StopTransaction'), JSON.stringify(rows));
  await filter(page, { direction: 'IN' });
  await page.waitForURL(/chargePointId=CP-B&direction=IN$/);
  rows = await filteredRows('CP-B', 'IN');
  assert.deepEqual(rows.filter((r) => r.action === 'StartTransaction').length, 2, 'both of CP-B\'s StartTransaction CALLs');

  // Live tail: CP-A's filter shows CP-A's new frame without a reload; CP-B's frame (sent first) never shows.
  await filter(page, { chargePointId: 'CP-A' });
  await page.waitForURL(/chargePointId=CP-A&direction=IN$/);
  await filteredRows('CP-A', 'IN'); // CP-A's list has loaded: "no heartbeat yet" below is about it, not CP-B's old rows
  await page.evaluate(() => { (window as any).stillTheSamePage = true; });
  const heartbeats = page.locator('tr[data-log]', { has: page.locator('summary strong', { hasText: /^Heartbeat$/ }) });
  assert.equal(await heartbeats.count(), 0);
  await b.call('Heartbeat', {});
  await a.call('Heartbeat', {});
  await heartbeats.first().waitFor();
  rows = await logRows();
  assert.deepEqual(rows.filter((r) => r.action === 'Heartbeat'), [{ charger: 'CP-A', direction: 'IN', action: 'Heartbeat' }]);
  assert.ok(rows.every((r) => r.charger === 'CP-A' && r.direction === 'IN'), JSON.stringify(rows));
  assert.equal(await page.evaluate(() => (window as any).stillTheSamePage), true, 'no reload: the row was pushed');
  assert.deepEqual(problems, []);
});
