import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, isoNow } from '../support/testSite.js';
import { addTariff, addUser, topUp } from '../support/wallets.js';

const start = (idTag: string, connectorId = 1, meterStart = 0) => ({ connectorId, idTag, meterStart, timestamp: isoNow() });

test('an unknown idTag is Invalid, on Authorize and StartTransaction, never a CALLERROR', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-1');
  assert.deepEqual(await cp.call('Authorize', { idTag: 'NOBODY' }), { idTagInfo: { status: 'Invalid' } });
  const started = await cp.call('StartTransaction', start('NOBODY'));
  assert.equal(started.idTagInfo.status, 'Invalid');
  assert.equal(site.domain.transactions.byId(started.transactionId)!.authStatus, 'Invalid');
});

test('a blocked idTag, or one whose parent (group) tag is blocked, is Blocked', async () => {
  await using site = await startTestSite();
  site.addIdTag('BLOCKED', { status: 'Blocked' });
  site.addIdTag('GROUP', { status: 'Blocked' });
  site.addIdTag('MEMBER', { parentIdTag: 'GROUP' });
  const cp = await site.connectCharger('CP-1');
  assert.equal((await cp.call('Authorize', { idTag: 'BLOCKED' })).idTagInfo.status, 'Blocked');
  assert.equal((await cp.call('StartTransaction', start('BLOCKED'))).idTagInfo.status, 'Blocked');
  const member = await cp.call('Authorize', { idTag: 'MEMBER' });
  assert.deepEqual(member.idTagInfo, { status: 'Blocked', parentIdTag: 'GROUP' });
});

test('an expired idTag is Expired and says when it expired', async () => {
  await using site = await startTestSite();
  const expiry = new Date(Date.now() - 60_000).toISOString();
  site.addIdTag('OLD', { expiryDate: expiry });
  const cp = await site.connectCharger('CP-1');
  assert.deepEqual((await cp.call('Authorize', { idTag: 'OLD' })).idTagInfo, { status: 'Expired', expiryDate: expiry });
  assert.equal((await cp.call('StartTransaction', start('OLD'))).idTagInfo.status, 'Expired');
});

test('an idTag charging elsewhere is ConcurrentTx; at its own charger Authorize stays Accepted (to stop)', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-1');
  const cp1 = await site.connectCharger('CP-1');
  const cp2 = await site.connectCharger('CP-2');
  const first = await cp1.call('StartTransaction', start('TAG-1'));
  assert.equal(first.idTagInfo.status, 'Accepted');
  assert.equal((await cp2.call('Authorize', { idTag: 'TAG-1' })).idTagInfo.status, 'ConcurrentTx');
  // A refused start still gets a transaction id; the charger ends it (DeAuthorized).
  const refused2 = await cp2.call('StartTransaction', start('TAG-1'));
  assert.equal(refused2.idTagInfo.status, 'ConcurrentTx');
  await cp2.call('StopTransaction', { transactionId: refused2.transactionId, meterStop: 0, timestamp: isoNow(), reason: 'DeAuthorized' });
  const refused1 = await cp1.call('StartTransaction', start('TAG-1', 2));
  assert.equal(refused1.idTagInfo.status, 'ConcurrentTx', 'other connector, same charger');
  await cp1.call('StopTransaction', { transactionId: refused1.transactionId, meterStop: 0, timestamp: isoNow(), reason: 'DeAuthorized' });
  assert.equal((await cp1.call('Authorize', { idTag: 'TAG-1' })).idTagInfo.status, 'Accepted');
  await cp1.call('StopTransaction', { transactionId: first.transactionId, meterStop: 10, timestamp: isoNow() });
  assert.equal((await cp2.call('Authorize', { idTag: 'TAG-1' })).idTagInfo.status, 'Accepted');
});

test('a wallet below the minimum balance is Blocked until topped up', async () => {
  await using site = await startTestSite({ 'ocpp.minBalanceToStart': 500 });
  await addTariff(site, { isDefault: true });
  const userId = addUser(site);
  site.addIdTag('POOR', { userId });
  await topUp(site, userId, 499);
  const cp = await site.connectCharger('CP-1');
  assert.equal((await cp.call('Authorize', { idTag: 'POOR' })).idTagInfo.status, 'Blocked');
  assert.equal((await cp.call('StartTransaction', start('POOR'))).idTagInfo.status, 'Blocked');
  await topUp(site, userId, 1);
  assert.equal((await cp.call('Authorize', { idTag: 'POOR' })).idTagInfo.status, 'Accepted');
  assert.equal((await cp.call('StartTransaction', start('POOR', 1, 100))).idTagInfo.status, 'Accepted');
});

test('a wallet with enough money is Accepted; a second tag of the same user counts what the first session already cost', async () => {
  await using site = await startTestSite({ 'ocpp.minBalanceToStart': 100 });
  await addTariff(site, { isDefault: true, pricePerKwh: 30 });
  const userId = addUser(site);
  site.addIdTag('CARD', { userId });
  site.addIdTag('APP', { userId });
  await topUp(site, userId, 1000);
  const cp1 = await site.connectCharger('CP-1');
  const cp2 = await site.connectCharger('CP-2');
  const s = await cp1.call('StartTransaction', start('CARD', 1, 0));
  assert.equal(s.idTagInfo.status, 'Accepted');
  assert.equal((await cp2.call('Authorize', { idTag: 'APP' })).idTagInfo.status, 'Accepted');
  // 31 kWh so far = 930: 1000 - 930 = 70, under the 100 a second session needs.
  await cp1.call('MeterValues', { connectorId: 1, transactionId: s.transactionId, meterValue: [{ timestamp: isoNow(), sampledValue: [{ value: '31000' }] }] });
  assert.equal((await cp2.call('Authorize', { idTag: 'APP' })).idTagInfo.status, 'Blocked');
});

