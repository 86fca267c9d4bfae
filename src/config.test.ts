// Config errors name the bad key (file or env), env overrides win over the file, defaults fill the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { loadConfig, ConfigError, envOverrides, maskSecrets } from './config.js';
import { loadSchemaFile } from './schemas.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-config-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

function configFile(content: string | object): string {
  const file = path.join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function configError(fn: () => unknown): ConfigError {
  try { fn(); } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${err}`);
    return err;
  }
  assert.fail('expected a ConfigError');
}

test('no file and no env: every default', () => {
  const c = loadConfig({ env: {} });
  assert.equal(c.http.port, 8080);
  assert.equal(c.http.tls.enabled, false);
  assert.equal(c.ocpp.heartbeatIntervalSec, 300);
  assert.equal(c.retention.logDays, 30);
  assert.equal(c.ocpp.allowTagsWithoutWallet, false, 'tags must have a wallet unless the site says otherwise');
  assert.ok(path.isAbsolute(c.dataDir), 'dataDir is resolved');
});

test('a file that is not JSON names the file and the parse error', () => {
  const file = configFile('{ "siteId": "a", }');
  const err = configError(() => loadConfig({ file, env: {} }));
  assert.match(err.message, new RegExp(`config file ${file.replace(/[.\\/]/g, '\\$&')} is not valid JSON`));
});

test('a missing file is named', () => {
  const err = configError(() => loadConfig({ file: path.join(dir, 'nope.json'), env: {} }));
  assert.match(err.message, /cannot read config file .*nope\.json/);
});

test('an unknown key is named with its path', () => {
  const err = configError(() => loadConfig({ file: configFile({ http: { port: 8080, prot: 1 } }), env: {} }));
  assert.match(err.message, /http: must NOT have additional properties "prot"/);
  const top = configError(() => loadConfig({ file: configFile({ sitename: 'x' }), env: {} }));
  assert.match(top.message, /\(top level\): must NOT have additional properties "sitename"/);
});

test('a wrong type or range is named with its dotted path, all problems at once', () => {
  const err = configError(() => loadConfig({ file: configFile({ http: { port: '8080' }, ocpp: { heartbeatIntervalSec: 1, unknownChargers: 'maybe' } }), env: {} }));
  assert.match(err.message, /http\.port: must be integer/);
  assert.match(err.message, /ocpp\.heartbeatIntervalSec: must be >= 10/);
  assert.match(err.message, /ocpp\.unknownChargers: must be equal to one of the allowed values/);
});

test('env overrides win over the file and are parsed by the schema type', () => {
  const file = configFile({ http: { port: 8080 }, siteName: 'From file', ocpp: { heartbeatIntervalSec: 60 } });
  const c = loadConfig({
    file,
    env: {
      OCPP_EDGE_HTTP_PORT: '9000', OCPP_EDGE_HTTP_TLS_ENABLED: 'yes', OCPP_EDGE_HTTP_TLS_CERT_FILE: '/etc/c.pem',
      OCPP_EDGE_SITE_NAME: 'From env', OCPP_EDGE_RETENTION_LOG_MAX_ROWS: '500', OCPP_EDGE_MQTT_ENABLED: 'false',
    },
  });
  assert.equal(c.http.port, 9000);
  assert.equal(c.http.tls.enabled, true);
  assert.equal(c.http.tls.certFile, '/etc/c.pem');
  assert.equal(c.siteName, 'From env');
  assert.equal(c.retention.logMaxRows, 500);
  assert.equal(c.mqtt.enabled, false);
  assert.equal(c.ocpp.heartbeatIntervalSec, 60, 'the file still counts where env says nothing');
});

test('OCPP_EDGE_CONFIG picks the file', () => {
  const file = configFile({ siteId: 'depot-7' });
  assert.equal(loadConfig({ env: { OCPP_EDGE_CONFIG: file } }).siteId, 'depot-7');
});

test('a bad env override names the variable', () => {
  const notNumber = configError(() => loadConfig({ env: { OCPP_EDGE_HTTP_PORT: 'eighty' } }));
  assert.match(notNumber.message, /OCPP_EDGE_HTTP_PORT=eighty: expected a number/);
  const notBool = configError(() => loadConfig({ env: { OCPP_EDGE_HTTP_TLS_ENABLED: 'sometimes' } }));
  assert.match(notBool.message, /OCPP_EDGE_HTTP_TLS_ENABLED=sometimes: expected true or false/);
  const outOfRange = configError(() => loadConfig({ env: { OCPP_EDGE_HTTP_PORT: '70000' } }));
  assert.match(outOfRange.message, /http\.port: must be <= 65535/);
});

test('every leaf has an env name derived from its path', () => {
  const names = [...envOverrides().keys()];
  for (const n of ['OCPP_EDGE_DATA_DIR', 'OCPP_EDGE_HTTP_TLS_KEY_FILE', 'OCPP_EDGE_OCPP_HEARTBEAT_INTERVAL_SEC', 'OCPP_EDGE_RETENTION_METER_VALUE_DAYS']) {
    assert.ok(names.includes(n), `${n} exists`);
  }
});

test('secrets are masked for printing', () => {
  const c = loadConfig({ env: { OCPP_EDGE_MQTT_PASSWORD: 's3cret', OCPP_EDGE_HTTP_TLS_KEY_FILE: '/etc/k.pem' } });
  const printed = JSON.stringify(maskSecrets(c));
  assert.doesNotMatch(printed, /s3cret/);
  assert.match(printed, /"password":"\*+"/);
});

test('a user and password inside the broker URL are masked for printing too', () => {
  const c = loadConfig({ env: { OCPP_EDGE_MQTT_URL: 'mqtts://site:p@ss@broker.example:8883' } });
  const printed = JSON.stringify(maskSecrets(c));
  assert.doesNotMatch(printed, /p@ss|site:/);
  assert.match(printed, /"url":"mqtts:\/\/\*\*\*\*@broker\.example:8883"/);
});

test('the shipped config.example.json is valid', () => {
  const c = loadConfig({ file: path.join(root, 'config.example.json'), env: {} });
  assert.equal(c.dataDir, '/var/lib/ocpp-edge');
  assert.equal(c.ocpp.allowTagsWithoutWallet, false, 'an installed site charges only tags with a wallet');
});

test('the server exits 78 (EX_CONFIG) with the message, without a stack trace', () => {
  const file = configFile({ http: { port: 'x' } });
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src/main.ts')], {
    cwd: root, encoding: 'utf8', env: { ...process.env, OCPP_EDGE_CONFIG: file, OCPP_EDGE_DATA_DIR: path.join(dir, 'data') },
  });
  assert.equal(run.status, 78, run.stderr);
  assert.match(run.stderr, /^ocpp-edge: invalid configuration in .*\n\s+http\.port: must be integer/);
  assert.doesNotMatch(run.stderr, /^\s+at /m);
});

test('load management: feeders must form a tree under the site and chargers name feeders that exist', () => {
  const lb = (extra: Record<string, unknown>) => () => loadConfig({ env: {}, overrides: { loadBalancing: { enabled: true, siteLimitA: 63, ...extra } } });
  assert.throws(lb({ feeders: [{ id: 'a', parent: 'b' }, { id: 'b', parent: 'a' }] }), /loadBalancing\.feeders\.a: its parents loop back/);
  assert.throws(lb({ feeders: [{ id: 'a', parent: 'nowhere' }] }), /feeders\.a\.parent: no feeder "nowhere"/);
  assert.throws(lb({ chargers: { 'CP-1': { feeder: 'garage' } } }), /chargers\.CP-1\.feeder: no feeder "garage"/);
  assert.throws(lb({ chargers: { 'CP-1': { phase: 'L2' } } }), /only a single-phase charger/);
  assert.throws(lb({ gridMeter: { topic: 'g', fallbackLimitA: 80 } }), /fallbackLimitA: above siteLimitA/);
  assert.throws(lb({ gridMeter: { topic: 'g' } }), /fallbackLimitA/, 'a grid meter needs its fallback: stale data is never unlimited');
  assert.throws(() => loadConfig({ env: {}, overrides: { loadBalancing: { enabled: true } } }), /needs siteLimitA or siteLimitKw/);
  const ok = loadConfig({ env: {}, overrides: { loadBalancing: { enabled: true, siteLimitKw: 40, feeders: [{ id: 'garage', limitA: 32 }], gridMeter: { topic: 'g', fallbackLimitA: 20 } } } }).loadBalancing;
  assert.deepEqual([ok.feeders[0]!.parent, ok.gridMeter!.maxAgeSec, ok.gridMeter!.marginA, ok.raiseIntervalSec], ['site', 15, 1, 30]);
});

test('schemas/config.schema.json is a valid JSON schema (the server skips this check at start)', () => {
  const ajv = new Ajv({ strict: false });
  assert.equal(ajv.validateSchema(loadSchemaFile('config.schema.json') as object), true, ajv.errorsText());
});
