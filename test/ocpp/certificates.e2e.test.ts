// Security whitepaper (edition 2) certificate management end to end, with real keys made by openssl:
// a charger's CSR is signed by the site CA and delivered with CertificateSigned (its identity must match),
// and the operator's InstallCertificate / GetInstalledCertificateIds / DeleteCertificate /
// ExtendedTriggerMessage / GetLog / SignedUpdateFirmware reach the charger, their notifications back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startTestSite, type TestSite } from '../support/testSite.js';
import { waitFor } from '../support/waitFor.js';
import { keyAndCsr } from '../support/pki.js';

const makeCsr = (dir: string, subject: string) => keyAndCsr(dir, subject).csr;

// Signing runs openssl in child processes: on a loaded 2-core machine that can take seconds.
const SIGNING_MS = 30_000;

const splitPem = (chain: string) => chain.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];

async function requestsOf(site: TestSite, cpId: string): Promise<any[]> {
  const res = await site.api(`/api/admin/chargers/${cpId}/certificate-requests`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.requests;
}

test('SignCertificate: the site CA signs a CSR naming the charger and delivers the chain with CertificateSigned', async () => {
  await using site = await startTestSite({ 'pki.organizationName': 'Acme Charging' });
  const cp = await site.connectCharger('CP-1');
  const delivered: string[] = [];
  cp.on('CertificateSigned', (p: any) => { delivered.push(p.certificateChain); return { status: 'Accepted' }; });

  assert.deepEqual((await site.api('/api/admin/pki')).body, { ca: null }, 'no CA until one is needed');
  const reply = await cp.call('SignCertificate', { csr: makeCsr(site.dir, '/CN=CP-1/O=Acme Charging') });
  assert.deepEqual(reply, { status: 'Accepted' });
  const [done] = await waitFor('the request installed', async () => {
    const r = await requestsOf(site, 'CP-1');
    return r[0]?.status === 'Installed' ? r : undefined;
  }, SIGNING_MS);
  assert.equal(delivered.length, 1);
  const [leafPem, caPem] = splitPem(delivered[0]!);
  const leaf = new X509Certificate(leafPem!);
  const ca = new X509Certificate(caPem!);
  const pki = (await site.api('/api/admin/pki')).body.ca;
  assert.equal(ca.fingerprint256, pki.fingerprint256, 'the chain ends with the site CA the API shows');
  assert.ok(leaf.checkIssued(ca) && leaf.verify(ca.publicKey), 'signed by the site CA');
  assert.match(leaf.subject, /CN=CP-1/);
  assert.ok(leaf.keyUsage?.includes('1.3.6.1.5.5.7.3.2'), 'a TLS client certificate (profile 3)');
  assert.equal(done.serialNumber, leaf.serialNumber);
  assert.equal(done.fingerprint256, leaf.fingerprint256);
  assert.ok(Date.parse(done.validTo) - Date.now() > 360 * 86_400_000, 'valid for pki.certificateDays (365)');
  assert.equal(fs.statSync(path.join(site.dir, 'pki', 'ca.key')).mode & 0o777, 0o600, 'the CA key is readable by the service only');
});

test('a CSR for another identity or organization is refused with the reason, and nothing is sent to the charger', async () => {
  await using site = await startTestSite({ 'pki.organizationName': 'Acme Charging' });
  const cp = await site.connectCharger('CP-1');
  let signedCalls = 0;
  cp.on('CertificateSigned', () => { signedCalls++; return { status: 'Accepted' }; });

  assert.deepEqual(await cp.call('SignCertificate', { csr: makeCsr(site.dir, '/CN=CP-2/O=Acme Charging') }), { status: 'Accepted' });
  assert.deepEqual(await cp.call('SignCertificate', { csr: makeCsr(site.dir, '/CN=CP-1/O=Other Corp') }), { status: 'Accepted' });
  const refused = await waitFor('both refused', async () => {
    const r = await requestsOf(site, 'CP-1');
    return r.length === 2 && r.every((x) => x.status === 'Refused') ? r : undefined;
  }, SIGNING_MS);
  assert.match(refused[1].reason, /CN=CP-2, but this charger is CP-1/);
  assert.match(refused[0].reason, /O=Other Corp, but this site's organization is Acme Charging/);
  // Not even a PEM request: Rejected at once, kept with the reason.
  assert.deepEqual(await cp.call('SignCertificate', { csr: 'x' }), { status: 'Rejected' });
  assert.match((await requestsOf(site, 'CP-1'))[0].reason, /not a PEM certificate request/);
  assert.equal(signedCalls, 0);
  assert.equal(site.count('certificate_request'), 3);
});

test('a charger that refuses the signed certificate, or is gone before it arrives, leaves that on the request', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-1');
  cp.on('CertificateSigned', () => ({ status: 'Rejected' }));
  await cp.call('SignCertificate', { csr: makeCsr(site.dir, '/CN=CP-1') });
  const [r] = await waitFor('rejected by charger', async () => {
    const rs = await requestsOf(site, 'CP-1');
    return rs[0]?.status === 'RejectedByCharger' ? rs : undefined;
  }, SIGNING_MS);
  assert.match(r.reason, /refused the signed certificate/);
  assert.equal(r.hasCertificate, true, 'the signed certificate is kept');
});

test('operator tools: install the site CA, list and delete installed certificates, extended trigger, GetLog and signed firmware', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-1');
  cp.on('InstallCertificate', () => ({ status: 'Accepted' }));
  const installedIds = [{ hashAlgorithm: 'SHA256', issuerNameHash: 'aa', issuerKeyHash: 'bb', serialNumber: '01' }];
  cp.on('GetInstalledCertificateIds', () => ({ status: 'Accepted', certificateHashData: installedIds }));
  cp.on('DeleteCertificate', () => ({ status: 'Accepted' }));
  cp.on('ExtendedTriggerMessage', () => ({ status: 'Accepted' }));
  cp.on('GetLog', () => ({ status: 'Accepted', filename: 'security.log' }));
  cp.on('SignedUpdateFirmware', () => ({ status: 'Accepted' }));
  const last = () => cp.received.at(-1)!;

  const created = await site.api('/api/admin/pki/ca', { method: 'POST', body: {} });
  assert.equal(created.status, 201);
  const install = await site.api('/api/admin/chargers/CP-1/certificates/install', { body: { certificateType: 'CentralSystemRootCertificate' } });
  assert.deepEqual(install.body, { status: 'Accepted' });
  assert.equal(last().action, 'InstallCertificate');
  assert.equal(new X509Certificate(last().payload.certificate).fingerprint256, created.body.ca.fingerprint256, 'the site CA by default');

  const listed = await site.api('/api/admin/chargers/CP-1/certificates/installed', { body: { certificateType: 'CentralSystemRootCertificate' } });
  assert.deepEqual(listed.body.certificateHashData, installedIds);
  const removed = await site.api('/api/admin/chargers/CP-1/certificates/delete', { body: { certificateHashData: installedIds[0] } });
  assert.deepEqual(removed.body, { status: 'Accepted' });
  assert.deepEqual(last().payload, { certificateHashData: installedIds[0] });

  const trigger = await site.api('/api/admin/chargers/CP-1/extended-trigger', { body: { requestedMessage: 'SignChargePointCertificate' } });
  assert.deepEqual(trigger.body, { status: 'Accepted' });
  assert.deepEqual(last().payload, { requestedMessage: 'SignChargePointCertificate' });

  const getLog = await site.api('/api/admin/chargers/CP-1/logs', { body: { logType: 'SecurityLog', oldestTimestamp: '2026-01-01T00:00:00Z' } });
  assert.equal(getLog.status, 200, JSON.stringify(getLog.body));
  assert.equal(last().payload.logType, 'SecurityLog');
  assert.equal(last().payload.requestId, getLog.body.requestId);
  const location = last().payload.log.remoteLocation;
  assert.match(location, /\/files\/diagnostics\/CP-1\/[0-9a-f]{32}\/$/);
  assert.equal((await fetch(location + 'security.log', { method: 'PUT', body: 'tamper at 10:00\n' })).status, 201);
  await cp.call('LogStatusNotification', { status: 'Uploaded', requestId: getLog.body.requestId });
  const files = (await site.api('/api/admin/chargers/CP-1/firmware')).body;
  assert.equal(files.diagnosticsStatus, 'Uploaded');
  assert.deepEqual(files.diagnosticsFiles.map((f: any) => f.name), ['security.log']);

  const image = await fetch(`${site.baseUrl}/api/admin/files/firmware?name=fw-2.bin`, {
    method: 'POST', body: 'firmware bytes', headers: { authorization: `Bearer ${site.createToken('admin')}`, 'content-type': 'application/octet-stream' },
  });
  const fileId = ((await image.json()) as any).file.id;
  const signed = await site.api('/api/admin/chargers/CP-1/signed-firmware', {
    body: { fileId, signingCertificate: created.body.ca.pem, signature: 'c2lnbmF0dXJl' },
  });
  assert.equal(signed.status, 200, JSON.stringify(signed.body));
  assert.equal(last().action, 'SignedUpdateFirmware');
  assert.match(last().payload.firmware.location, /\/files\/firmware\/[0-9a-f]+\/fw-2\.bin$/);
  assert.equal(last().payload.firmware.signature, 'c2lnbmF0dXJl');
  assert.equal((await site.api('/api/admin/chargers/CP-1/firmware')).body.firmwareStatus, 'Requested');
  await cp.call('SignedFirmwareStatusNotification', { status: 'InvalidSignature', requestId: signed.body.requestId });
  assert.equal((await site.api('/api/admin/chargers/CP-1/firmware')).body.firmwareStatus, 'InvalidSignature');
});

