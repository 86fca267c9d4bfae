// /api/admin/id-tags with idTags as OCPP CiString20 (case-insensitive): one card per spelling-up-to-case,
// found by any case, shown as registered. Real server over real HTTP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../../support/testSite.js';

test('registering abc123 next to ABC123 is a 409 naming the existing tag; the database refuses it too', async () => {
  await using site = await startTestSite();
  const created = await site.api('/api/admin/id-tags', { body: { idTag: 'ABC123', description: 'blue card' } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.idTag.idTag, 'ABC123');

  for (const spelling of ['abc123', 'Abc123', 'ABC123']) {
    const dup = await site.api('/api/admin/id-tags', { body: { idTag: spelling } });
    assert.equal(dup.status, 409, `${spelling}: ${JSON.stringify(dup.body)}`);
    assert.equal(dup.body.error.code, 'id_tag_exists');
    assert.deepEqual(dup.body.error.details, { existing: 'ABC123', id: created.body.idTag.id });
  }
  assert.match((await site.api('/api/admin/id-tags', { body: { idTag: 'abc123' } })).body.error.message, /already exists as ABC123/);
  assert.equal(site.count('id_tag'), 1);

  // Whoever writes (another process, a script on the file), the unique index on lower(id_tag) holds.
  const insert = site.database.sqlite.prepare("INSERT INTO id_tag (id_tag, status, kind, created_at) VALUES (?, 'Accepted', 'RFID', '2026-01-01T00:00:00.000Z')");
  site.domain.uow.commit();
  assert.throws(() => insert.run('aBC123'), /UNIQUE constraint failed/);
  // Case folding is ASCII, as SQLite's lower(): letters outside ASCII are distinct cards.
  insert.run('ÉTÉ-1');
  insert.run('été-1');
  assert.equal(site.count('id_tag'), 3);
});

test('GET, PUT and DELETE find a tag in any case and show it as registered', async () => {
  await using site = await startTestSite();
  assert.equal((await site.api('/api/admin/id-tags', { body: { idTag: 'Fleet-9' } })).status, 201);
  assert.equal((await site.api('/api/admin/id-tags', { body: { idTag: 'CARD-77' } })).status, 201);

  const got = await site.api('/api/admin/id-tags/fleet-9');
  assert.equal(got.status, 200, JSON.stringify(got.body));
  assert.equal(got.body.idTag.idTag, 'Fleet-9');
  assert.equal((await site.api('/api/admin/id-tags/FLEET-9', { token: site.createToken('viewer') })).body.idTag.idTag, 'Fleet-9');

  const blocked = await site.api('/api/admin/id-tags/FLEET-9', { method: 'PUT', body: { status: 'Blocked' } });
  assert.equal(blocked.status, 200, JSON.stringify(blocked.body));
  assert.deepEqual([blocked.body.idTag.idTag, blocked.body.idTag.status], ['Fleet-9', 'Blocked']);

  // A parent typed in another case is stored (and later sent to chargers) as registered; itself is refused.
  const child = await site.api('/api/admin/id-tags/card-77', { method: 'PUT', body: { parentIdTag: 'FLEET-9' } });
  assert.equal(child.status, 200, JSON.stringify(child.body));
  assert.equal(child.body.idTag.parentIdTag, 'Fleet-9');
  const self = await site.api('/api/admin/id-tags/card-77', { method: 'PUT', body: { parentIdTag: 'Card-77' } });
  assert.equal(self.status, 422);
  assert.equal(self.body.error.code, 'parent_is_self');
  const created = await site.api('/api/admin/id-tags', { body: { idTag: 'CARD-78', parentIdTag: 'fleet-9' } });
  assert.equal(created.body.idTag.parentIdTag, 'Fleet-9');

  // A group is in use whatever case its members name it with.
  site.addIdTag('CARD-79', { parentIdTag: 'FLEET-9' });
  const inUse = await site.api('/api/admin/id-tags/fleet-9', { method: 'DELETE' });
  assert.equal(inUse.status, 409);
  assert.deepEqual(inUse.body.error.details, { children: 3 });

  const list = await site.api('/api/admin/id-tags?q=fleet');
  assert.deepEqual(list.body.idTags.map((t: any) => t.idTag), ['Fleet-9']);

  for (const t of ['card-77', 'Card-78', 'card-79', 'FLEET-9']) {
    assert.equal((await site.api(`/api/admin/id-tags/${t}`, { method: 'DELETE' })).status, 204, t);
  }
  assert.equal(site.count('id_tag'), 0);
  assert.equal((await site.api('/api/admin/id-tags/fleet-9')).status, 404);
});
