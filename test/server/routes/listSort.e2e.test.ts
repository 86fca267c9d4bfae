// ?sort= on the paged admin lists (users, idTags, sessions): whitelisted keys, - for descending, empty
// values last, a stable id tie-break across pages, and 400 with the allowed keys for anything else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isoNow, startTestSite } from '../../support/testSite.js';
import { addUser, topUp } from '../../support/wallets.js';

test('users, idTags and sessions sort on a whitelisted key, both ways; a bad key is 400 with the keys', async () => {
  await using site = await startTestSite();
  const zoe = addUser(site, 'zoe Zimmer');
  const ada = addUser(site, 'Ada Adams');
  const max = addUser(site, 'Max Mustermann');
  await topUp(site, zoe, 500);
  await topUp(site, ada, 9000);
  site.addIdTag('b-tag', { userId: max });
  site.addIdTag('A-TAG', { userId: zoe });
  site.addIdTag('C-TAG');

  const names = async (q: string) => (await site.api(`/api/admin/users${q}`)).body.users.map((u: { fullName: string }) => u.fullName);
  assert.deepEqual(await names(''), ['Ada Adams', 'Max Mustermann', 'zoe Zimmer'], 'by name, any case, by default');
  assert.deepEqual(await names('?sort=-name'), ['zoe Zimmer', 'Max Mustermann', 'Ada Adams']);
  // No wallet (Max) is last both ways.
  assert.deepEqual(await names('?sort=balance'), ['zoe Zimmer', 'Ada Adams', 'Max Mustermann']);
  assert.deepEqual(await names('?sort=-balance'), ['Ada Adams', 'zoe Zimmer', 'Max Mustermann']);
  // Paging keeps the order: two pages of one row each give the first two rows, never one twice.
  assert.deepEqual([...await names('?sort=-name&limit=1'), ...await names('?sort=-name&limit=1&offset=1')], ['zoe Zimmer', 'Max Mustermann']);

  const tags = async (q: string) => (await site.api(`/api/admin/id-tags${q}`)).body.idTags.map((t: { idTag: string }) => t.idTag);
  assert.deepEqual(await tags(''), ['A-TAG', 'b-tag', 'C-TAG'], 'by the tag, any case, by default');
  assert.deepEqual(await tags('?sort=user'), ['b-tag', 'A-TAG', 'C-TAG'], 'by driver name, a tag without one last');

  const cp = await site.connectCharger('CP-SORT');
  const started = [];
  for (const [idTag, meterStop] of [['A-TAG', 3000], ['b-tag', 12000], ['C-TAG', 500]] as const) {
    const { transactionId } = await cp.call('StartTransaction', { connectorId: 1, idTag, meterStart: 0, timestamp: isoNow() });
    await cp.call('StopTransaction', { transactionId, meterStop, timestamp: isoNow() });
    started.push(transactionId);
  }
  const sessions = async (q: string) => (await site.api(`/api/admin/transactions${q}`)).body.transactions.map((t: { id: number }) => t.id);
  assert.deepEqual(await sessions(''), [...started].reverse(), 'newest first by default');
  assert.deepEqual(await sessions('?sort=-energy'), [started[1], started[0], started[2]]);
  assert.deepEqual(await sessions('?sort=driver'), [started[1], started[0], started[2]], 'Max, zoe, then the session without a driver');

  for (const path of ['/api/admin/users', '/api/admin/id-tags', '/api/admin/transactions']) {
    for (const bad of ['password', '--name', 'name;drop', ' name']) {
      const res = await site.api(`${path}?sort=${encodeURIComponent(bad)}`);
      assert.equal(res.status, 400, `${path} sort=${bad}`);
      assert.equal(res.body.error.code, 'invalid_parameter');
      assert.match(res.body.error.message, /^sort must be one of /);
      assert.ok(Array.isArray(res.body.error.details.allowed));
    }
  }
});
