// Query parameters and body times that passed validation and then failed deeper (a 500), or that
// SQLite read as something else than asked: found by the API fuzz test (src/server/apiFuzz.e2e.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../../support/testSite.js';
import { addTariff } from '../../support/wallets.js';

const LEAP_SECOND = '2016-12-31T23:59:60Z'; // valid RFC 3339, but no JS Date can hold it

test('a leap-second time is a 400 at the schema, not a RangeError later', async () => {
  await using site = await startTestSite();
  await site.addCharger('CP-1');
  site.addIdTag('T-1');
  const created = await site.api('/api/admin/id-tags', { body: { idTag: 'T-2', expiryDate: LEAP_SECOND } });
  assert.equal(created.status, 400, JSON.stringify(created.body));
  assert.equal(created.body.error.code, 'invalid_body');
  assert.match(created.body.error.message, /expiryDate/);
  const changed = await site.api('/api/admin/id-tags/T-1', { method: 'PUT', body: { expiryDate: LEAP_SECOND } });
  assert.equal(changed.status, 400, JSON.stringify(changed.body));
  const firmware = await site.api('/api/admin/chargers/CP-1/firmware', { body: { location: 'https://x.example/fw.bin', retrieveDate: LEAP_SECOND } });
  assert.equal(firmware.status, 400, JSON.stringify(firmware.body));
  // Ordinary times with offsets and fractions still pass.
  const ok = await site.api('/api/admin/id-tags', { body: { idTag: 'T-3', expiryDate: '2030-06-30T23:59:59.5+02:00' } });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.equal(ok.body.idTag.expiryDate, '2030-06-30T21:59:59.500Z');
});

test('limits and offsets SQLite cannot take, or would read as "no limit", are a 400', async () => {
  await using site = await startTestSite();
  for (const path of [
    '/api/admin/transactions?offset=1e20', '/api/admin/users?offset=99999999999999999999', '/api/admin/id-tags?offset=9007199254740993',
    '/api/admin/reservations?limit=99999999999999999999', '/api/admin/reservations?limit=-1', '/api/admin/reservations?limit=0',
    '/api/admin/security-events?limit=-1', '/api/admin/security-events?limit=0', '/api/logs?before=1e20',
  ]) {
    const res = await site.api(path);
    assert.equal(res.status, 400, `${path}: ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error.code, 'invalid_parameter', path);
  }
  for (const path of ['/api/admin/transactions?offset=9007199254740991', '/api/admin/reservations?limit=1000', '/api/admin/security-events?limit=1']) {
    assert.equal((await site.api(path)).status, 200, path);
  }
});

test('a numeric parameter is digits: hex, exponents and padding are a 400, not another number', async () => {
  await using site = await startTestSite();
  const id = await addTariff(site);
  assert.equal((await site.api(`/api/admin/tariffs/${id}`)).status, 200);
  for (const spelled of [`0x${id.toString(16)}`, `${id}e0`, `%20${id}`, `${id}.0`, `+${id}`]) {
    const res = await site.api(`/api/admin/tariffs/${spelled}`);
    assert.equal(res.status, 400, `${spelled}: ${JSON.stringify(res.body)}`);
  }
  assert.equal((await site.api('/api/admin/transactions?limit=1e1')).status, 400);
});

test('an inherited property name is not a command: "constructor" is an unknown action', async () => {
  await using site = await startTestSite();
  await site.addCharger('CP-1');
  for (const action of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    const res = await site.api('/api/charge-points/CP-1/request', { body: { action, payload: {} } });
    assert.equal(res.status, 400, action);
    assert.equal(res.body.error.code, 'unknown_action', `${action}: ${JSON.stringify(res.body)}`);
  }
});
