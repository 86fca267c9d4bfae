import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';
import { waitFor } from '../support/waitFor.js';

test('SendLocalList Full, then a Differential when tags change, versioned per charger', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-1');
  site.addIdTag('TAG-2', { status: 'Blocked' });
  site.addIdTag('TAG-3', { parentIdTag: 'TAG-1', expiryDate: '2001-01-01T00:00:00.000Z' });
  const cp = await site.connectCharger('CP-1');
  const lists: any[] = [];
  cp.on('SendLocalList', (p) => { lists.push(p); return { status: 'Accepted' }; });

  const full = await site.api('/api/admin/chargers/CP-1/local-list', { body: { updateType: 'Full' } });
  assert.equal(full.status, 200, JSON.stringify(full.body));
  assert.deepEqual(full.body, { status: 'Accepted', listVersion: 1, updateType: 'Full', entries: 3, messages: 1 });
  assert.deepEqual(lists[0], {
    listVersion: 1, updateType: 'Full', localAuthorizationList: [
      { idTag: 'TAG-1', idTagInfo: { status: 'Accepted' } },
      { idTag: 'TAG-2', idTagInfo: { status: 'Blocked' } },
      { idTag: 'TAG-3', idTagInfo: { status: 'Expired', expiryDate: '2001-01-01T00:00:00.000Z', parentIdTag: 'TAG-1' } },
    ],
  });
  let state = await site.api('/api/admin/chargers/CP-1/local-list');
  assert.deepEqual(state.body.list.version, 1);
  assert.equal(state.body.list.inSync, true);

  // An operator blocks TAG-1, deletes TAG-2 and adds TAG-4; the API emits idTags.changed.
  site.database.sqlite.prepare("UPDATE id_tag SET status = 'Blocked' WHERE id_tag = 'TAG-1'").run();
  site.database.sqlite.prepare("DELETE FROM id_tag WHERE id_tag = 'TAG-2'").run();
  site.addIdTag('TAG-4');
  state = await site.api('/api/admin/chargers/CP-1/local-list');
  assert.equal(state.body.list.inSync, false, 'the page shows the charger is behind');
  site.domain.events.emit('idTags.changed', {});
  await waitFor('the differential update', () => lists.length === 2 && site.domain.localLists.state(1)?.version === 2);
  assert.equal(lists[1].updateType, 'Differential');
  assert.equal(lists[1].listVersion, 2);
  const byTag = Object.fromEntries(lists[1].localAuthorizationList.map((e: any) => [e.idTag, e.idTagInfo ?? null]));
  // TAG-3 is in TAG-1's group: the charger cannot know its group is blocked, so the list says so (as Authorize does).
  assert.deepEqual(byTag, {
    'TAG-1': { status: 'Blocked' }, 'TAG-3': { status: 'Blocked', expiryDate: '2001-01-01T00:00:00.000Z', parentIdTag: 'TAG-1' },
    'TAG-4': { status: 'Accepted' }, 'TAG-2': null,
  });

  // Nothing changed: an automatic sync sends nothing.
  const again = await site.api('/api/admin/chargers/CP-1/local-list', { body: { updateType: 'auto' } });
  assert.deepEqual(again.body, { status: 'UpToDate', listVersion: 2 });
  assert.equal(lists.length, 2);
  const all = await site.api('/api/admin/local-lists');
  assert.deepEqual(all.body.chargers, [{ chargePointId: 'CP-1', list: { version: 2, status: 'Accepted', updatedAt: all.body.chargers[0].list.updatedAt, inSync: true } }]);
});

test('GetLocalListVersion: a different version makes the next sync a Full list', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-1');
  const cp = await site.connectCharger('CP-1');
  const lists: any[] = [];
  cp.on('SendLocalList', (p) => { lists.push(p); return { status: 'Accepted' }; });
  cp.on('GetLocalListVersion', () => ({ listVersion: 7 }));
  await site.api('/api/admin/chargers/CP-1/local-list', { body: {} });
  const version = await site.api('/api/admin/chargers/CP-1/local-list/version');
  assert.deepEqual(version.body, { listVersion: 7, expected: 1, status: 'VersionMismatch' });
  const sync = await site.api('/api/admin/chargers/CP-1/local-list', { body: { updateType: 'auto' } });
  assert.equal(sync.body.updateType, 'Full');
  assert.equal(lists[1].updateType, 'Full');
});

test('a Differential refused with VersionMismatch is resent as Full', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-1');
  const cp = await site.connectCharger('CP-1');
  const lists: any[] = [];
  cp.on('SendLocalList', (p) => { lists.push(p); return { status: lists.length === 2 ? 'VersionMismatch' : 'Accepted' }; });
  await site.api('/api/admin/chargers/CP-1/local-list', { body: {} });
  site.addIdTag('TAG-2');
  const res = await site.api('/api/admin/chargers/CP-1/local-list', { body: { updateType: 'Differential' } });
  assert.deepEqual(lists.map((l) => l.updateType), ['Full', 'Differential', 'Full']);
  assert.equal(res.body.status, 'Accepted');
  assert.equal(res.body.updateType, 'Full');
});

test('a charger that never had a list, or does not support lists, is not synced automatically', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-1');
  const cp = await site.connectCharger('CP-1');
  cp.on('SendLocalList', () => ({ status: 'NotSupported' }));
  const other = await site.connectCharger('CP-2');
  site.domain.events.emit('idTags.changed', {});
  const res = await site.api('/api/admin/chargers/CP-1/local-list', { body: {} });
  assert.equal(res.body.status, 'NotSupported');
  site.addIdTag('TAG-2');
  site.domain.events.emit('idTags.changed', {});
  await new Promise((r) => setTimeout(r, 400)); // past the 200 ms debounce: nothing may be sent
  assert.equal(cp.received.filter((c) => c.action === 'SendLocalList').length, 1);
  assert.equal(other.received.length, 0);
});

test('local list API errors: bad body, unknown charger, offline charger, charger error', async () => {
  await using site = await startTestSite();
  await site.addCharger('CP-OFF');
  await site.connectCharger('CP-1'); // answers nothing: NotImplemented
  assert.equal((await site.api('/api/admin/chargers/CP-1/local-list', { body: { updateType: 'Sometimes' } })).status, 400);
  assert.equal((await site.api('/api/admin/chargers/NOPE/local-list', { body: {} })).status, 404);
  const offline = await site.api('/api/admin/chargers/CP-OFF/local-list', { body: {} });
  assert.equal(offline.status, 409);
  assert.equal(offline.body.error.code, 'charger_offline');
  const refused = await site.api('/api/admin/chargers/CP-1/local-list', { body: {} });
  assert.equal(refused.status, 502);
  assert.equal(refused.body.error.details.code, 'NotImplemented');
});
