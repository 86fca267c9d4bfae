// First-run setup against the real server process: the one-time link it logs, POST /api/setup's
// answers (403 wrong token, 400 bad form, 201 once, 409 after), and settings that persist and are used.
import { test } from 'node:test';
import Database from 'better-sqlite3';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnServer, type ServerProcess } from '../support/serverProcess.js';
import { setupTokenOf } from '../support/setupLink.js';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocpp-edge-setup-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function call(server: ServerProcess, apiPath: string, init: { method?: string; body?: unknown; cookie?: string; csrf?: string } = {}) {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.cookie) headers.cookie = init.cookie;
  if (init.csrf) headers['x-csrf-token'] = init.csrf;
  const res = await fetch(`http://127.0.0.1:${server.port}${apiPath}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'), headers, body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: res.status, body: await res.json() as any, setCookie: res.headers.get('set-cookie') };
}

const form = (token: string) => ({
  token, username: 'owner', password: 'a long enough password', siteName: 'Harbour car park', siteId: 'harbour-1',
  currency: 'EUR', tariff: { pricePerKwh: 35, sessionFee: 50 },
});

test('the setup link creates the first admin once, logs them in, stores the site settings, and is void afterwards', async (t) => {
  const dataDir = tempDir(t);
  {
    await using server = await spawnServer({ dataDir });
    const { link, token } = await setupTokenOf(server);
    assert.match(link, new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/#/setup\\?token=`));
    assert.deepEqual((await call(server, '/api/site')).body, { siteName: 'My charging site', siteId: 'site-1', demo: false, currency: null, setupRequired: true });

    for (const bad of [{ ...form('wrong-token') }, { ...form(token), token: undefined }, 'not an object']) {
      const r = await call(server, '/api/setup', { body: bad });
      assert.equal(r.status, 403, JSON.stringify(r.body));
      assert.equal(r.body.error.code, 'invalid_setup_token');
    }
    const invalid = await call(server, '/api/setup', { body: { ...form(token), currency: 'euro', password: 'short' } });
    assert.equal(invalid.status, 400);
    assert.match(invalid.body.error.message, /currency|password/);

    // Two tabs submitting at once: one admin, not two.
    const [a, b] = await Promise.all([call(server, '/api/setup', { body: form(token) }), call(server, '/api/setup', { body: { ...form(token), username: 'other' } })]);
    const done = [a, b].find((r) => r.status === 201);
    assert.ok(done, `one of the two succeeded: ${a.status} ${b.status}`);
    assert.equal([a, b].filter((r) => r.status === 409).length, 1);
    assert.equal(done.body.site.siteName, 'Harbour car park');

    const cookie = done.setCookie!.split(';')[0]!;
    const me = await call(server, '/api/auth/me', { cookie });
    assert.equal(me.status, 200);
    assert.equal(me.body.user.role, 'admin');
    assert.equal((await call(server, '/api/setup', { body: form(token) })).status, 409, 'the token is spent');

    const tariffs = await call(server, '/api/admin/tariffs', { cookie });
    const standard = (tariffs.body.tariffs ?? tariffs.body).find((x: any) => x.isDefault);
    assert.deepEqual([standard.currency, standard.pricePerKwh, standard.sessionFee], ['EUR', 35, 50]);
    assert.deepEqual((await call(server, '/api/site')).body, { siteName: 'Harbour car park', siteId: 'harbour-1', demo: false, currency: 'EUR', setupRequired: false });
  }
  // After a restart: still set up, no new link, the stored settings still win over the defaults.
  await using again = await spawnServer({ dataDir });
  assert.equal((await call(again, '/api/site')).body.siteName, 'Harbour car park');
  assert.equal((await call(again, '/api/site')).body.siteId, 'harbour-1');
  assert.ok(!again.output.some((l) => l.includes('setupLink')), 'no setup link once an admin exists');
});

test('a restart before setup makes a new token and voids the old one', async (t) => {
  const dataDir = tempDir(t);
  let first: string;
  {
    await using server = await spawnServer({ dataDir });
    first = (await setupTokenOf(server)).token;
  }
  await using server = await spawnServer({ dataDir });
  const second = (await setupTokenOf(server)).token;
  assert.notEqual(first, second);
  assert.equal((await call(server, '/api/setup', { body: form(first) })).status, 403);
  assert.equal((await call(server, '/api/setup', { body: { ...form(second), tariff: undefined, siteId: undefined } })).status, 201);
});

test('a setup that fails part-way stores nothing and the token still works; the currency is kept without a tariff', async (t) => {
  const dataDir = tempDir(t);
  {
    await using server = await spawnServer({ dataDir }); // makes the database
    await setupTokenOf(server);
  }
  // A real failure half-way through the writes: the tariff insert is refused by the database.
  const db = new Database(path.join(dataDir, 'ocpp-edge.db'));
  db.exec("CREATE TRIGGER refuse_tariff BEFORE INSERT ON tariff BEGIN SELECT RAISE(ABORT, 'tariff refused by the test'); END");
  db.close();

  await using server = await spawnServer({ dataDir });
  const { token } = await setupTokenOf(server);
  const before = (await call(server, '/api/site')).body;
  const failed = await call(server, '/api/setup', { body: { ...form(token), currency: 'GBP' } });
  assert.equal(failed.status, 500, JSON.stringify(failed.body));
  assert.deepEqual((await call(server, '/api/site')).body, before, 'no admin, no site name/id, no currency');
  // A broker URL without a host is refused before anything is written, as in the settings page.
  const noHost = await call(server, '/api/setup', { body: { ...form(token), mqttUrl: 'mqtt:///topic' } });
  assert.equal(noHost.status, 400, JSON.stringify(noHost.body));
  assert.match(noHost.body.error.message, /mqttUrl/);
  assert.equal((await call(server, '/api/site')).body.setupRequired, true);

  // Same token, no price (a free site): the currency entered is the site's currency all the same.
  const done = await call(server, '/api/setup', { body: { ...form(token), tariff: undefined, currency: 'GBP' } });
  assert.equal(done.status, 201, JSON.stringify(done.body));
  assert.equal(done.body.site.tariffId, null);
  assert.equal((await call(server, '/api/site')).body.currency, 'GBP');
  const cookie = done.setCookie!.split(';')[0]!;
  const csrf = done.body.csrfToken as string;
  // New wallets and tariffs take it when none is given.
  const user = await call(server, '/api/admin/users', { body: { fullName: 'Driver' }, cookie, csrf });
  assert.equal(user.status, 201, JSON.stringify(user.body));
  const userId = user.body.user.id as number;
  const wallet = await call(server, `/api/admin/users/${userId}/wallet`, { body: {}, cookie, csrf });
  assert.equal(wallet.status, 201, JSON.stringify(wallet.body));
  assert.equal(wallet.body.wallet.currency, 'GBP');
  const db2 = new Database(path.join(dataDir, 'ocpp-edge.db'));
  db2.exec('DROP TRIGGER refuse_tariff');
  db2.close();
  const tariff = await call(server, '/api/admin/tariffs', { body: { name: 'Night', pricePerKwh: 20 }, cookie, csrf });
  assert.equal(tariff.status, 201, JSON.stringify(tariff.body));
  assert.equal(tariff.body.tariff.currency, 'GBP');
});
