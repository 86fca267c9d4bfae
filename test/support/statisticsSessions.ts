// Completed sessions for the statistics tests, over real WebSockets: two chargers, two drivers and an idTag with no
// driver, on days in two ISO weeks and two months, priced at 30 minor units per kWh (revenue = kWh × 30), plus a
// running and a rejected session that must not count.
import assert from 'node:assert/strict';
import { startTestSite, type TestSite } from './testSite.js';
import { addTariff, addUser, topUp } from './wallets.js';

const at = (iso: string, plusSeconds: number) => new Date(Date.parse(iso) + plusSeconds * 1000).toISOString();

async function driver(site: TestSite, name: string, idTag: string): Promise<number> {
  const userId = addUser(site, name);
  site.addIdTag(idTag, { userId });
  await topUp(site, userId, 100_000);
  return userId;
}

export async function siteWithSessions() {
  const site = await startTestSite();
  await addTariff(site, { isDefault: true, pricePerKwh: 30 });
  const alice = await driver(site, 'Alice Adams', 'TAG-ALICE');
  const bob = await driver(site, 'Bob Brown', 'TAG-BOB');
  site.addIdTag('TAG-NOBODY');
  const cp1 = await site.connectCharger('CP-1');
  const cp2 = await site.connectCharger('CP-2');
  const sessions: Array<[typeof cp1, string, string, number]> = [
    [cp1, 'TAG-ALICE', '2024-05-06T08:00:00.000Z', 10_000], // Monday
    [cp1, 'TAG-BOB', '2024-05-06T20:00:00.000Z', 2_000],
    [cp2, 'TAG-ALICE', '2024-05-12T10:00:00.000Z', 5_000], // Sunday, same ISO week
    [cp2, 'TAG-BOB', '2024-05-13T10:00:00.000Z', 4_000], // Monday, next week
    [cp1, 'TAG-NOBODY', '2024-06-01T09:00:00.000Z', 1_000], // Saturday, week of May 27
  ];
  for (const [cp, idTag, t0, wh] of sessions) {
    const s = await cp.call('StartTransaction', { connectorId: 1, idTag, meterStart: 500, timestamp: t0 });
    await cp.call('StopTransaction', { transactionId: s.transactionId, meterStop: 500 + wh, timestamp: at(t0, 3600), idTag });
    assert.equal(site.domain.transactions.byId(s.transactionId)!.costAmount, (wh / 1000) * 30);
  }
  // Running and rejected sessions are not counted.
  await cp2.call('StartTransaction', { connectorId: 1, idTag: 'TAG-ALICE', meterStart: 0, timestamp: '2024-05-06T09:00:00.000Z' });
  await cp1.call('StartTransaction', { connectorId: 2, idTag: 'UNKNOWN-TAG', meterStart: 0, timestamp: '2024-05-06T09:00:00.000Z' });
  return { site, alice, bob };
}

