// Charger passwords are checked with a keyed fast hash (HMAC-SHA256, site key), so a reconnect storm costs
// no scrypt; a scrypt hash from an older version still opens the connection once and is replaced by an HMAC
// one. Too many admissions at once are shed with 503 + Retry-After, never a collapse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';
import { ChargePoint } from '../../src/sim/chargePoint.js';
import { hashPassword } from '../../src/domain/passwords.js';
import { MAX_PENDING_ADMISSIONS } from '../../src/server/ocppSocket.js';

const storedHash = (site: Awaited<ReturnType<typeof startTestSite>>, id: string) => {
  site.domain.uow.commit();
  return (site.database.sqlite.prepare('SELECT password_hash AS h FROM charger WHERE charge_point_id = ?').get(id) as { h: string }).h;
};

test('a charger password is stored as a salted HMAC and opens the connection; a wrong one is 401', async () => {
  await using site = await startTestSite({ 'ocpp.requirePassword': true });
  await site.addCharger('CP-H1', 'a-long-random-charger-key-1');
  await site.addCharger('CP-H2', 'a-long-random-charger-key-1');
  const h1 = storedHash(site, 'CP-H1');
  assert.match(h1, /^hmac-sha256\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]{44}$/);
  assert.notEqual(h1, storedHash(site, 'CP-H2'), 'salted: the same key gives different hashes');
  const cp = await ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-H1', password: 'a-long-random-charger-key-1' });
  assert.ok((await cp.call('Heartbeat', {})).currentTime);
  await cp.close();
  const wrong = await ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-H1', password: 'a-long-random-charger-key-2' }).then(
    () => assert.fail('a wrong key must be refused'), (e) => e as { status?: number });
  assert.equal(wrong.status, 401);
});

test('a scrypt hash from an older version opens the connection and is replaced by an HMAC hash', async () => {
  await using site = await startTestSite({ 'ocpp.requirePassword': true });
  const id = await site.addCharger('CP-OLD');
  const legacy = await hashPassword('an-old-charger-key-from-v0');
  site.domain.uow.commit();
  site.database.sqlite.prepare('UPDATE charger SET password_hash = ? WHERE id = ?').run(legacy, id);
  const cp = await ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-OLD', password: 'an-old-charger-key-from-v0' });
  await cp.call('Heartbeat', {});
  await cp.close();
  const upgraded = storedHash(site, 'CP-OLD');
  assert.match(upgraded, /^hmac-sha256\$/);
  const again = await ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-OLD', password: 'an-old-charger-key-from-v0' });
  assert.ok((await again.call('Heartbeat', {})).currentTime, 'the same key still works with the new hash');
  await again.close();
});

test('more admissions at once than the limit: the rest are answered 503 with Retry-After, and the server stays up', async () => {
  await using site = await startTestSite({ 'ocpp.requirePassword': true });
  // Scrypt hashes (an older version's) and wrong keys: every admission stays on the scrypt pool for a while.
  const ids = Array.from({ length: MAX_PENDING_ADMISSIONS * 2 }, (_, i) => `CP-STORM-${i}`);
  const legacy = await hashPassword('the-right-key');
  for (const cpId of ids) await site.addCharger(cpId);
  site.domain.uow.commit();
  site.database.sqlite.prepare("UPDATE charger SET password_hash = ? WHERE charge_point_id LIKE 'CP-STORM-%'").run(legacy);
  const outcomes = await Promise.all(ids.map((cpId) => ChargePoint.connect({ baseUrl: site.wsUrl, id: cpId, password: 'a-wrong-key' })
    .then(async (cp) => { await cp.close(); return { status: 101, retryAfter: undefined }; },
      (e: Error & { status?: number; headers?: Record<string, string> }) => ({ status: e.status, retryAfter: e.headers?.['retry-after'] }))));
  const statuses = new Set(outcomes.map((o) => o.status));
  // 429: the wrong keys from one address also trip the failed-authentication throttle (src/ocpp/authThrottle.ts).
  assert.ok(statuses.has(401) && statuses.has(503) && [...statuses].every((s) => s === 401 || s === 429 || s === 503), JSON.stringify([...statuses]));
  const shed = outcomes.filter((o) => o.status === 503);
  assert.ok(shed.length <= ids.length - MAX_PENDING_ADMISSIONS, `${shed.length} shed`);
  for (const o of shed) assert.match(String(o.retryAfter), /^\d+$/, 'a shed charger is told when to come back');
  // From another address: this one is throttled now for its wrong keys.
  const ok = await ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-STORM-0', password: 'the-right-key', localAddress: '127.0.0.2' });
  assert.ok((await ok.call('Heartbeat', {})).currentTime, 'admission works again once the wave is over');
  await ok.close();
});
