// OCPP 1.6 IdToken is CiString20: a card registered as "ABC123" is the same card when a charger sends
// "abc123" or "Abc123", for every check that reads an idTag. Real server, real WebSocket charger.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, isoNow } from '../support/testSite.js';
import { addUser } from '../support/wallets.js';

const start = (idTag: string, connectorId = 1) => ({ connectorId, idTag, meterStart: 0, timestamp: isoNow() });

test('a card registered as ABC123 is Accepted as abc123 on Authorize and StartTransaction; its stop as Abc123 is the same tag', async () => {
  await using site = await startTestSite();
  const userId = addUser(site);
  site.addIdTag('ABC123', { userId, expiryDate: '2099-01-01T00:00:00.000Z' });
  const cp1 = await site.connectCharger('CP-1');
  const cp2 = await site.connectCharger('CP-2');

  assert.deepEqual(await cp1.call('Authorize', { idTag: 'abc123' }), { idTagInfo: { status: 'Accepted', expiryDate: '2099-01-01T00:00:00.000Z' } });
  const started = await cp1.call('StartTransaction', start('abc123'));
  assert.equal(started.idTagInfo.status, 'Accepted');
  const tx = site.domain.transactions.byId(started.transactionId)!;
  assert.equal(tx.authStatus, 'Accepted');
  assert.equal(tx.userId, userId, 'the session is the registered driver\'s (their wallet pays)');
  assert.equal(tx.idTag, 'abc123', 'the session keeps what the charger sent');

  // Running as "abc123": the card in any case is charging. Elsewhere it is ConcurrentTx, here it may stop.
  assert.equal((await cp2.call('Authorize', { idTag: 'ABC123' })).idTagInfo.status, 'ConcurrentTx');
  assert.equal((await cp2.call('Authorize', { idTag: 'aBc123' })).idTagInfo.status, 'ConcurrentTx');
  assert.equal((await cp1.call('Authorize', { idTag: 'ABC123' })).idTagInfo.status, 'Accepted');
  const refused = await cp2.call('StartTransaction', start('ABC123'));
  assert.equal(refused.idTagInfo.status, 'ConcurrentTx');
  await cp2.call('StopTransaction', { transactionId: refused.transactionId, meterStop: 0, timestamp: isoNow(), reason: 'DeAuthorized' });

  const stopped = await cp1.call('StopTransaction', { transactionId: started.transactionId, idTag: 'Abc123', meterStop: 1500, timestamp: isoNow() });
  assert.equal(stopped.idTagInfo.status, 'Accepted', 'the stop tag is the registered card, not Invalid');
  const done = site.domain.transactions.byId(started.transactionId)!;
  assert.equal(done.status, 'COMPLETED');
  assert.equal(done.stopIdTag, 'Abc123');
  // Stopped: no longer charging anywhere, in any case.
  assert.equal((await cp2.call('Authorize', { idTag: 'ABC123' })).idTagInfo.status, 'Accepted');

  // The sessions of the card, whatever case the charger used, are found by any spelling.
  const listed = await site.api('/api/admin/transactions?idTag=ABC123');
  assert.equal(listed.status, 200, JSON.stringify(listed.body));
  assert.deepEqual(listed.body.transactions.map((t: any) => t.id).sort(), [started.transactionId, refused.transactionId].sort());
});

test('a group tag is found in any case: a blocked group blocks its member, and the parent is named as registered', async () => {
  await using site = await startTestSite();
  site.addIdTag('FLEET-A', { status: 'Blocked' });
  // Stored with another spelling than the group's (e.g. by an older version): still the same group.
  site.addIdTag('MEMBER-1', { parentIdTag: 'fleet-a' });
  const cp = await site.connectCharger('CP-1');
  assert.deepEqual((await cp.call('Authorize', { idTag: 'member-1' })).idTagInfo, { status: 'Blocked', parentIdTag: 'FLEET-A' });
  assert.equal((await cp.call('Authorize', { idTag: 'Fleet-A' })).idTagInfo.status, 'Blocked');
});

