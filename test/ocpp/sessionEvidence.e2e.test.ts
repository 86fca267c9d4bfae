// Session lifecycle under real charger behaviour (issue 14): what ends a session, what only puts it in doubt,
// and what a session in doubt no longer holds (ConcurrentTx, the start-retry match).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, isoNow } from '../support/testSite.js';
import { ChargePoint } from '../../src/sim/chargePoint.js';
import { addTariff, addUser, topUp } from '../support/wallets.js';

const start = (idTag: string, connectorId = 1, meterStart = 0, timestamp = isoNow()) => ({ connectorId, idTag, meterStart, timestamp });

// A charger that boots on every reconnect (https://github.com/evcc-io/evcc/pull/25069) keeps its session,
// its ConcurrentTx protection and the meter values that follow.
test('a BootNotification on reconnect ends nothing: meter values still update the session and the tag stays ConcurrentTx elsewhere', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-BOOT');
  const cp = await site.connectCharger('CP-BOOT');
  const other = await site.connectCharger('CP-OTHER');
  const { transactionId } = await cp.call('StartTransaction', start('TAG-BOOT'));
  await cp.close();
  const again = await ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-BOOT' });
  try {
    await again.call('BootNotification', { chargePointVendor: 'EN+', chargePointModel: 'AC' });
    await again.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: isoNow(), sampledValue: [{ value: '4200' }] }] });
    const tx = site.domain.transactions.byId(transactionId)!;
    assert.deepEqual([tx.status, tx.lastMeterWh], ['RUNNING', 4200]);
    assert.equal((await other.call('Authorize', { idTag: 'TAG-BOOT' })).idTagInfo.status, 'ConcurrentTx');
    await again.call('StopTransaction', { transactionId, meterStop: 5000, timestamp: isoNow() });
    assert.equal(site.domain.transactions.byId(transactionId)!.energyWh, 5000);
  } finally {
    await again.close();
  }
});

// A stuck session (its stop lost with an offline charger) must not lock its driver out for ever.
test('a charger offline past sessions.doubtAfterOfflineSec puts its session in doubt: the driver may start elsewhere; its late stop still completes it', async () => {
  await using site = await startTestSite({ 'sessions.doubtAfterOfflineSec': 60 });
  site.addIdTag('TAG-STUCK');
  const cp = await site.connectCharger('CP-GONE');
  const other = await site.connectCharger('CP-HERE');
  const { transactionId } = await cp.call('StartTransaction', start('TAG-STUCK'));
  await cp.close();
  assert.equal((await other.call('Authorize', { idTag: 'TAG-STUCK' })).idTagInfo.status, 'ConcurrentTx', 'offline for a moment: still running');
  assert.equal(await site.blocks.sessionReview.run(new Date(Date.now() + 30_000)), 0);
  assert.equal(await site.blocks.sessionReview.run(new Date(Date.now() + 61_000)), 1);
  const doubted = site.domain.transactions.byId(transactionId)!;
  assert.equal(doubted.status, 'INTERRUPTED');
  assert.match(doubted.flags!, /offline since/);
  assert.equal((await other.call('Authorize', { idTag: 'TAG-STUCK' })).idTagInfo.status, 'Accepted', 'no ConcurrentTx for ever');
  const back = await ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-GONE' });
  try {
    await back.call('StopTransaction', { transactionId, meterStop: 3000, timestamp: isoNow(), reason: 'PowerLoss' });
  } finally {
    await back.close();
  }
  assert.deepEqual([site.domain.transactions.byId(transactionId)!.status, site.domain.transactions.byId(transactionId)!.energyWh], ['COMPLETED', 3000]);
});

