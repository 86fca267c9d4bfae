// The Statistics API over a real server (sessions from test/support/statisticsSessions.ts: two chargers, two
// drivers and an idTag with no driver, days in two weeks and two months); every sum checked exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';
import { siteWithSessions } from '../support/statisticsSessions.js';

const row = (key: string, label: string, sessions: number, energyWh: number, revenue: number) =>
  ({ key, label, sessions, energyWh, revenue, currency: 'EUR' });

test('statistics sum completed sessions by day, week, month, charger and driver, from..to', async () => {
  const { site, alice, bob } = await siteWithSessions();
  await using _ = site;
  const viewer = site.createToken('viewer');
  const get = async (query: string) => {
    const r = await site.api(`/api/admin/statistics?${query}`, { token: viewer });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.rows;
  };
  assert.deepEqual(await get('period=day&groupBy=time'), [
    row('2024-05-06', '2024-05-06', 2, 12_000, 360), row('2024-05-12', '2024-05-12', 1, 5_000, 150),
    row('2024-05-13', '2024-05-13', 1, 4_000, 120), row('2024-06-01', '2024-06-01', 1, 1_000, 30),
  ]);
  assert.deepEqual(await get('period=week'), [
    row('2024-05-06', '2024-05-06', 3, 17_000, 510), row('2024-05-13', '2024-05-13', 1, 4_000, 120),
    row('2024-05-27', '2024-05-27', 1, 1_000, 30),
  ]);
  assert.deepEqual(await get('period=month&groupBy=time'), [row('2024-05', '2024-05', 4, 21_000, 630), row('2024-06', '2024-06', 1, 1_000, 30)]);
  assert.deepEqual(await get('groupBy=charger'), [row('CP-1', 'CP-1', 3, 13_000, 390), row('CP-2', 'CP-2', 2, 9_000, 270)]);
  assert.deepEqual(await get('groupBy=driver'), [
    row(String(alice), 'Alice Adams', 2, 15_000, 450), row(String(bob), 'Bob Brown', 2, 6_000, 180), row('', 'No driver', 1, 1_000, 30),
  ]);
  // from inclusive, to exclusive, on the start time: May 7 .. May 13 holds only the Sunday session.
  assert.deepEqual(await get('groupBy=driver&from=2024-05-07&to=2024-05-13'), [row(String(alice), 'Alice Adams', 1, 5_000, 150)]);
  assert.deepEqual(await get('from=2025-01-01'), []);
});

test('statistics as CSV: the same rows, one line each, as a download', async () => {
  const { site } = await siteWithSessions();
  await using _ = site;
  const r = await site.api('/api/admin/statistics?groupBy=charger&format=csv');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type')!, /^text\/csv/);
  assert.match(r.headers.get('content-disposition')!, /attachment; filename="statistics-charger-day\.csv"/);
  assert.equal(r.body, 'key,label,sessions,energyWh,revenue,currency\r\nCP-1,CP-1,3,13000,390,EUR\r\nCP-2,CP-2,2,9000,270,EUR\r\n');
});

test('statistics: bad parameters are a 400 with the reason, no login a 401', async () => {
  await using site = await startTestSite();
  for (const [query, mentions] of [['period=year', 'period'], ['groupBy=tag', 'groupBy'], ['from=yesterday', 'from'],
    ['format=xml', 'format'], ['from=2024-06-01&to=2024-05-01', 'from']] as const) {
    const r = await site.api(`/api/admin/statistics?${query}`);
    assert.equal(r.status, 400, query);
    assert.equal(r.body.error.code, 'invalid_parameter', query);
    assert.match(r.body.error.message, new RegExp(mentions), query);
  }
  assert.equal((await site.api('/api/admin/statistics', { token: null })).status, 401);
});