test('reservations, remote start and local lists use the registered spelling and match any case', async () => {
  await using site = await startTestSite();
  site.addIdTag('ABC123', { parentIdTag: 'GROUP-1' });
  site.addIdTag('GROUP-1');
  site.addIdTag('KID-7', { parentIdTag: 'group-1' });
  const cp = await site.connectCharger('CP-1');
  cp.on('ReserveNow', () => ({ status: 'Accepted' }));
  cp.on('RemoteStartTransaction', () => ({ status: 'Accepted' }));
  const lists: any[] = [];
  cp.on('SendLocalList', (p) => { lists.push(p); return { status: 'Accepted' }; });

  // Reserved for "abc123": the charger is told ABC123 (and its group), and a start as "aBC123" uses it.
  const reserved = await site.api('/api/admin/chargers/CP-1/reservations', { body: { connectorId: 2, idTag: 'abc123', expiresInMinutes: 10 } });
  assert.equal(reserved.status, 201, JSON.stringify(reserved.body));
  assert.equal(reserved.body.reservation.idTag, 'ABC123');
  const reserveNow = cp.received.find((m) => m.action === 'ReserveNow')!;
  assert.equal(reserveNow.payload.idTag, 'ABC123');
  assert.equal(reserveNow.payload.parentIdTag, 'GROUP-1');
  const started = await cp.call('StartTransaction', start('aBC123', 2));
  assert.equal(started.idTagInfo.status, 'Accepted');
  const used = site.domain.reservations.byId(reserved.body.reservation.id)!;
  assert.equal(used.status, 'Used', 'the reservation held for this connector and card, in another case');
  assert.equal(used.transactionId, started.transactionId);
  await cp.call('StopTransaction', { transactionId: started.transactionId, meterStop: 10, timestamp: isoNow() });

  // Remote start for "group-1" is authorized as GROUP-1 and sent as GROUP-1.
  const remote = await site.api('/api/admin/chargers/CP-1/remote-start', { body: { idTag: 'group-1', connectorId: 1 } });
  assert.equal(remote.status, 200, JSON.stringify(remote.body));
  assert.equal(cp.received.find((m) => m.action === 'RemoteStartTransaction')!.payload.idTag, 'GROUP-1');

  // The local list holds each card once, as registered; KID-7's group is named as registered too.
  const full = await site.api('/api/admin/chargers/CP-1/local-list', { body: { updateType: 'Full' } });
  assert.equal(full.status, 200, JSON.stringify(full.body));
  assert.deepEqual(lists.at(-1).localAuthorizationList, [
    { idTag: 'ABC123', idTagInfo: { status: 'Accepted', parentIdTag: 'GROUP-1' } },
    { idTag: 'GROUP-1', idTagInfo: { status: 'Accepted' } },
    { idTag: 'KID-7', idTagInfo: { status: 'Accepted', parentIdTag: 'GROUP-1' } },
  ]);

  // Deleted and added again in another case: the Differential removes the old spelling BEFORE adding the
  // new one, so a charger that compares case-insensitively ends up holding the card.
  site.database.sqlite.prepare("DELETE FROM id_tag WHERE id_tag = 'KID-7'").run();
  const readded = await site.api('/api/admin/id-tags', { body: { idTag: 'kid-7', parentIdTag: 'GROUP-1' } });
  assert.equal(readded.status, 201, JSON.stringify(readded.body));
  const diff = await site.api('/api/admin/chargers/CP-1/local-list', { body: { updateType: 'Differential' } });
  assert.equal(diff.status, 200, JSON.stringify(diff.body));
  assert.deepEqual(lists.at(-1).localAuthorizationList, [
    { idTag: 'KID-7' },
    { idTag: 'kid-7', idTagInfo: { status: 'Accepted', parentIdTag: 'GROUP-1' } },
  ]);
});
