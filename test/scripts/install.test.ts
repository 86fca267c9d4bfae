// The release tarball and its installer, in a throwaway root (--root, no systemd): files land where the
// unit expects them, the installed copy starts on its own node_modules, re-running is harmless, an
// upgrade keeps config and database (plus a pre-upgrade copy), uninstall keeps data unless --purge.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { spawnServer } from '../support/serverProcess.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-install-'));
let release = '';

before(async () => {
  const { makePackage } = await import(path.join(root, 'scripts/package.mjs'));
  const { tarball, name } = await makePackage({ releaseDir: path.join(work, 'release'), quiet: true });
  execFileSync('tar', ['-xzf', tarball, '-C', work]);
  release = path.join(work, name);
});
process.on('exit', () => fs.rmSync(work, { recursive: true, force: true }));

function install(target: string, ...args: string[]) {
  const run = spawnSync('sh', [path.join(release, 'install.sh'), '--root', target, '--node', process.execPath, ...args], { encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

const read = (p: string) => fs.readFileSync(p, 'utf8');

test('the tarball holds the bundle, the natives only, the unit and the installer', () => {
  for (const f of ['dist/ocpp-edge.mjs', 'dist/migrations/meta/_journal.json', 'dist/schemas/config.schema.json', 'dist/web/index.html',
    'install.sh', 'systemd/ocpp-edge.service', 'config.example.json', 'MANIFEST.json',
    'node_modules/better-sqlite3/build/Release/better_sqlite3.node', 'node_modules/bindings/bindings.js',
    `node_modules/uWebSockets.js/uws_${process.platform}_${process.arch}_${process.versions.modules}.node`]) {
    assert.ok(fs.existsSync(path.join(release, f)), `${f} is in the release`);
  }
  const modules = fs.readdirSync(path.join(release, 'node_modules')).sort();
  assert.deepEqual(modules.filter((m) => !['better-sqlite3', 'bindings', 'file-uri-to-path', 'uWebSockets.js'].includes(m)), [], 'nothing but the natives');
  const uwsBinaries = fs.readdirSync(path.join(release, 'node_modules/uWebSockets.js')).filter((f) => f.endsWith('.node'));
  assert.equal(uwsBinaries.length, 1, 'only the uWS binary for this platform, arch and Node ABI');
});

test('install into a throwaway root, run the installed copy, install again, upgrade, uninstall', async () => {
  const target = path.join(work, 'root');
  const first = install(target);
  assert.equal(first.status, 0, first.output);
  assert.match(first.output, /Admin page: +http:\/\/\S+:8080\//);
  assert.match(first.output, /first run/, 'says where the one-time setup link is');
  assert.match(first.output, /ocpp-edge admin create --username/, 'and how to make the first admin from the shell');
  const unit = read(path.join(target, 'etc/systemd/system/ocpp-edge.service'));
  assert.match(unit, new RegExp(`^ExecStart=${process.execPath} --max-semi-space-size=1 /opt/ocpp-edge/dist/ocpp-edge\\.mjs$`, 'm'));
  const wrapper = read(path.join(target, 'usr/local/bin/ocpp-edge'));
  assert.match(wrapper, /OCPP_EDGE_CONFIG:-\/etc\/ocpp-edge\/config\.json/);
  assert.ok(fs.statSync(path.join(target, 'usr/local/bin/ocpp-edge')).mode & 0o100, 'wrapper is executable');
  const configFile = path.join(target, 'etc/ocpp-edge/config.json');
  assert.equal(JSON.parse(read(configFile)).dataDir, '/var/lib/ocpp-edge');
  assert.notEqual(JSON.parse(read(configFile)).ocpp?.requirePassword, false, 'an installed site refuses chargers without a password');

  // The installed copy starts from /opt/ocpp-edge alone (its own node_modules, migrations, schemas).
  const dataDir = path.join(target, 'var/lib/ocpp-edge');
  {
    await using server = await spawnServer({
      args: [path.join(target, 'opt/ocpp-edge/dist/ocpp-edge.mjs')], dataDir, cwd: dataDir,
      env: { OCPP_EDGE_CONFIG: configFile },
    });
    const health = await fetch(`http://127.0.0.1:${server.port}/api/health`);
    assert.equal(health.status, 200);
    const page = await fetch(`http://127.0.0.1:${server.port}/`);
    assert.equal(page.status, 200, 'the installed copy serves the admin page');
    assert.match(await page.text(), /<script type="module" src="\/assets\/main-\w+\.js">/);
    // The installed command line against the installed config, beside the running server.
    const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(target, 'opt/ocpp-edge/dist/ocpp-edge.mjs'), ...args], {
      encoding: 'utf8', env: { ...process.env, OCPP_EDGE_CONFIG: configFile, OCPP_EDGE_DATA_DIR: dataDir },
    });
    const check = cli('config', 'check');
    assert.equal(check.status, 0, check.stderr);
    const backupFile = path.join(work, 'installed-backup.db');
    const backup = cli('backup', backupFile);
    assert.equal(backup.status, 0, backup.stderr);
    assert.ok(fs.existsSync(backupFile));
    assert.equal((await server.stop('SIGTERM')).code, 0);
  }
  const db = path.join(dataDir, 'ocpp-edge.db');
  const marker = () => {
    const sqlite = new Database(db);
    try { return (sqlite.prepare("SELECT value FROM setting WHERE key = 'install-test'").get() as { value: string } | undefined)?.value; } finally { sqlite.close(); }
  };
  { const sqlite = new Database(db); sqlite.prepare("INSERT INTO setting (key, value) VALUES ('install-test', '\"kept\"')").run(); sqlite.close(); }
  const edited = read(configFile).replace('My charging site', 'Depot North');
  fs.writeFileSync(configFile, edited);

  const again = install(target);
  assert.equal(again.status, 0, again.output);
  assert.match(again.output, /kept your \/etc\/ocpp-edge\/config\.json/);
  assert.equal(read(configFile), edited, 'config untouched by a re-install');
  assert.equal(marker(), '"kept"', 'database untouched by a re-install');
  assert.equal(read(path.join(target, 'etc/systemd/system/ocpp-edge.service')), unit, 'same unit');
  assert.ok(!fs.existsSync(path.join(target, 'opt/ocpp-edge.new')), 'no staging left behind');

  // An upgrade (a newer version in the manifest) keeps everything and copies the database first.
  const manifestFile = path.join(release, 'MANIFEST.json');
  const manifest = JSON.parse(read(manifestFile));
  fs.writeFileSync(manifestFile, JSON.stringify({ ...manifest, version: '9.9.9' }));
  try {
    const upgrade = install(target);
    assert.equal(upgrade.status, 0, upgrade.output);
    assert.match(upgrade.output, /upgrading ocpp-edge 0\.1\.0 -> 9\.9\.9|upgrading ocpp-edge \S+ -> 9\.9\.9/);
    const copies = fs.readdirSync(path.join(dataDir, 'backups'));
    assert.equal(copies.filter((f) => /^before-9\.9\.9-from-.*\.db$/.test(f)).length, 1, `pre-upgrade copy in ${copies}`);
    assert.equal(marker(), '"kept"');
    assert.equal(read(configFile), edited);
  } finally {
    fs.writeFileSync(manifestFile, JSON.stringify(manifest, null, 2));
  }

  const removed = install(target, '--uninstall');
  assert.equal(removed.status, 0, removed.output);
  assert.ok(!fs.existsSync(path.join(target, 'opt/ocpp-edge')));
  assert.ok(!fs.existsSync(path.join(target, 'etc/systemd/system/ocpp-edge.service')));
  assert.ok(!fs.existsSync(path.join(target, 'usr/local/bin/ocpp-edge')));
  assert.equal(read(configFile), edited, 'uninstall keeps the config');
  assert.equal(marker(), '"kept"', 'uninstall keeps the database');

  const purged = install(target, '--uninstall', '--purge');
  assert.equal(purged.status, 0, purged.output);
  assert.ok(!fs.existsSync(path.join(target, 'etc/ocpp-edge')));
  assert.ok(!fs.existsSync(dataDir));
});

test('a port below 1024 gets exactly CAP_NET_BIND_SERVICE through a drop-in, removed again when not needed', () => {
  const target = path.join(work, 'root-lowport');
  const dropIn = path.join(target, 'etc/systemd/system/ocpp-edge.service.d/10-low-port.conf');
  const configFile = path.join(target, 'etc/ocpp-edge/config.json');
  assert.equal(install(target).status, 0);
  assert.ok(!fs.existsSync(dropIn), 'no capability for the default port 8080');
  const config = JSON.parse(read(configFile));
  fs.writeFileSync(configFile, JSON.stringify({ ...config, http: { ...config.http, port: 80 } }));
  const low = install(target);
  assert.equal(low.status, 0, low.output);
  assert.match(read(dropIn), /^AmbientCapabilities=CAP_NET_BIND_SERVICE$/m);
  assert.match(read(dropIn), /^CapabilityBoundingSet=CAP_NET_BIND_SERVICE$/m);
  assert.match(low.output, /Admin page: +http:\/\/\S+:80\//);
  fs.writeFileSync(configFile, JSON.stringify(config));
  assert.equal(install(target).status, 0);
  assert.ok(!fs.existsSync(dropIn), 'drop-in removed once the port is >= 1024 again');
});

test('uninstall removes the low-port drop-in it wrote, and keeps a drop-in of your own', () => {
  const target = path.join(work, 'root-lowport-uninstall');
  const dropInDir = path.join(target, 'etc/systemd/system/ocpp-edge.service.d');
  const configFile = path.join(target, 'etc/ocpp-edge/config.json');
  assert.equal(install(target).status, 0);
  const config = JSON.parse(read(configFile));
  fs.writeFileSync(configFile, JSON.stringify({ ...config, http: { ...config.http, port: 80 } }));
  assert.equal(install(target).status, 0);
  assert.ok(fs.existsSync(path.join(dropInDir, '10-low-port.conf')));
  const removed = install(target, '--uninstall');
  assert.equal(removed.status, 0, removed.output);
  assert.ok(!fs.existsSync(dropInDir), 'no drop-in (nor its empty folder) left behind');

  assert.equal(install(target).status, 0);
  fs.writeFileSync(path.join(dropInDir, 'override.conf'), '[Service]\nMemoryMax=300M\n');
  assert.equal(install(target, '--uninstall').status, 0);
  assert.ok(!fs.existsSync(path.join(dropInDir, '10-low-port.conf')));
  assert.ok(fs.existsSync(path.join(dropInDir, 'override.conf')), 'a file the installer did not write is kept');
});

test('with TLS on, a low http.port needs no capability: nothing listens there unless plainHttp is set', () => {
  const target = path.join(work, 'root-tls-lowport');
  const dropIn = path.join(target, 'etc/systemd/system/ocpp-edge.service.d/10-low-port.conf');
  const configFile = path.join(target, 'etc/ocpp-edge/config.json');
  assert.equal(install(target).status, 0);
  const config = JSON.parse(read(configFile));
  const tlsOn = { ...config.http.tls, enabled: true };
  delete tlsOn.plainHttp; // as a config written before plainHttp was in the example
  const withTls = (extra: object) => ({ ...config, http: { ...config.http, port: 80, tls: { ...tlsOn, ...extra } } });
  fs.writeFileSync(configFile, JSON.stringify(withTls({})));
  const tlsOnly = install(target);
  assert.equal(tlsOnly.status, 0, tlsOnly.output);
  assert.ok(!fs.existsSync(dropIn), 'plain port 80 is not served by default with TLS on');
  assert.match(tlsOnly.output, /Admin page: +https:\/\/\S+:8443\//);
  fs.writeFileSync(configFile, JSON.stringify(withTls({ plainHttp: true })));
  assert.equal(install(target).status, 0);
  assert.ok(fs.existsSync(dropIn), 'plainHttp: true serves port 80 too');
});

test('as root the installed command runs backup and export as root (they write where you ask), the rest as the service user', () => {
  const target = path.join(work, 'root-wrapper');
  // A stand-in for runuser/id/getent that says who would run node; the node passed to the installer is real.
  const stubs = path.join(work, 'wrapper-stubs');
  fs.mkdirSync(stubs, { recursive: true });
  fs.writeFileSync(path.join(stubs, 'id'), '#!/bin/sh\necho 0\n', { mode: 0o755 });
  fs.writeFileSync(path.join(stubs, 'getent'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  fs.writeFileSync(path.join(stubs, 'runuser'), '#!/bin/sh\necho "as-service-user $2"\nexit 0\n', { mode: 0o755 });
  assert.equal(install(target).status, 0);
  const dataDir = fs.mkdtempSync(path.join(work, 'wrapper-data-'));
  const wrapper = (...args: string[]) => spawnSync('sh', [path.join(target, 'usr/local/bin/ocpp-edge'), ...args], {
    encoding: 'utf8', env: { ...process.env, PATH: `${stubs}:${process.env.PATH}`, OCPP_EDGE_DATA_DIR: dataDir, OCPP_EDGE_CONFIG: path.join(dataDir, 'none.json') },
  });
  // No database yet: even backup runs as the service user, so root never creates the database.
  assert.match(wrapper('backup', '/root/site.db').stdout, /^as-service-user ocpp-edge$/m);
  fs.writeFileSync(path.join(dataDir, 'ocpp-edge.db'), '');
  for (const args of [['backup', '/root/site.db'], ['export', 'transactions', '--out', '/root/t.csv']]) {
    const r = wrapper(...args);
    assert.doesNotMatch(r.stdout, /as-service-user/, `${args[0]} runs as root: ${r.stdout}`);
    assert.match(r.stderr, /Cannot find module .*\/opt\/ocpp-edge\/dist\/ocpp-edge\.mjs/, 'it ran node itself (the program lives in /opt only on a real install)');
  }
  for (const args of [['charger', 'list'], ['restore', '/root/site.db'], ['admin', 'create']]) {
    assert.match(wrapper(...args).stdout, /^as-service-user ocpp-edge$/m, args[0]);
  }
});

test('the installer refuses a Node the natives were not built for, before touching anything', () => {
  const target = path.join(work, 'root-abi');
  const manifestFile = path.join(release, 'MANIFEST.json');
  const manifest = read(manifestFile);
  fs.writeFileSync(manifestFile, JSON.stringify({ ...JSON.parse(manifest), nodeAbi: 1, nodeVersion: 'v1.0.0' }));
  try {
    const run = install(target);
    assert.notEqual(run.status, 0);
    assert.match(run.output, /built for Node v1 \(ABI 1\), this machine has v\d+/);
    assert.ok(!fs.existsSync(path.join(target, 'opt')), 'nothing installed');
  } finally {
    fs.writeFileSync(manifestFile, manifest);
  }
});

test('the bundle stops with a clear message when the uWS binary cannot load', () => {
  const copy = path.join(work, 'broken');
  fs.cpSync(release, copy, { recursive: true });
  for (const f of fs.readdirSync(path.join(copy, 'node_modules/uWebSockets.js'))) {
    if (f.endsWith('.node')) fs.rmSync(path.join(copy, 'node_modules/uWebSockets.js', f));
  }
  const run = spawnSync(process.execPath, [path.join(copy, 'dist/ocpp-edge.mjs')], {
    encoding: 'utf8', env: { ...process.env, OCPP_EDGE_CONFIG: '', OCPP_EDGE_DATA_DIR: path.join(copy, 'data'), OCPP_EDGE_HTTP_PORT: '0' },
  });
  assert.equal(run.status, 70, run.stderr);
  assert.match(run.stderr, /cannot load the uWebSockets\.js native binding/);
  assert.match(run.stderr, new RegExp(`Node ${process.version.replace(/\./g, '\\.')} \\(ABI \\d+\\), linux/${process.arch}, glibc [\\d.]+`));
  assert.doesNotMatch(run.stderr, /^\s+at /m, 'no stack trace');
});
