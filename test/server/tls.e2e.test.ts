// Security profile 2: wss:// with the server's certificate plus Basic auth, and HTTPS for the API,
// through uWS SSLApp with a self-signed certificate made by openssl for this test.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { startTestSite } from '../support/testSite.js';
import { ChargePoint } from '../../src/sim/chargePoint.js';
import { Router } from '../../src/server/http.js';
import { startHttpServer } from '../../src/server/app.js';
import { chargerAdmission } from '../../src/ocpp/admission.js';
import { waitFor } from '../support/waitFor.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-tls-'));
const certFile = path.join(dir, 'cert.pem');
const keyFile = path.join(dir, 'key.pem');
let ca = '';
const hasOpenssl = spawnSync('sh', ['-c', 'command -v openssl']).status === 0;

before(() => {
  if (!hasOpenssl) return;
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
  ca = fs.readFileSync(certFile, 'utf8');
});
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

const tls = (extra: Record<string, unknown> = {}) => ({
  'http.tls.enabled': true, 'http.tls.port': 0, 'http.tls.certFile': certFile, 'http.tls.keyFile': keyFile, ...extra,
});

function httpsGet(url: string, opts: https.RequestOptions = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https.get(url, { ca, ...opts }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

test('a charger with a password connects over wss:// and HTTPS serves the API', { skip: !hasOpenssl && 'openssl not installed' }, async () => {
  await using site = await startTestSite(tls({ 'http.tls.plainHttp': false }));
  assert.ok(site.server.tlsPort, 'TLS port is listening');
  assert.equal(site.server.port, 0, 'no plain listener when plainHttp is false');
  const wssUrl = `wss://127.0.0.1:${site.server.tlsPort}/ocpp`;
  await site.addCharger('CP-TLS', 'correct horse battery');

  const cp = await site.connectCharger('CP-TLS', { baseUrl: wssUrl, password: 'correct horse battery', ca });
  const boot = await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'Secure' });
  assert.equal(boot.status, 'Accepted');
  await waitFor('the BootNotification frames in the log', () => site.count('log_entry', "charge_point_id = 'CP-TLS' AND action = 'BootNotification'") >= 2);
  assert.equal(site.count('log_entry', "charge_point_id = 'CP-TLS' AND action = 'BootNotification'"), 2);

  await assert.rejects(ChargePoint.connect({ baseUrl: wssUrl, id: 'CP-TLS', password: 'wrong', ca }), /HTTP 401/);
  await assert.rejects(ChargePoint.connect({ baseUrl: wssUrl, id: 'CP-TLS', password: 'correct horse battery' }),
    /self[- ]signed certificate/, 'an untrusted certificate is refused by the client: the channel really is TLS');

  const health = await httpsGet(`https://127.0.0.1:${site.server.tlsPort}/api/health`);
  assert.equal(health.status, 200);
  assert.equal(JSON.parse(health.body).database, 'ok');
});

test('TLS on without plainHttp in the config: no plain ws:// or http:// listener (passwords and cookies never travel in clear)', { skip: !hasOpenssl && 'openssl not installed' }, async () => {
  await using site = await startTestSite(tls());
  assert.equal(site.config.http.tls.plainHttp, false, 'plain HTTP is off unless configured');
  assert.equal(site.server.port, 0, 'no plain listener');
  const health = await httpsGet(`https://127.0.0.1:${site.server.tlsPort}/api/health`);
  assert.equal(health.status, 200, 'HTTPS serves');
});

test('API requests know whether they came over TLS (for Secure cookies)', { skip: !hasOpenssl && 'openssl not installed' }, async () => {
  await using site = await startTestSite();
  const router = new Router();
  router.get('/api/test/secure', 'public', (req) => ({ body: { secure: req.secure } }));
  const config = { ...site.config, http: { ...site.config.http, port: 0, tls: { ...site.config.http.tls, enabled: true, port: 0, certFile, keyFile, plainHttp: true } } };
  const server = await startHttpServer({
    config, logger: site.logger, router,
    ocpp: { admit: chargerAdmission(site.domain, site.config.ocpp, site.logger), hub: site.hub, maxFrameBytes: config.ocpp.maxFrameBytes, pingIntervalSec: 0 },
  });
  try {
    const overTls = await httpsGet(`https://127.0.0.1:${server.tlsPort}/api/test/secure`);
    assert.deepEqual(JSON.parse(overTls.body), { secure: true });
    const plain = await fetch(`http://127.0.0.1:${server.port}/api/test/secure`);
    assert.deepEqual(await plain.json(), { secure: false });
  } finally {
    server.close();
  }
});

function httpsPostJson(url: string, body: unknown): Promise<{ status: number; setCookie: string[] }> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: 'POST', ca, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, setCookie: res.headers['set-cookie'] ?? [] }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

test('the session cookie is Secure when the login came over HTTPS, and only then', { skip: !hasOpenssl && 'openssl not installed' }, async () => {
  await using site = await startTestSite(tls({ 'http.tls.plainHttp': true }));
  await site.domain.adminUsers.create({ username: 'tess', password: 'correct horse battery', role: 'admin' });
  const credentials = { username: 'tess', password: 'correct horse battery' };
  const overTls = await httpsPostJson(`https://127.0.0.1:${site.server.tlsPort}/api/auth/login`, credentials);
  assert.equal(overTls.status, 200);
  assert.match(overTls.setCookie.join('\n'), /ocpp_edge_session=[^;]+;.*\bSecure\b/);
  assert.match(overTls.setCookie.join('\n'), /HttpOnly/);
  const plain = await fetch(`${site.baseUrl}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(credentials),
  });
  assert.equal(plain.status, 200);
  assert.doesNotMatch(plain.headers.get('set-cookie') ?? '', /Secure/, 'a browser would drop a Secure cookie sent over http');
});

test('bad certificate settings fail at start naming the file and the problem', { skip: !hasOpenssl && 'openssl not installed' }, async () => {
  await assert.rejects(startTestSite(tls({ 'http.tls.certFile': path.join(dir, 'missing.pem') })), /TLS file not found: .*missing\.pem \(http\.tls\.certFile\)/);
  const garbage = path.join(dir, 'garbage.pem');
  fs.writeFileSync(garbage, 'not a certificate\n');
  await assert.rejects(startTestSite(tls({ 'http.tls.certFile': garbage })), /http\.tls\.certFile .*garbage\.pem is not a PEM certificate/);
  const otherKey = path.join(dir, 'other-key.pem');
  execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', otherKey], { stdio: 'ignore' });
  await assert.rejects(startTestSite(tls({ 'http.tls.keyFile': otherKey })), /other-key\.pem is not the key of the certificate/);
});
