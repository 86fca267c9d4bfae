// A flood of wrong charger passwords, over real WebSockets: the flooding address is answered 429 with
// Retry-After (before any password work), the real charger at its own address still connects at once,
// every refusal is counted in /metrics, and the security_event table gets one row per charger per
// minute however long the flood goes on. Source addresses are distinct loopback addresses (127.0.0.x).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestSite } from '../support/testSite.js';
import { ChargePoint } from '../../src/sim/chargePoint.js';
import { DEFAULT_RULES } from '../../src/ocpp/authThrottle.js';
import { waitFor } from '../support/waitFor.js';

test('wrong passwords from one address: 429 + Retry-After for it, the real charger elsewhere unaffected, counted, one security event a minute', async () => {
  await using site = await startTestSite();
  await site.addCharger('CP-1', 'the-real-key-123456');
  const attacker = { baseUrl: site.wsUrl, id: 'CP-1', password: 'guess-guess-guess', localAddress: '127.0.0.66' };
  const attempt = async (id: string) => {
    const err: any = await ChargePoint.connect({ ...attacker, id }).then(() => assert.fail('a wrong password connected'), (e) => e);
    return { status: err.status as number, retryAfter: err.headers?.['retry-after'] as string | undefined };
  };
  const againstCp1: number[] = [];
  for (let i = 0; i < 5; i++) againstCp1.push((await attempt('CP-1')).status);
  assert.deepEqual(againstCp1, [401, 401, 401, 401, 429], 'per (id, address): a few 401s, then a short backoff');
  const blocked = await attempt('CP-1');
  assert.ok(Number(blocked.retryAfter) >= 1 && Number(blocked.retryAfter) <= 30, `Retry-After within the per-charger cap: ${blocked.retryAfter}`);

  // Guessing ids from the same address: the address itself backs off.
  const scan: number[] = [];
  for (let i = 0; i < DEFAULT_RULES.perAddress.free; i++) scan.push((await attempt(`CP-GUESS-${i}`)).status);
  assert.equal(scan.at(-1), 429, `the address is throttled for every id: ${scan}`);
  assert.ok(scan.slice(0, DEFAULT_RULES.perAddress.free - 4).every((s) => s === 404), `unknown ids first: ${scan}`);
  const statuses = [...againstCp1, blocked.status, ...scan];

  const real = await ChargePoint.connect({ baseUrl: site.wsUrl, id: 'CP-1', password: 'the-real-key-123456', localAddress: '127.0.0.7' });
  assert.ok((await real.call('Heartbeat', {})).currentTime, 'the real charger at its own address connects at once');
  await real.close();

  const metrics = await (await fetch(`${site.baseUrl}/metrics`)).text();
  const counter = (outcome: string) => Number(new RegExp(`ocpp_edge_charger_auth_failures_total\\{outcome="${outcome}"\\} (\\d+)`).exec(metrics)?.[1] ?? 0);
  assert.equal(counter('wrong_password'), statuses.filter((s) => s === 401).length);
  assert.equal(counter('unknown_id'), statuses.filter((s) => s === 404).length);
  assert.equal(counter('throttled'), statuses.filter((s) => s === 429).length);

  const events = await waitFor('the security event', async () => {
    const res = await site.api('/api/admin/security-events');
    return res.body.events?.length ? res.body.events : undefined;
  });
  assert.equal(events.length, 1, 'deduplicated: one row for the whole flood within the minute');
  assert.equal(events[0].type, 'FailedChargerAuthentication');
  assert.match(events[0].techInfo, /127\.0\.0\.66/);
});
