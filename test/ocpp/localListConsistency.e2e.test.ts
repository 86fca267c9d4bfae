// Local lists say what Authorize says (issue 14): a tag Authorize blocks for missing funds is no Accepted entry,
// money moving updates the lists, and after each boot the charger's list version is checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';
import { waitFor } from '../support/waitFor.js';
import { addUser, topUp } from '../support/wallets.js';

type Sent = { listVersion: number; updateType: string; localAuthorizationList: Array<{ idTag: string; idTagInfo?: { status: string } }> };

test('a tag Authorize blocks for missing funds is Blocked in the local list; a top-up sends it Accepted', async () => {
  await using site = await startTestSite({ 'ocpp.minBalanceToStart': 100, 'ocpp.allowTagsWithoutWallet': false });
  const poor = addUser(site, 'Poor');
  site.addIdTag('TAG-POOR', { userId: poor });
  await topUp(site, poor, 50);
  const rich = addUser(site, 'Rich');
  site.addIdTag('TAG-RICH', { userId: rich });
  await topUp(site, rich, 5000);
  const cp = await site.connectCharger('CP-LIST');
  const lists: Sent[] = [];
  cp.on('SendLocalList', (p: Sent) => { lists.push(p); return { status: 'Accepted' }; });
  assert.equal((await cp.call('Authorize', { idTag: 'TAG-POOR' })).idTagInfo.status, 'Blocked');
  const sent = await site.api('/api/admin/chargers/CP-LIST/local-list', { body: { updateType: 'Full' } });
  assert.equal(sent.body.status, 'Accepted');
  const status = (l: Sent, tag: string) => l.localAuthorizationList.find((e) => e.idTag === tag)?.idTagInfo?.status;
  assert.deepEqual([status(lists[0]!, 'TAG-POOR'), status(lists[0]!, 'TAG-RICH')], ['Blocked', 'Accepted']);

  await topUp(site, poor, 500);
  await waitFor('the list follows the wallet', () => lists.length === 2);
  assert.deepEqual(lists[1], { listVersion: 2, updateType: 'Differential', localAuthorizationList: [{ idTag: 'TAG-POOR', idTagInfo: { status: 'Accepted' } }] });
  assert.equal((await cp.call('Authorize', { idTag: 'TAG-POOR' })).idTagInfo.status, 'Accepted');
});

test('after each BootNotification the charger is asked GetLocalListVersion; a different version gets a Full list', async () => {
  await using site = await startTestSite();
  site.addIdTag('TAG-1');
  const cp = await site.connectCharger('CP-REBOOT-LIST');
  const lists: Sent[] = [];
  let version = 0;
  cp.on('SendLocalList', (p: Sent) => { lists.push(p); version = p.listVersion; return { status: 'Accepted' }; });
  cp.on('GetLocalListVersion', () => ({ listVersion: version }));
  await site.api('/api/admin/chargers/CP-REBOOT-LIST/local-list', { body: { updateType: 'Full' } });
  const asked = () => cp.received.filter((c) => c.action === 'GetLocalListVersion').length;

  await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'X' });
  await waitFor('the version check after boot', () => asked() === 1);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(lists.length, 1, 'same version: nothing to send');

  version = 0; // the reboot lost the list
  await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'X' });
  await waitFor('a Full list after the mismatch', () => lists.length === 2);
  assert.equal(lists[1]!.updateType, 'Full');
  assert.ok(lists[1]!.listVersion > 1);
  assert.equal(asked(), 2);
});
