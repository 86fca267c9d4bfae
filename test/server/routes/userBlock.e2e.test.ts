// Blocking a user: every idTag of theirs (and tags in their groups) is refused at Authorize,
// StartTransaction and remote start, chargers' local lists follow, and unblocking restores each tag's
// own status (a tag blocked on its own stays blocked).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isoNow, startTestSite } from '../../support/testSite.js';
import { waitFor } from '../../support/waitFor.js';

test('a blocked user is refused everywhere; unblocking restores their tags as they were', async () => {
  await using site = await startTestSite();
  const created = await site.api('/api/admin/users', { body: { fullName: 'Bo Blocked' } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const user = created.body.user;
  assert.equal(user.status, 'Active', 'a new user is active');
  site.addIdTag('BO-CARD', { userId: user.id });
  site.addIdTag('BO-OLD', { userId: user.id, status: 'Blocked' });
  site.addIdTag('BO-KID', { parentIdTag: 'BO-CARD' }); // in Bo's group, no user of its own
  site.addIdTag('OTHER');
  const cp = await site.connectCharger('CP-1');
  const lists: any[] = [];
  cp.on('SendLocalList', (p) => { lists.push(p); return { status: 'Accepted' }; });
  cp.on('RemoteStartTransaction', () => ({ status: 'Accepted' }));
  assert.equal((await site.api('/api/admin/chargers/CP-1/local-list', { body: { updateType: 'Full' } })).status, 200);
  const authorize = async (idTag: string) => (await cp.call('Authorize', { idTag })).idTagInfo.status;
  assert.equal(await authorize('BO-CARD'), 'Accepted');

  const blocked = await site.api(`/api/admin/users/${user.id}`, { method: 'PUT', body: { status: 'Blocked' } });
  assert.equal(blocked.status, 200, JSON.stringify(blocked.body));
  assert.equal(blocked.body.user.status, 'Blocked');
  assert.equal((await site.api(`/api/admin/users/${user.id}`)).body.user.status, 'Blocked', 'the state is stored');
  assert.equal(await authorize('BO-CARD'), 'Blocked');
  assert.equal(await authorize('BO-KID'), 'Blocked', 'a tag in the blocked user\'s group');
  assert.equal(await authorize('OTHER'), 'Accepted', 'other drivers are not affected');
  const start = await cp.call('StartTransaction', { connectorId: 1, idTag: 'BO-CARD', meterStart: 0, timestamp: isoNow() });
  assert.equal(start.idTagInfo.status, 'Blocked');
  await cp.call('StopTransaction', { transactionId: start.transactionId, meterStop: 0, timestamp: isoNow(), reason: 'DeAuthorized' });
  const remote = await site.api('/api/admin/chargers/CP-1/remote-start', { body: { connectorId: 1, idTag: 'BO-CARD' } });
  assert.equal(remote.status, 409, JSON.stringify(remote.body));
  assert.equal(remote.body.error.code, 'id_tag_not_accepted');
  assert.equal(cp.received.filter((c) => c.action === 'RemoteStartTransaction').length, 0, 'nothing was sent to the charger');
  // The tags' own rows are untouched: the block lives on the user.
  assert.equal(site.count('id_tag', "id_tag = 'BO-CARD' AND status = 'Accepted'"), 1);
  // The charger's local list follows (a charger offline or pre-authorizing locally must refuse too).
  await waitFor('the local list update after the block', () => lists.length === 2);
  const sent = Object.fromEntries(lists[1].localAuthorizationList.map((e: any) => [e.idTag, e.idTagInfo?.status]));
  assert.deepEqual(sent, { 'BO-CARD': 'Blocked', 'BO-KID': 'Blocked' });

  const unblocked = await site.api(`/api/admin/users/${user.id}`, { method: 'PUT', body: { status: 'Active' } });
  assert.equal(unblocked.status, 200, JSON.stringify(unblocked.body));
  assert.equal(await authorize('BO-CARD'), 'Accepted');
  assert.equal(await authorize('BO-KID'), 'Accepted');
  assert.equal(await authorize('BO-OLD'), 'Blocked', 'a tag blocked on its own stays blocked');
  const again = await site.api('/api/admin/chargers/CP-1/remote-start', { body: { connectorId: 1, idTag: 'BO-CARD' } });
  assert.equal(again.status, 200, JSON.stringify(again.body));
  await waitFor('the local list update after the unblock', () => lists.length === 3);
  const restored = Object.fromEntries(lists[2].localAuthorizationList.map((e: any) => [e.idTag, e.idTagInfo?.status]));
  assert.deepEqual(restored, { 'BO-CARD': 'Accepted', 'BO-KID': 'Accepted' });
});

test('a user status other than Active or Blocked is a 400; a viewer cannot block', async () => {
  await using site = await startTestSite();
  const user = (await site.api('/api/admin/users', { body: { fullName: 'Val' } })).body.user;
  const bad = await site.api(`/api/admin/users/${user.id}`, { method: 'PUT', body: { status: 'Frozen' } });
  assert.equal(bad.status, 400, JSON.stringify(bad.body));
  const viewer = await site.api(`/api/admin/users/${user.id}`, { method: 'PUT', body: { status: 'Blocked' }, token: site.createToken('viewer') });
  assert.equal(viewer.status, 403);
  assert.equal(site.domain.users.byId(user.id)!.status, 'Active');
});
