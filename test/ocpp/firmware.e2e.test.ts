import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startTestSite } from '../support/testSite.js';

test('firmware: upload over 1 MiB, UpdateFirmware with the Pi URL, the charger downloads it, status tracked', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-1');
  cp.on('UpdateFirmware', () => ({}));
  const image = randomBytes(3 * 1024 * 1024);
  const upload = await fetch(`${site.baseUrl}/api/admin/files/firmware?name=fw-2.1.bin`, {
    method: 'POST', body: new Uint8Array(image), headers: { authorization: `Bearer ${site.createToken('admin')}`, 'content-type': 'application/octet-stream' },
  });
  const uploaded = await upload.json() as any;
  assert.equal(upload.status, 201, JSON.stringify(uploaded));
  assert.equal(uploaded.file.size, image.length);
  assert.match(uploaded.url, new RegExp(`^${site.baseUrl}/files/firmware/[0-9a-f]{32}/fw-2\\.1\\.bin$`));

  const retrieveDate = '2030-01-01T02:00:00.000Z';
  const res = await site.api('/api/admin/chargers/CP-1/firmware', { body: { fileId: uploaded.file.id, retrieveDate, retries: 3, retryInterval: 60 } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(cp.received.at(-1), { action: 'UpdateFirmware', payload: { location: uploaded.url, retrieveDate, retries: 3, retryInterval: 60 } });

  // The charger fetches the location as given: no login, just the URL.
  const download = await fetch(cp.received.at(-1)!.payload.location);
  assert.equal(download.status, 200);
  assert.ok(Buffer.from(await download.arrayBuffer()).equals(image));
  const wrongToken = await fetch(uploaded.url.replace(/\/[0-9a-f]{32}\//, '/' + '0'.repeat(32) + '/'));
  assert.equal(wrongToken.status, 404);

  assert.equal((await site.api('/api/admin/chargers/CP-1/firmware')).body.firmwareStatus, 'Requested');
  await cp.call('FirmwareStatusNotification', { status: 'Downloading' });
  await cp.call('FirmwareStatusNotification', { status: 'Installed' });
  assert.equal((await site.api('/api/admin/chargers/CP-1/firmware')).body.firmwareStatus, 'Installed');
});

test('firmware API validation and listing', async () => {
  await using site = await startTestSite();
  const token = site.createToken('admin');
  const post = (name: string, body: Buffer) => fetch(`${site.baseUrl}/api/admin/files/firmware?name=${encodeURIComponent(name)}`, {
    method: 'POST', body: new Uint8Array(body), headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' },
  });
  assert.equal((await post('../etc/passwd', Buffer.from('x'))).status, 400);
  assert.equal((await post('empty.bin', Buffer.alloc(0))).status, 400);
  assert.equal((await post('a.bin', Buffer.from('one'))).status, 201);
  assert.equal((await post('a.bin', Buffer.from('two!'))).status, 201, 'same name replaces');
  const list = await site.api('/api/admin/files?kind=firmware');
  assert.equal(list.body.files.length, 1);
  assert.equal(list.body.files[0].size, 4);
  const content = await fetch(`${site.baseUrl}/api/admin/files/${list.body.files[0].id}/content`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(await content.text(), 'two!');
  await site.connectCharger('CP-1');
  assert.equal((await site.api('/api/admin/chargers/CP-1/firmware', { body: {} })).status, 400, 'fileId or location needed');
  assert.equal((await site.api('/api/admin/chargers/CP-1/firmware', { body: { fileId: 999 } })).status, 404);
  assert.equal((await site.api(`/api/admin/files/${list.body.files[0].id}`, { method: 'DELETE' })).status, 204);
  assert.equal(site.count('file'), 0);
});

test('diagnostics: GetDiagnostics points at the Pi; the charger uploads by PUT or multipart POST; listed and downloadable', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-1');
  cp.on('GetDiagnostics', () => ({ fileName: 'diag-1.log' }));
  const res = await site.api('/api/admin/chargers/CP-1/diagnostics', { body: { startTime: '2026-01-01T00:00:00Z', retries: 2 } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.fileName, 'diag-1.log');
  const { location } = cp.received.at(-1)!.payload;
  assert.equal(location, res.body.location);
  assert.match(location, /\/files\/diagnostics\/CP-1\/[0-9a-f]{32}\/$/);
  assert.equal(cp.received.at(-1)!.payload.retries, 2);
  await cp.call('DiagnosticsStatusNotification', { status: 'Uploading' });

  // PUT to location + file name, as most HTTP-capable chargers do.
  const log = Buffer.from('line 1\nline 2\n');
  const put = await fetch(location + 'diag-1.log', { method: 'PUT', body: new Uint8Array(log), headers: { 'content-type': 'text/plain' } });
  assert.equal(put.status, 201);
  // POST multipart/form-data to the location itself: the name comes from the form part.
  const form = new FormData();
  form.append('file', new Blob([new TextEncoder().encode('zipped?')]), 'diag 2.zip');
  const posted = await fetch(location, { method: 'POST', body: form });
  assert.equal(posted.status, 201);
  assert.equal((await posted.json() as any).name, 'diag_2.zip');
  await cp.call('DiagnosticsStatusNotification', { status: 'Uploaded' });

  const info = await site.api('/api/admin/chargers/CP-1/firmware');
  assert.equal(info.body.diagnosticsStatus, 'Uploaded');
  assert.deepEqual(info.body.diagnosticsFiles.map((f: any) => f.name).sort(), ['diag-1.log', 'diag_2.zip']);
  const file = info.body.diagnosticsFiles.find((f: any) => f.name === 'diag-1.log');
  const content = await fetch(`${site.baseUrl}/api/admin/files/${file.id}/content`, { headers: { authorization: `Bearer ${site.createToken('viewer')}` } });
  assert.ok(Buffer.from(await content.arrayBuffer()).equals(log));

  // A guessed URL gets nothing.
  const bad = await fetch(location.replace(/[0-9a-f]{32}/, 'f'.repeat(32)) + 'x.log', { method: 'PUT', body: 'x' });
  assert.equal(bad.status, 404);
  assert.equal(site.count('file', "kind = 'diagnostics'"), 2);
});

test('files.publicBaseUrl sets the address chargers are given', async () => {
  await using site = await startTestSite({ 'files.publicBaseUrl': 'http://192.0.2.10:8080/' });
  const cp = await site.connectCharger('CP-1');
  cp.on('GetDiagnostics', () => ({}));
  const res = await site.api('/api/admin/chargers/CP-1/diagnostics', { body: {} });
  assert.match(res.body.location, /^http:\/\/192\.0\.2\.10:8080\/files\/diagnostics\/CP-1\//);
  assert.equal(res.body.fileName, null);
});
