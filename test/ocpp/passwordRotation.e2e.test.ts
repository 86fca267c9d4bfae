// AuthorizationKey rotation that the charger applies later (RebootRequired) or whose answer is lost:
// both keys open a connection until the charger first uses the new one; then only the new one does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite, type TestSite } from '../support/testSite.js';
import { ChargePoint } from '../../src/sim/chargePoint.js';

const OLD = 'old-password-1234';
const NEW = 'new-password-5678';

async function connects(site: TestSite, password: string): Promise<boolean> {
  try {
    const cp = await ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-1', password });
    await cp.close();
    return true;
  } catch (err) {
    assert.equal((err as { status?: number }).status, 401, String(err));
    return false;
  }
}

async function rotate(site: TestSite, answer: (cp: ChargePoint) => void): Promise<{ status: number; body: any }> {
  await site.addCharger('CP-1', OLD);
  const cp = await ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-1', password: OLD });
  answer(cp);
  const res = await site.api('/api/admin/chargers/CP-1/configuration', { method: 'PUT', body: { key: 'AuthorizationKey', value: NEW } });
  await cp.close();
  return res;
}

test('RebootRequired: the charger reconnects with the new key after its reboot; the old one is refused from then on', async () => {
  await using site = await startTestSite();
  const res = await rotate(site, (cp) => cp.on('ChangeConfiguration', () => ({ status: 'RebootRequired' })));
  assert.equal(res.body.status, 'RebootRequired', JSON.stringify(res.body));
  assert.equal(await connects(site, OLD), true, 'before its reboot the charger still has the old key');
  assert.equal(await connects(site, 'neither-of-them'), false);
  assert.equal(await connects(site, NEW), true, 'after its reboot it uses the new key');
  assert.equal(await connects(site, OLD), false, 'the old key stops working once the new one was used');
  assert.equal(await connects(site, NEW), true);
});

test('no answer (timeout): both keys work until the new one is used', async () => {
  await using site = await startTestSite({ 'ocpp.callTimeoutSec': 0.3 });
  const res = await rotate(site, (cp) => cp.on('ChangeConfiguration', () => new Promise(() => {})));
  assert.equal(res.status, 504);
  assert.equal(await connects(site, OLD), true);
  assert.equal(await connects(site, NEW), true);
  assert.equal(await connects(site, OLD), false);
});

test('Rejected: the new key never works; an operator-set password ends a pending rotation', async () => {
  await using site = await startTestSite();
  const res = await rotate(site, (cp) => cp.on('ChangeConfiguration', () => ({ status: 'Rejected' })));
  assert.equal(res.body.status, 'Rejected');
  assert.equal(await connects(site, NEW), false);
  assert.equal(await connects(site, OLD), true);

  const cp = await ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-1', password: OLD });
  cp.on('ChangeConfiguration', () => ({ status: 'RebootRequired' }));
  await site.api('/api/admin/chargers/CP-1/configuration', { method: 'PUT', body: { key: 'AuthorizationKey', value: NEW } });
  await cp.close();
  assert.equal((await site.api('/api/admin/chargers/CP-1/password', { method: 'PUT', body: { password: 'operator-chosen-42' } })).status, 200);
  assert.equal(await connects(site, NEW), false, 'the operator replaced the pending key');
  assert.equal(await connects(site, OLD), false);
  assert.equal(await connects(site, 'operator-chosen-42'), true);
});

test('offline charger: the rotation is refused with 409 and the new key never becomes valid', async () => {
  await using site = await startTestSite();
  await site.addCharger('CP-1', OLD);
  const res = await site.api('/api/admin/chargers/CP-1/configuration', { method: 'PUT', body: { key: 'AuthorizationKey', value: NEW } });
  assert.equal(res.status, 409);
  assert.equal(await connects(site, NEW), false);
  assert.equal(await connects(site, OLD), true);
});