test('a connector back to Available only briefly is no evidence; Charging again clears it', async () => {
  await using site = await startTestSite({ 'sessions.doubtAfterIdleSec': 60 });
  site.addIdTag('TAG-BLIP');
  const cp = await site.connectCharger('CP-BLIP');
  const { transactionId } = await cp.call('StartTransaction', start('TAG-BLIP'));
  await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });
  await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Charging' });
  assert.equal(await site.blocks.sessionReview.run(new Date(Date.now() + 120_000)), 0);
  assert.equal(site.domain.transactions.byId(transactionId)!.status, 'RUNNING');
});

// An unset clock and a per-session meter make two real sessions' starts identical; the first one's stop came.
test('an identical StartTransaction after the first session stopped is a new session, never the old id', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-CLOCK');
  const cp = await site.connectCharger('CP-CLOCK');
  const same = start('TAG-CLOCK', 1, 0, '1970-01-01T00:00:00.000Z');
  const first = await cp.call('StartTransaction', same);
  assert.equal((await cp.call('StartTransaction', same)).transactionId, first.transactionId, 'a retry before any use of the id: the same session');
  await cp.call('StopTransaction', { transactionId: first.transactionId, meterStop: 2000, timestamp: '1970-01-01T01:00:00.000Z' });
  const second = await cp.call('StartTransaction', same);
  assert.notEqual(second.transactionId, first.transactionId);
  await cp.call('StopTransaction', { transactionId: second.transactionId, meterStop: 3000, timestamp: '1970-01-01T01:00:00.000Z' });
  assert.deepEqual([first, second].map((s) => site.domain.transactions.byId(s.transactionId)!.energyWh), [2000, 3000]);
});

test('an identical start while the first session runs and its id was already used (meter values) is a new session', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-USED');
  const cp = await site.connectCharger('CP-USED');
  const same = start('TAG-USED', 1, 0, '1970-01-01T00:00:00.000Z');
  const first = await cp.call('StartTransaction', same);
  await cp.call('MeterValues', { connectorId: 1, transactionId: first.transactionId, meterValue: [{ timestamp: '1970-01-01T00:10:00Z', sampledValue: [{ value: '900' }] }] });
  const second = await cp.call('StartTransaction', same); // its stop was lost
  assert.notEqual(second.transactionId, first.transactionId);
  assert.equal(site.domain.transactions.byId(first.transactionId)!.status, 'INTERRUPTED', 'the first is in doubt, kept for its stop');
});

// EVerest sends transactionId -1 for a session started offline (https://github.com/EVerest/libocpp/issues/495).
test('StopTransaction with transactionId -1 or 0 completes the one open session it matches, once; an unmatched one is kept as an orphan', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-OFF');
  site.addIdTag('TAG-X');
  const cp = await site.connectCharger('CP-EVEREST');
  const { transactionId } = await cp.call('StartTransaction', start('TAG-OFF', 1, 971));
  const stop = { transactionId: -1, idTag: 'TAG-OFF', meterStop: 1971, timestamp: isoNow(), reason: 'Local' };
  await cp.call('StopTransaction', stop);
  await cp.call('StopTransaction', stop); // a retry
  const tx = site.domain.transactions.byId(transactionId)!;
  assert.deepEqual([tx.status, tx.energyWh], ['COMPLETED', 1000]);
  assert.match(tx.flags!, /stop_without_id/);
  assert.equal(site.count('transaction', "status = 'ORPHAN_STOP'"), 0, 'the retry found the session it completed');
  await cp.call('StopTransaction', { ...stop, transactionId: 0, idTag: 'TAG-X', timestamp: isoNow() });
  assert.equal(site.count('transaction', "status = 'ORPHAN_STOP' AND reported_transaction_id = 0"), 1, 'no open session of TAG-X: kept for review');
});

