// systemd/ocpp-edge.service: checked by `systemd-analyze verify` (package systemd; CI installs it),
// and the settings the service relies on are present.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const unitText = fs.readFileSync(path.join(root, 'systemd/ocpp-edge.service'), 'utf8');

function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

/** key=value pairs of the [Service] section (repeated keys collected). */
function serviceSettings(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let section = '';
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t.startsWith('[')) { section = t; continue; }
    if (section !== '[Service]' || !t || t.startsWith('#')) continue;
    const eq = t.indexOf('=');
    out.set(t.slice(0, eq), [...(out.get(t.slice(0, eq)) ?? []), t.slice(eq + 1)]);
  }
  return out;
}

test('the unit runs a notify service as its own user with state and config directories', () => {
  const s = serviceSettings(unitText);
  const one = (k: string) => s.get(k)?.at(-1);
  assert.equal(one('Type'), 'notify');
  assert.equal(one('NotifyAccess'), 'all', 'READY/WATCHDOG come from the systemd-notify child');
  assert.ok(Number(one('WatchdogSec')) > 0);
  assert.equal(one('Restart'), 'on-failure');
  assert.equal(one('User'), 'ocpp-edge');
  assert.equal(one('StateDirectory'), 'ocpp-edge');
  assert.equal(one('ConfigurationDirectory'), 'ocpp-edge');
  const env = s.get('Environment') ?? [];
  assert.ok(env.includes('OCPP_EDGE_CONFIG=/etc/ocpp-edge/config.json'));
  assert.ok(env.includes('OCPP_EDGE_DATA_DIR=/var/lib/ocpp-edge'));
  for (const [k, v] of <Array<[string, string]>>[['NoNewPrivileges', 'yes'], ['ProtectSystem', 'strict'], ['ProtectHome', 'yes'], ['PrivateTmp', 'yes'], ['CapabilityBoundingSet', '']]) {
    assert.equal(one(k), v, `${k}=${v}`);
  }
  assert.match(one('MemoryMax') ?? '', /^\d+[KMG]$/);
  // A small young generation keeps idle RSS down (README, Benchmark); the bench runs the bundle with these flags.
  assert.match(one('ExecStart') ?? '', /^\/usr\/bin\/node --max-semi-space-size=1 \/opt\/ocpp-edge\/dist\/ocpp-edge\.mjs$/);
});

test('systemd-analyze verify accepts the unit', (t) => {
  if (!hasCommand('systemd-analyze')) {
    if (process.env.CI === 'true') assert.fail('systemd-analyze is missing in CI (apt-get install -y systemd)');
    t.skip('systemd-analyze not installed (apt package systemd); CI runs this');
    return;
  }
  // verify checks that ExecStart's binary exists: point it at this machine's node, as install.sh does.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-unit-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const unit = path.join(dir, 'ocpp-edge.service');
  fs.writeFileSync(unit, unitText.replace('/usr/bin/node', process.execPath));
  const run = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
  const output = `${run.stdout}${run.stderr}`;
  assert.equal(run.status, 0, `systemd-analyze verify failed:\n${output}`);
  // Unknown or misspelt keys are only warnings (exit 0): treat any line about our unit as a failure.
  const ours = output.split('\n').filter((l) => l.includes('ocpp-edge.service'));
  assert.deepEqual(ours, [], `systemd-analyze verify warns:\n${ours.join('\n')}`);
});
