// Who may connect: known ids only, the ocpp1.6 subprotocol, the charger's own password; one socket per id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';
import { ChargePoint } from '../../src/sim/chargePoint.js';
import { parseBasicAuth } from '../../src/server/ocppSocket.js';

const refusal = (p: Promise<unknown>) => p.then(() => assert.fail('connection should be refused'), (e) => e as Error & { status?: number });

test('an unknown charge point id is refused with 404 before the upgrade', async () => {
  await using site = await startTestSite();
  const err = await refusal(ChargePoint.connect({ baseUrl: site.wsUrl, id: 'NOBODY' }));
  assert.equal(err.status, 404);
  assert.equal(site.count('charger'), 0);
});

test('with the pending policy an unknown charger is registered and booted as Pending', async () => {
  await using site = await startTestSite({ 'ocpp.unknownChargers': 'pending' });
  const cp = await site.connectCharger('NEWCOMER', { register: false });
  const boot = await cp.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'X' });
  assert.equal(boot.status, 'Pending');
  assert.equal(site.domain.chargers.byChargePointId('NEWCOMER')!.registrationStatus, 'Pending');
});

test('a charger with a password needs Basic auth with exactly that password', async () => {
  await using site = await startTestSite();
  await site.addCharger('CP-SECURE', 'correct horse battery');
  assert.equal((await refusal(ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-SECURE' }))).status, 401);
  assert.equal((await refusal(ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-SECURE', password: 'wrong' }))).status, 401);
  const cp = await site.connectCharger('CP-SECURE', { password: 'correct horse battery' });
  assert.equal((await cp.call('Heartbeat', {})).currentTime.length > 0, true);
});

test('by default a registered charger without a password is refused; a Pending one may wait without', async () => {
  await using site = await startTestSite({ 'ocpp.requirePassword': undefined, 'ocpp.unknownChargers': 'pending' });
  assert.equal(site.config.ocpp.requirePassword, true, 'passwords are required by default');
  await site.addCharger('CP-NOPASS');
  const err = await refusal(ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-NOPASS' }));
  assert.equal(err.status, 401);
  const pending = await site.connectCharger('CP-UNKNOWN', { register: false });
  assert.equal((await pending.call('BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'X' })).status, 'Pending');
  await site.addCharger('CP-WITH', 'a-long-password');
  await site.connectCharger('CP-WITH', { password: 'a-long-password' });
});

test('the ocpp1.6 subprotocol is required and negotiated', async () => {
  await using site = await startTestSite();
  await site.addCharger('CP-PROTO');
  const err = await refusal(ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-PROTO', protocols: ['ocpp2.0.1'] }));
  assert.equal(err.status, 400);
  const cp = await site.connectCharger('CP-PROTO', { protocols: ['ocpp2.0.1', 'ocpp1.6'] });
  assert.equal((cp as unknown as { ws: { protocol: string } }).ws.protocol, 'ocpp1.6');
});

test('a second connection with the same id replaces the first', async () => {
  await using site = await startTestSite();
  const first = await site.connectCharger('CP-TWICE');
  const second = await site.connectCharger('CP-TWICE');
  assert.equal(await first.waitClosed(), 1000);
  await second.call('Heartbeat', {});
  assert.equal(site.hub.connected().length, 1);
  assert.ok(site.hub.isOnline('CP-TWICE'));
});

test('a connected charger silent for two heartbeat intervals is offline', async () => {
  await using site = await startTestSite({ 'ocpp.heartbeatIntervalSec': 10 });
  const cp = await site.connectCharger('CP-QUIET');
  await cp.call('Heartbeat', {});
  assert.ok(site.hub.isOnline('CP-QUIET'));
  site.hub.get('CP-QUIET')!.lastSeenAt = Date.now() - 21_000; // as if nothing came for 21 s
  assert.equal(site.hub.isOnline('CP-QUIET'), false);
  await cp.call('Heartbeat', {});
  assert.ok(site.hub.isOnline('CP-QUIET'), 'any frame brings it back');
});

test('a charger whose socket closes is offline', async () => {
  await using site = await startTestSite();
  const cp = await site.connectCharger('CP-GONE');
  await cp.call('Heartbeat', {});
  assert.ok(site.hub.isOnline('CP-GONE'));
  await cp.close();
  for (let i = 0; i < 50 && site.hub.get('CP-GONE'); i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(site.hub.isOnline('CP-GONE'), false);
});

test('parseBasicAuth reads user and password, and rejects malformed headers', () => {
  const header = 'Basic ' + Buffer.from('CP-1:pa:ss').toString('base64');
  assert.deepEqual(parseBasicAuth(header), { username: 'CP-1', password: 'pa:ss', passwordBytes: Buffer.from('pa:ss') });
  // A whitepaper AuthorizationKey sent as its decoded bytes (OCTT TC_085_CS): kept raw, not UTF-8 mangled.
  const raw = Buffer.from('00ff3a80c1', 'hex');
  const bytesHeader = 'Basic ' + Buffer.concat([Buffer.from('CP-1:'), raw]).toString('base64');
  assert.deepEqual(parseBasicAuth(bytesHeader)?.passwordBytes, raw);
  assert.equal(parseBasicAuth('Bearer abc'), undefined);
  assert.equal(parseBasicAuth(''), undefined);
});