test('an offline-queued StartTransaction is judged at its own time: a tag that expired since was valid when the car plugged in', async () => {
  await using site = await startTestSite();
  const expiry = new Date(Date.now() - 3600_000).toISOString();
  site.addIdTag('TAG-EXP', { expiryDate: expiry });
  const cp = await site.connectCharger('CP-QUEUE');
  const queued = await cp.call('StartTransaction', start('TAG-EXP', 1, 0, new Date(Date.now() - 2 * 3600_000).toISOString()));
  assert.equal(queued.idTagInfo.status, 'Accepted', 'two hours ago the tag was valid');
  const now = await cp.call('StartTransaction', start('TAG-EXP', 2, 0));
  assert.equal(now.idTagInfo.status, 'Expired');
  const unsetClock = await cp.call('StartTransaction', start('TAG-EXP', 3, 0, '1970-01-01T00:00:00.000Z'));
  assert.equal(unsetClock.idTagInfo.status, 'Expired', 'a clock never set is not believed');
});

test('blocking a tag sends ClearCache to connected chargers and, with sessions.stopWhenBlocked, stops its running session', async () => {
  await using site = await startTestSite({ 'sessions.stopWhenBlocked': true });
  site.addIdTag('TAG-BAD');
  const cp = await site.connectCharger('CP-BLOCK');
  const idle = await site.connectCharger('CP-IDLE');
  const calls: string[] = [];
  cp.on('ClearCache', () => { calls.push('CP-BLOCK ClearCache'); return { status: 'Accepted' }; });
  idle.on('ClearCache', () => { calls.push('CP-IDLE ClearCache'); return { status: 'Accepted' }; });
  cp.on('RemoteStopTransaction', (p: { transactionId: number }) => { calls.push(`CP-BLOCK RemoteStop ${p.transactionId}`); return { status: 'Accepted' }; });
  const { transactionId } = await cp.call('StartTransaction', start('TAG-BAD'));
  const tag = site.domain.idTagRegistry.byIdTag('TAG-BAD')!;
  const res = await site.api(`/api/admin/id-tags/${tag.id}`, { method: 'PUT', body: { status: 'Blocked' } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  await site.blocks.blockedTags.pending;
  assert.deepEqual(calls.sort(), ['CP-BLOCK ClearCache', `CP-BLOCK RemoteStop ${transactionId}`, 'CP-IDLE ClearCache']);
});

// OCPP 1.6 groups: a tag with the same parentIdTag may stop the session (the charger compares the parents after
// Authorize); Authorize must not refuse that member for money the group session is using.
test('a group member can stop the group session: Authorize says Accepted with the parent even when the wallet is short', async () => {
  await using site = await startTestSite({ 'ocpp.minBalanceToStart': 100, 'ocpp.allowTagsWithoutWallet': false });
  await addTariff(site, { isDefault: true, pricePerKwh: 10 });
  const family = addUser(site, 'Family');
  site.addIdTag('FAMILY', { userId: family });
  site.addIdTag('CARD-A', { parentIdTag: 'FAMILY' });
  site.addIdTag('CARD-B', { parentIdTag: 'FAMILY' });
  await topUp(site, family, 1000);
  const cp = await site.connectCharger('CP-GROUP');
  const other = await site.connectCharger('CP-ELSEWHERE');
  const { transactionId } = await cp.call('StartTransaction', { connectorId: 1, idTag: 'CARD-A', meterStart: 0, timestamp: isoNow() });
  await cp.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: isoNow(), sampledValue: [{ value: '95000' }] }] });
  assert.equal((await other.call('Authorize', { idTag: 'CARD-B' })).idTagInfo.status, 'Blocked', 'elsewhere the group has no money left');
  const b = await cp.call('Authorize', { idTag: 'CARD-B' });
  assert.deepEqual(b.idTagInfo, { status: 'Accepted', parentIdTag: 'FAMILY' });
  await cp.call('StopTransaction', { transactionId, meterStop: 95000, timestamp: isoNow(), idTag: 'CARD-B' });
  const tx = site.domain.transactions.byId(transactionId)!;
  assert.deepEqual([tx.status, tx.stopIdTag], ['COMPLETED', 'CARD-B']);
});
