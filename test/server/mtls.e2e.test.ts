// Security profile 3 over real TLS: the client-certificate listener (http.tls.mtlsPort) admits a
// profile-3 charger whose certificate the site CA issued for its own id, and refuses a missing
// certificate, one from another CA, and one that names another charger. Keys and CSRs by openssl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestSite, type TestSite } from '../support/testSite.js';
import { ChargePoint } from '../../src/sim/chargePoint.js';
import { keyAndCsr, serverCertificate } from '../support/pki.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-mtls-'));
const { certFile: serverCert, keyFile: serverKey, pem: serverCa } = serverCertificate(dir);
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

const profile3 = { 'http.tls.enabled': true, 'http.tls.port': 0, 'http.tls.certFile': serverCert, 'http.tls.keyFile': serverKey, 'http.tls.mtlsPort': 0, 'http.tls.plainHttp': true };


/** A client certificate the site CA issues, as SignCertificate would get it. */
async function siteIssued(site: TestSite, cn: string): Promise<{ cert: string; key: string }> {
  const { key, csr } = keyAndCsr(dir, `/CN=${cn}`);
  const { chainPem } = await site.blocks.certificates.ca.sign(csr, cn);
  return { cert: chainPem, key };
}

async function registerProfile3(site: TestSite, id: string): Promise<void> {
  const created = await site.api('/api/admin/chargers', { method: 'POST', body: { chargePointId: id, password: 'profile-three-secret', securityProfile: 3 } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
}

test('a profile-3 charger with a certificate the site CA issued for its id connects and boots over the client-certificate listener', async () => {
  await using site = await startTestSite(profile3);
  assert.ok(site.server.mtlsPort, 'the listener is up');
  await registerProfile3(site, 'CP-3');
  const url = `wss://127.0.0.1:${site.server.mtlsPort}/ocpp`;
  const cp = await ChargePoint.connect({ baseUrl: url, id: 'CP-3', ca: serverCa, ...(await siteIssued(site, 'CP-3')) });
  const boot = await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'P3' });
  assert.equal(boot.status, 'Accepted');
  const { body } = await site.api('/api/admin/chargers');
  assert.equal(body.chargers.find((c: any) => c.chargePointId === 'CP-3').online, true);
  await cp.close();
  // The same charger on the ordinary wss:// port (no client certificate there) is still refused.
  await assert.rejects(ChargePoint.connect({ baseUrl: `wss://127.0.0.1:${site.server.tlsPort}/ocpp`, id: 'CP-3', password: 'profile-three-secret', ca: serverCa }),
    /HTTP 403: .*client certificate/);
});

test('the client-certificate listener refuses no certificate, a certificate of another CA, and one issued to another charger', async () => {
  await using site = await startTestSite(profile3);
  await registerProfile3(site, 'CP-3');
  await registerProfile3(site, 'CP-4');
  const url = `wss://127.0.0.1:${site.server.mtlsPort}/ocpp`;
  // No certificate, or a self-made one: the TLS handshake itself fails, no upgrade is ever read.
  await assert.rejects(ChargePoint.connect({ baseUrl: url, id: 'CP-3', ca: serverCa, password: 'profile-three-secret' }));
  const foreignKey = path.join(dir, 'foreign.key');
  const foreignCert = path.join(dir, 'foreign.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', foreignKey, '-out', foreignCert, '-days', '2', '-subj', '/CN=CP-3'], { stdio: 'ignore' });
  await assert.rejects(ChargePoint.connect({ baseUrl: url, id: 'CP-3', ca: serverCa, cert: fs.readFileSync(foreignCert), key: fs.readFileSync(foreignKey) }));
  // A genuine site certificate, but for CP-4: admission compares its CN with the id in the path.
  const cp4 = await siteIssued(site, 'CP-4');
  await assert.rejects(ChargePoint.connect({ baseUrl: url, id: 'CP-3', ca: serverCa, ...cp4 }), /HTTP 403: .*names CP-4, not CP-3/);
  const ok = await ChargePoint.connect({ baseUrl: url, id: 'CP-4', ca: serverCa, ...cp4 });
  assert.ok((await ok.call('Heartbeat', {})).currentTime);
  await ok.close();
});
