// Per-charger security profiles (1.6 security whitepaper ed. 2): a profile-2 charger is refused over plain
// ws:// even with http.tls.plainHttp on for older ones, and raising a profile goes InstallCertificate
// (the site CA) first, then ChangeConfiguration SecurityProfile, stored only when Accepted; never lowered
// over the air. Real TLS: a server certificate made by openssl here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestSite } from '../support/testSite.js';
import { ChargePoint } from '../../src/sim/chargePoint.js';
import { serverCertificate } from '../support/pki.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-profile-'));
const { certFile, keyFile, pem: ca } = serverCertificate(dir);
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
const tlsWithPlain = { 'http.tls.enabled': true, 'http.tls.port': 0, 'http.tls.certFile': certFile, 'http.tls.keyFile': keyFile, 'http.tls.plainHttp': true };

test('a profile-2 charger is refused over ws:// (its password is not even checked) and admitted over wss://; profile 1 still connects over ws://', async () => {
  await using site = await startTestSite(tlsWithPlain);
  const wss = `wss://127.0.0.1:${site.server.tlsPort}/ocpp`;
  const created = await site.api('/api/admin/chargers', { method: 'POST', body: { chargePointId: 'CP-2', password: 'profile-two-secret', securityProfile: 2 } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.charger.securityProfile, 2);

  await assert.rejects(ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-2', password: 'profile-two-secret' }), /HTTP 403: .*security profile 2.*wss:\/\//);
  const cp = await ChargePoint.connect({ baseUrl: wss, id: 'CP-2', password: 'profile-two-secret', ca });
  assert.equal((await cp.call('Heartbeat', {})).currentTime !== undefined, true);
  await cp.close();
  await assert.rejects(ChargePoint.connect({ baseUrl: wss, id: 'CP-2', password: 'wrong-password-123', ca }), /HTTP 401/, 'TLS does not replace the password');

  const old = await site.connectCharger('CP-1', { password: 'profile-one-secret' });
  assert.ok(old, 'a profile-1 charger still connects over plain ws://');
  const edited = await site.api('/api/admin/chargers/CP-1', { method: 'PUT', body: { securityProfile: 4 } });
  assert.equal(edited.status, 400, 'only profiles 1-3');
});

test('a profile-3 charger without a client certificate is refused even over wss:// with the right password', async () => {
  await using site = await startTestSite(tlsWithPlain);
  await site.api('/api/admin/chargers', { method: 'POST', body: { chargePointId: 'CP-3', password: 'profile-three-secret', securityProfile: 3 } });
  await assert.rejects(ChargePoint.connect({ baseUrl: `wss://127.0.0.1:${site.server.tlsPort}/ocpp`, id: 'CP-3', password: 'profile-three-secret', ca }),
    /HTTP 403: .*client certificate/);
});

test('raising 1 -> 2: the site CA is installed first, then ChangeConfiguration SecurityProfile; stored only when Accepted; never lowered', async () => {
  await using site = await startTestSite(tlsWithPlain);
  const cp = await site.connectCharger('CP-1', { password: 'profile-one-secret' });
  const sent: string[] = [];
  let installAnswer = 'Rejected';
  let changeAnswer = 'Rejected';
  cp.on('InstallCertificate', (p: any) => {
    sent.push(`InstallCertificate ${p.certificateType}`);
    assert.match(p.certificate, /BEGIN CERTIFICATE/);
    return { status: installAnswer };
  });
  cp.on('ChangeConfiguration', (p: any) => { sent.push(`ChangeConfiguration ${p.key}=${p.value}`); return { status: changeAnswer }; });
  const raise = (securityProfile: number) => site.api('/api/admin/chargers/CP-1/security-profile', { method: 'POST', body: { securityProfile } });
  const stored = () => site.domain.chargers.byChargePointId('CP-1')!.securityProfile;

  let res = await raise(2);
  assert.deepEqual([res.status, res.body.raised, res.body.step, res.body.securityProfile], [200, false, 'InstallCertificate', 1]);
  assert.deepEqual(sent, ['InstallCertificate CentralSystemRootCertificate'], 'no SecurityProfile change before the CA is installed');

  installAnswer = 'Accepted';
  res = await raise(2);
  assert.deepEqual([res.body.raised, res.body.step, res.body.status, stored()], [false, 'ChangeConfiguration', 'Rejected', 1]);

  changeAnswer = 'Accepted';
  res = await raise(2);
  assert.deepEqual([res.body.raised, res.body.securityProfile, stored()], [true, 2, 2]);
  assert.deepEqual(sent.slice(-2), ['InstallCertificate CentralSystemRootCertificate', 'ChangeConfiguration SecurityProfile=2']);

  res = await raise(2);
  assert.deepEqual([res.status, res.body.error?.code], [409, 'profile_not_higher'], 'same or lower is refused over the air');
  res = await raise(3);
  assert.deepEqual([res.status, res.body.error?.code], [409, 'no_client_certificate'], 'profile 3 needs a certificate signed by the site CA first');
  assert.equal((await raise(1)).status, 400, 'lowering is not even a valid request');
});

test('raising needs TLS on the site', async () => {
  await using site = await startTestSite();
  await site.connectCharger('CP-1', { password: 'profile-one-secret' });
  const res = await site.api('/api/admin/chargers/CP-1/security-profile', { method: 'POST', body: { securityProfile: 2 } });
  assert.deepEqual([res.status, res.body.error?.code], [409, 'tls_disabled']);
});
