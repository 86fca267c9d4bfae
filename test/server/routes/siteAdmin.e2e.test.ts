// Changing the site name, site id and MQTT broker after setup, over real HTTP: what the API answers,
// that it survives a restart on the same data directory, and that a stored broker URL with
// credentials is used intact (a real broker that checks them) but never shown or logged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestSite, type TestSite } from '../../support/testSite.js';
import { startAedesBroker } from '../../support/mqttBroker.js';
import { waitFor } from '../../support/waitFor.js';

/** Everything the site logs (the test site's logger is silent, so its methods are wrapped). */
function captureLogs(site: TestSite): string[] {
  const lines: string[] = [];
  const logger = site.logger as unknown as Record<string, (...args: unknown[]) => void>;
  for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal']) {
    const original = logger[level]!.bind(site.logger);
    logger[level] = (...args: unknown[]) => { lines.push(JSON.stringify(args)); original(...args); };
  }
  return lines;
}

test('an admin changes the site; it shows at once, survives a restart, and the broker credentials work but are never echoed', { timeout: 60_000 }, async () => {
  await using broker = await startAedesBroker({ users: { site: 's3cret' } });
  const brokerUrl = `mqtt://site:s3cret@127.0.0.1:${broker.port}`;
  const masked = `mqtt://****@127.0.0.1:${broker.port}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-site-'));
  const first = await startTestSite({}, dir);
  try {
    const logs = captureLogs(first);
    const publicKeys = Object.keys((await first.api('/api/site', { token: null })).body).sort();

    const named = await first.api('/api/admin/site', { method: 'PUT', body: { siteName: 'Depot North' } });
    assert.equal(named.status, 200, JSON.stringify(named.body));
    assert.deepEqual(Object.keys(named.body).sort(), [...publicKeys, 'mqttUrl', 'restartRequired'].sort(), 'GET /api/site plus the broker and the restart flag');
    assert.equal(named.body.siteName, 'Depot North');
    assert.equal(named.body.restartRequired, false, 'the name shows at once');
    assert.equal((await first.api('/api/site', { token: null })).body.siteName, 'Depot North');

    const moved = await first.api('/api/admin/site', { method: 'PUT', body: { siteId: 'depot-north', mqttUrl: brokerUrl } });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal(moved.body.siteId, 'depot-north');
    assert.equal(moved.body.mqttUrl, masked);
    assert.equal(moved.body.restartRequired, true, 'site id and broker are read when the sync starts');
    const viewer = first.createToken('viewer');
    const shown = await first.api('/api/admin/site', { token: viewer });
    assert.equal(shown.status, 200);
    assert.equal(shown.body.mqttUrl, masked);
    assert.equal(shown.body.restartRequired, true, 'still pending when read again');

    // The form sends the masked URL back unchanged: the stored one is kept, not overwritten.
    const again = await first.api('/api/admin/site', { method: 'PUT', body: { siteName: 'Depot North', mqttUrl: masked } });
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(first.domain.settings.get('mqtt.url'), brokerUrl);
    const maskedElsewhere = await first.api('/api/admin/site', { method: 'PUT', body: { mqttUrl: 'mqtt://****@other.example:1883' } });
    assert.equal(maskedElsewhere.status, 400);
    assert.equal(maskedElsewhere.body.error.code, 'masked_credentials');
    assert.equal(first.domain.settings.get('mqtt.url'), brokerUrl);

    assert.ok(logs.some((l) => l.includes('site settings changed')), 'the change is logged');
    assert.deepEqual(logs.filter((l) => l.includes('s3cret')), [], 'no password in the log');
    for (const body of [named.body, moved.body, shown.body, again.body]) assert.doesNotMatch(JSON.stringify(body), /s3cret|site:/);
  } finally {
    await first.stop(); // not disposed: the next site starts on the same directory (and removes it)
  }

  await using second = await startTestSite({}, dir);
  const site = (await second.api('/api/site', { token: null })).body;
  assert.equal(site.siteName, 'Depot North');
  assert.equal(site.siteId, 'depot-north');
  const stored = (await second.api('/api/admin/site')).body;
  assert.equal(stored.mqttUrl, masked);
  assert.equal(stored.restartRequired, false, 'after the restart everything stored is in effect');
  // The broker refuses anyone without site/s3cret: connecting proves the stored URL kept them.
  const mqtt = await waitFor('the sync to connect with the stored broker URL', async () => {
    const health = (await second.api('/api/health', { token: null })).body;
    return health.mqtt.state === 'connected' ? health.mqtt : undefined;
  }, 20_000);
  assert.equal(mqtt.broker, `mqtt://127.0.0.1:${broker.port}`, 'health shows the broker without credentials');

  const off = await second.api('/api/admin/site', { method: 'PUT', body: { mqttUrl: null } });
  assert.equal(off.status, 200, JSON.stringify(off.body));
  assert.equal(off.body.mqttUrl, null);
  assert.equal(off.body.restartRequired, true, 'the running sync stops at the next start');
  assert.equal(second.domain.settings.get('mqtt.url'), null);
});

test('a viewer cannot change the site; bad input is refused with the standard error and changes nothing', async () => {
  await using site = await startTestSite({ siteName: 'Before', siteId: 'before' });
  const viewer = site.createToken('viewer');
  const denied = await site.api('/api/admin/site', { method: 'PUT', body: { siteName: 'Hijacked' }, token: viewer });
  assert.equal(denied.status, 403);
  assert.equal(denied.body.error.code, 'forbidden');

  const bad: Array<[string, unknown]> = [
    ['http URL with credentials', { mqttUrl: 'http://u:pw-secret@broker.example' }],
    ['no host', { mqttUrl: 'mqtt://' }],
    ['only a port', { mqttUrl: 'mqtt://:1883' }],
    ['only a user', { mqttUrl: 'mqtt://user@' }],
    ['not a URL', { mqttUrl: 'broker.example:1883' }],
    ['empty URL (null turns MQTT off)', { mqttUrl: '' }],
    ['host with a space', { mqttUrl: 'mqtt://bro ker:1883' }],
    ['site id with a space', { siteId: 'my site' }],
    ['empty name', { siteName: '' }],
    ['name with padding', { siteName: ' Depot ' }],
    ['unknown key', { siteName: 'X', currency: 'EUR' }],
    ['nothing to change', {}],
    ['not an object', ['Depot']],
  ];
  for (const [why, body] of bad) {
    const r = await site.api('/api/admin/site', { method: 'PUT', body });
    assert.equal(r.status, 400, `${why}: ${JSON.stringify(r.body)}`);
    assert.equal(typeof r.body.error.code, 'string', why);
    assert.equal(typeof r.body.error.message, 'string', why);
    assert.doesNotMatch(JSON.stringify(r.body), /pw-secret/, `${why}: the refusal does not echo a password`);
  }
  const after = (await site.api('/api/site')).body;
  assert.equal(after.siteName, 'Before');
  assert.equal(after.siteId, 'before');
  assert.deepEqual(site.domain.settings.site(), {}, 'nothing was stored');
});