test('by default a tag without a wallet (or without a user) is Blocked; a wallet in another currency than the tariff is Blocked', async () => {
  // undefined: the production default, not the test sites' allowTagsWithoutWallet: true.
  await using strict = await startTestSite({ 'ocpp.allowTagsWithoutWallet': undefined });
  assert.equal(strict.config.ocpp.allowTagsWithoutWallet, false, 'wallets are required by default');
  const userId = addUser(strict);
  strict.addIdTag('NO-WALLET', { userId });
  strict.addIdTag('NO-USER');
  const cp = await strict.connectCharger('CP-1');
  assert.equal((await cp.call('Authorize', { idTag: 'NO-WALLET' })).idTagInfo.status, 'Blocked');
  assert.equal((await cp.call('Authorize', { idTag: 'NO-USER' })).idTagInfo.status, 'Blocked');
  const refused = await cp.call('StartTransaction', start('NO-USER'));
  assert.equal(refused.idTagInfo.status, 'Blocked');
  await cp.call('StopTransaction', { transactionId: refused.transactionId, meterStop: 0, timestamp: isoNow(), reason: 'DeAuthorized' });
  await topUp(strict, userId, 1000, 'k1', 'CHF');
  assert.equal((await cp.call('Authorize', { idTag: 'NO-WALLET' })).idTagInfo.status, 'Accepted', 'no tariff: nothing to mismatch');
  await addTariff(strict, { isDefault: true, currency: 'EUR' });
  assert.equal((await cp.call('Authorize', { idTag: 'NO-WALLET' })).idTagInfo.status, 'Blocked', 'CHF wallet cannot pay EUR');
});

test('a site that does not bill through wallets sets allowTagsWithoutWallet: its tags without a wallet are Accepted', async () => {
  await using open = await startTestSite({ 'ocpp.allowTagsWithoutWallet': true });
  open.addIdTag('NO-USER');
  const cp = await open.connectCharger('CP-1');
  assert.equal((await cp.call('Authorize', { idTag: 'NO-USER' })).idTagInfo.status, 'Accepted');
  assert.equal((await cp.call('StartTransaction', start('NO-USER'))).idTagInfo.status, 'Accepted');
});

test('a member tag without its own user is paid by its group tag owner', async () => {
  await using site = await startTestSite({ 'ocpp.allowTagsWithoutWallet': false });
  await addTariff(site, { isDefault: true, pricePerKwh: 100 });
  const owner = addUser(site, 'Fleet owner');
  site.addIdTag('FLEET', { userId: owner });
  site.addIdTag('DRIVER-7', { parentIdTag: 'FLEET' });
  await topUp(site, owner, 5000);
  const cp = await site.connectCharger('CP-1');
  const s = await cp.call('StartTransaction', start('DRIVER-7', 1, 1000));
  assert.deepEqual(s.idTagInfo, { status: 'Accepted', parentIdTag: 'FLEET' });
  await cp.call('StopTransaction', { transactionId: s.transactionId, meterStop: 3000, timestamp: isoNow(), idTag: 'DRIVER-7' });
  assert.equal(site.domain.wallets.forUser(owner)!.balance, 5000 - 200);
});

test('a session in doubt still counts against the minimum balance: doubt does not free the money it will be charged', async () => {
  await using site = await startTestSite({ 'ocpp.minBalanceToStart': 100, 'sessions.doubtAfterIdleSec': 1 });
  await addTariff(site, { isDefault: true, pricePerKwh: 10 });
  const userId = addUser(site);
  site.addIdTag('I1', { userId });
  site.addIdTag('I2', { userId });
  await topUp(site, userId, 1000);
  const cp1 = await site.connectCharger('CP-1');
  const cp2 = await site.connectCharger('CP-2');
  const a = await cp1.call('StartTransaction', start('I1', 1, 0));
  assert.equal(a.idTagInfo.status, 'Accepted');
  // 95 kWh at 10 = 950 used: 1000 - 950 = 50, under the 100 minimum.
  await cp1.call('MeterValues', { connectorId: 1, transactionId: a.transactionId, meterValue: [{ timestamp: isoNow(), sampledValue: [{ value: '95000' }] }] });
  assert.equal((await cp2.call('Authorize', { idTag: 'I2' })).idTagInfo.status, 'Blocked');
  // Its connector reports Available with the session still open: after a while the session is in doubt.
  await cp1.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });
  await site.blocks.sessionReview.run(new Date(Date.now() + 2000));
  assert.equal(site.domain.transactions.byId(a.transactionId)!.status, 'INTERRUPTED');
  assert.equal((await cp2.call('Authorize', { idTag: 'I2' })).idTagInfo.status, 'Blocked', 'Authorize with the session in doubt');
  const refused = await cp2.call('StartTransaction', start('I2'));
  assert.equal(refused.idTagInfo.status, 'Blocked', 'StartTransaction with the session in doubt');
  await cp2.call('StopTransaction', { transactionId: refused.transactionId, meterStop: 0, timestamp: isoNow(), reason: 'DeAuthorized' });
  // Its stop still charges it, and then the balance speaks for itself.
  await cp1.call('StopTransaction', { transactionId: a.transactionId, meterStop: 95000, timestamp: isoNow() });
  assert.equal(site.domain.wallets.forUser(userId)!.balance, 50);
  assert.equal((await cp2.call('Authorize', { idTag: 'I2' })).idTagInfo.status, 'Blocked');
  await topUp(site, userId, 50);
  assert.equal((await cp2.call('Authorize', { idTag: 'I2' })).idTagInfo.status, 'Accepted');
});
