// The AuthorizationKey as the 1.6 security whitepaper defines it: 16-20 bytes, written as 32-40 hex
// characters in ChangeConfiguration, and sent DECODED (the raw bytes) as the Basic-auth password
// (OCTT TC_085_CS, quoted in https://github.com/steve-community/steve/issues/1895; a simulator fixed
// to send the bytes: https://github.com/shiv3/ocpp-cp-simulator/issues/260). Many chargers send the hex
// text instead, so both open the connection; a wrong key in either form does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';
import { ChargePoint } from '../../src/sim/chargePoint.js';

const HEX_KEY = '00ff3a80c1d2e3f4a5b6c7d8e9fa0b1c2d3e4f50'; // 20 bytes: NUL, a colon (0x3a), invalid UTF-8

test('a hex key opens the connection sent as its decoded bytes, as lower- or upper-case hex text; wrong bytes do not', async () => {
  await using site = await startTestSite();
  await site.addCharger('CP-1', HEX_KEY);
  const connect = (auth: { password?: string; passwordBytes?: Buffer }) => ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-1', ...auth });

  for (const auth of [{ passwordBytes: Buffer.from(HEX_KEY, 'hex') }, { password: HEX_KEY }, { password: HEX_KEY.toUpperCase() }]) {
    const cp = await connect(auth);
    assert.ok((await cp.call('Heartbeat', {})).currentTime, `admitted with ${JSON.stringify(auth)}`);
    await cp.close();
  }
  const wrong = Buffer.from(HEX_KEY, 'hex');
  wrong[19] = wrong[19]! ^ 1;
  await assert.rejects(connect({ passwordBytes: wrong }), /HTTP 401/);
  await assert.rejects(connect({ password: HEX_KEY.slice(0, 38) }), /HTTP 401/);
});

test('a typed key (not hex) is compared as typed; a key given in upper-case hex also accepts the bytes', async () => {
  await using site = await startTestSite();
  await site.addCharger('CP-T', 'plain-typed-key-17');
  const cp = await ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-T', password: 'plain-typed-key-17' });
  await cp.close();
  await site.addCharger('CP-U', HEX_KEY.toUpperCase());
  const bytes = await ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-U', passwordBytes: Buffer.from(HEX_KEY, 'hex') });
  await bytes.close();
});

test('a generated AuthorizationKey is 20 random bytes as 40 hex characters; the charger then connects with the bytes, the old key stops working', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-1', { password: 'the-old-key-123456' });
  let sentKey = '';
  cp.on('ChangeConfiguration', (p: any) => { sentKey = p.value; return { status: 'Accepted' }; });
  const res = await site.api('/api/admin/chargers/CP-1/authorization-key', { method: 'POST', body: {} });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.match(res.body.key, /^[0-9a-f]{40}$/);
  assert.equal(sentKey, res.body.key, 'the key went out in ChangeConfiguration AuthorizationKey');
  const second = await site.api('/api/admin/chargers/CP-1/authorization-key', { method: 'POST', body: {} });
  assert.notEqual(second.body.key, res.body.key, 'random each time');
  await cp.close();

  const again = await ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-1', passwordBytes: Buffer.from(second.body.key, 'hex') });
  await again.close();
  await assert.rejects(ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-1', password: 'the-old-key-123456' }), /HTTP 401/);
});

test('typed keys need at least 16 characters and at most 40, in both the key route and ChangeConfiguration', async () => {
  await using site = await startTestSite();
  await site.connectCharger('CP-1', { password: 'the-old-key-123456' });
  const short = await site.api('/api/admin/chargers/CP-1/authorization-key', { method: 'POST', body: { key: 'fifteen-chars!!' } });
  assert.equal(short.status, 400);
  const long = await site.api('/api/admin/chargers/CP-1/configuration', { method: 'PUT', body: { key: 'AuthorizationKey', value: 'x'.repeat(41) } });
  assert.equal(long.status, 400);
  const tooShort = await site.api('/api/admin/chargers/CP-1/configuration', { method: 'PUT', body: { key: 'AuthorizationKey', value: 'x'.repeat(15) } });
  assert.equal(tooShort.status, 400);
});
