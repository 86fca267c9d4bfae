// `ocpp-edge config check` checks the TLS files as the server does at start (missing, not PEM, key of
// another certificate) and exits 78 with the server's message, so an installer finds out before a restart.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { runCli } from '../support/cliProcess.js';
import { checkTlsFiles } from '../../src/server/tlsFiles.js';

const hasOpenssl = spawnSync('sh', ['-c', 'command -v openssl']).status === 0;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-cli-tls-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
const certFile = path.join(dir, 'cert.pem');
const keyFile = path.join(dir, 'key.pem');
const otherKey = path.join(dir, 'other-key.pem');
const garbage = path.join(dir, 'garbage.pem');

before(() => {
  if (!hasOpenssl) return;
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', certFile, '-days', '30', '-subj', '/CN=site.example'], { stdio: 'ignore' });
  execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', otherKey], { stdio: 'ignore' });
  fs.writeFileSync(garbage, 'not a certificate\n');
});

function configCheck(tls: Record<string, unknown>): Promise<{ code: number | null; out: string; err: string }> {
  const file = path.join(dir, 'config.json');
  fs.writeFileSync(file, JSON.stringify({ dataDir: dir, http: { tls: { enabled: true, ...tls } } }));
  return runCli(dir, ['config', 'check', '--config', file]);
}

/** The message the server stops with for the same files. */
function serverMessage(cert: string | undefined, key: string | undefined): string {
  try { checkTlsFiles(cert, key); } catch (err) { return (err as Error).message; }
  throw new Error('the server would accept these files');
}

test('config check fails like the server on bad TLS files, and reports a good certificate', { skip: !hasOpenssl && 'openssl not installed' }, async () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['no certFile', { keyFile }, /needs http\.tls\.certFile and http\.tls\.keyFile/],
    ['missing file', { certFile: path.join(dir, 'missing.pem'), keyFile }, /TLS file not found: .*missing\.pem \(http\.tls\.certFile\)/],
    ['not PEM', { certFile: garbage, keyFile }, /garbage\.pem is not a PEM certificate/],
    ['key of another certificate', { certFile, keyFile: otherKey }, /other-key\.pem is not the key of the certificate/],
  ];
  for (const [what, tls, message] of cases) {
    const r = await configCheck(tls);
    assert.equal(r.code, 78, `${what}: exit ${r.code}\n${r.out}\n${r.err}`);
    assert.match(r.err, message, what);
    assert.ok(r.err.includes(serverMessage(tls.certFile as string | undefined, tls.keyFile as string | undefined)), `${what}: the server's own words`);
  }
  const good = await configCheck({ certFile, keyFile });
  assert.equal(good.code, 0, good.err);
  assert.match(good.out, /TLS certificate OK: CN=site\.example, valid until .* \((29|30) days left\)/);
});
