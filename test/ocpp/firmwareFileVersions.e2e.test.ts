// A firmware link names one stored version of a file, and a write the database refuses leaves the
// bytes on disk as they were: what a charger downloads is always what the link was issued for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startTestSite, type TestSite } from '../support/testSite.js';

async function upload(site: TestSite, name: string, content: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${site.baseUrl}/api/admin/files/firmware?name=${name}`, {
    method: 'POST', body: content, headers: { authorization: `Bearer ${site.createToken('admin')}`, 'content-type': 'application/octet-stream' },
  });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}

const get = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, text: await res.text() };
};

/** Every file under <dataDir>/files/<kind>, recursively: what is really on disk. */
function filesOnDisk(site: TestSite, kind: string): string[] {
  const dir = path.join(site.dir, 'files', kind);
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile());
}

test('re-uploading a firmware name: the link sent earlier never serves the new bytes; the new link does', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-1');
  cp.on('UpdateFirmware', () => ({}));
  const first = await upload(site, 'fw.bin', 'version one');
  assert.equal(first.status, 201, JSON.stringify(first.body));
  // Scheduled for later: the charger downloads the location when the date comes.
  const res = await site.api('/api/admin/chargers/CP-1/firmware', { body: { fileId: first.body.file.id, retrieveDate: '2030-01-01T00:00:00Z' } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const sentLocation = cp.received.at(-1)!.payload.location as string;
  assert.equal(sentLocation, first.body.url);

  const second = await upload(site, 'fw.bin', 'version two, different');
  assert.equal(second.status, 201, JSON.stringify(second.body));
  assert.equal(second.body.file.id, first.body.file.id, 'the same name is still one file (same id)');
  assert.notEqual(second.body.url, sentLocation, 'a new version gets a new link');

  const old = await get(sentLocation);
  assert.notEqual(old.text, 'version two, different', 'the old link must not serve other bytes than it was issued for');
  assert.ok(old.status === 404 || old.status === 410, `old link answers ${old.status}`);
  assert.deepEqual(await get(second.body.url), { status: 200, text: 'version two, different' });
  assert.deepEqual(filesOnDisk(site, 'firmware').length, 1, 'the replaced version is gone from disk');

  // The same bytes again: the link stays valid (it still names exactly these bytes).
  const third = await upload(site, 'fw.bin', 'version two, different');
  assert.equal(third.body.url, second.body.url);
  assert.deepEqual(await get(second.body.url), { status: 200, text: 'version two, different' });
  assert.deepEqual(filesOnDisk(site, 'firmware').length, 1);
});

test('a save or delete the database refuses leaves the previous bytes in place; a delete that commits removes them', async () => {
  await using site = await startTestSite();
  const first = await upload(site, 'fw.bin', 'the good image');
  assert.equal(first.status, 201);
  const content = async () => (await fetch(`${site.baseUrl}/api/admin/files/${first.body.file.id}/content`, {
    headers: { authorization: `Bearer ${site.createToken('viewer')}` },
  })).text();

  // The database refuses every change to the file table (as a full disk or I/O error would).
  site.domain.uow.commit();
  site.database.sqlite.exec(`CREATE TEMP TRIGGER refuse_file_update BEFORE UPDATE ON file BEGIN SELECT RAISE(ABORT, 'refused by test'); END;
    CREATE TEMP TRIGGER refuse_file_delete BEFORE DELETE ON file BEGIN SELECT RAISE(ABORT, 'refused by test'); END;`);
  const failed = await upload(site, 'fw.bin', 'a half-saved image');
  assert.ok(failed.status >= 500, `refused save answers ${failed.status}`);
  assert.deepEqual(await get(first.body.url), { status: 200, text: 'the good image' });
  assert.equal(await content(), 'the good image');
  assert.equal((await site.api(`/api/admin/files/${first.body.file.id}`, { method: 'DELETE' })).status >= 500, true);
  assert.deepEqual(await get(first.body.url), { status: 200, text: 'the good image' });
  assert.deepEqual(filesOnDisk(site, 'firmware').length, 1, 'no stray copy of the refused upload');

  site.domain.uow.commit();
  site.database.sqlite.exec('DROP TRIGGER refuse_file_update; DROP TRIGGER refuse_file_delete;');
  assert.equal((await site.api(`/api/admin/files/${first.body.file.id}`, { method: 'DELETE' })).status, 204);
  assert.equal((await get(first.body.url)).status, 404);
  assert.deepEqual(filesOnDisk(site, 'firmware'), []);
});

test('diagnostics uploaded twice under one name keep one file with the newest bytes', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-1');
  cp.on('GetDiagnostics', () => ({ fileName: 'diag.log' }));
  const { body } = await site.api('/api/admin/chargers/CP-1/diagnostics', { body: {} });
  for (const text of ['first upload', 'second upload']) {
    assert.equal((await fetch(body.location + 'diag.log', { method: 'PUT', body: text })).status, 201);
  }
  const [file] = (await site.api('/api/admin/files?kind=diagnostics')).body.files;
  const res = await fetch(`${site.baseUrl}/api/admin/files/${file.id}/content`, { headers: { authorization: `Bearer ${site.createToken('viewer')}` } });
  assert.equal(await res.text(), 'second upload');
  assert.equal(filesOnDisk(site, 'diagnostics').length, 1);
});