test('bad certificate requests to the API are 400s with a reason; viewers may look but not act', async () => {
  await using site = await startTestSite();
  await site.connectCharger('CP-1');
  for (const [p, body] of [
    ['certificates/install', { certificateType: 'Nope' }],
    ['certificates/install', { certificateType: 'CentralSystemRootCertificate', certificate: 'not a pem' }],
    ['certificates/delete', { certificateHashData: { hashAlgorithm: 'MD5', issuerNameHash: 'a', issuerKeyHash: 'b', serialNumber: '1' } }],
    ['extended-trigger', { requestedMessage: 'MakeCoffee' }],
    ['logs', { logType: 'SecurityLog', oldestTimestamp: 'yesterday' }],
    ['signed-firmware', { signature: 'x' }],
  ] as const) {
    const res = await site.api(`/api/admin/chargers/CP-1/${p}`, { body });
    assert.equal(res.status, 400, `${p} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`);
    assert.equal(typeof res.body.error.message, 'string');
  }
  assert.equal((await site.api('/api/admin/chargers/NOPE/certificate-requests')).status, 404);
  const viewer = site.createToken('viewer');
  assert.equal((await site.api('/api/admin/pki', { token: viewer })).status, 200);
  assert.equal((await site.api('/api/admin/pki/ca', { method: 'POST', body: {}, token: viewer })).status, 403);
});
