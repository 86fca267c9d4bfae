// `ocpp-edge idtag ...` run as its own process while the server runs on the same data dir: the server
// notices the change (the idTags revision in the setting table) and chargers holding a local list get it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../support/cliProcess.js';
import { startTestSite } from '../support/testSite.js';
import { waitFor } from '../support/waitFor.js';

const cli = runCli;


test('a tag blocked or added from the CLI reaches the local list of a connected charger without a reconnect', async () => {
  await using site = await startTestSite();
  site.addIdTag('CARD-1');
  site.addIdTag('CARD-2');
  const cp = await site.connectCharger('CP-1');
  const lists: any[] = [];
  cp.on('SendLocalList', (p) => { lists.push(p); return { status: 'Accepted' }; });
  const full = await site.api('/api/admin/chargers/CP-1/local-list', { body: { updateType: 'Full' } });
  assert.equal(full.body.status, 'Accepted', JSON.stringify(full.body));

  const blocked = await cli(site.dir, ['idtag', 'block', 'CARD-1']);
  assert.equal(blocked.code, 0, blocked.err);
  // The deadline only turns a hang into a failure: the server checks every couple of seconds.
  await waitFor('the differential list after the CLI block', () => lists.length === 2, 15_000);
  assert.deepEqual(lists[1], { listVersion: 2, updateType: 'Differential', localAuthorizationList: [{ idTag: 'CARD-1', idTagInfo: { status: 'Blocked' } }] });

  const added = await cli(site.dir, ['idtag', 'add', 'CARD-3']);
  assert.equal(added.code, 0, added.err);
  await waitFor('the differential list after the CLI add', () => lists.length === 3, 15_000);
  assert.deepEqual(lists[2].localAuthorizationList, [{ idTag: 'CARD-3', idTagInfo: { status: 'Accepted' } }]);
});

test("the server's own tag changes are synced once, not again when it next checks the revision", async () => {
  await using site = await startTestSite();
  site.addIdTag('CARD-1');
  const cp = await site.connectCharger('CP-1');
  let sends = 0;
  cp.on('SendLocalList', () => { sends++; return { status: 'Accepted' }; });
  await site.api('/api/admin/chargers/CP-1/local-list', { body: { updateType: 'Full' } });
  const tag = site.domain.idTagRegistry.byIdTag('CARD-1')!;
  const before = site.domain.idTagRevision.current();
  await site.domain.uow.run(() => site.domain.idTagRegistry.update(tag.id, { status: 'Blocked' }));
  assert.notEqual(site.domain.idTagRevision.current(), before, 'the change moved the revision in the same commit');
  await waitFor('the differential list', () => sends === 2);
  // Counting events rather than messages: an extra sync would send nothing (the list is current), so
  // the watcher is checked directly for not re-announcing a change this process made.
  let announced = 0;
  site.domain.events.on('idTags.changed', () => { announced++; });
  assert.equal(site.blocks.idTagWatcher.checkNow(), false, 'its own change is not news to the server');
  assert.equal(announced, 0);
  // A change from another connection (as the CLI makes) is.
  site.database.sqlite.prepare("UPDATE setting SET value = '\"other-process\"' WHERE key = 'idTags.revision'").run();
  assert.equal(site.blocks.idTagWatcher.checkNow(), true);
  assert.equal(announced, 1);
});
