import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roundHalfUp, secondsBetween, sessionCost, type TariffSnapshot } from './pricing.js';

const tariff = (t: Partial<TariffSnapshot> = {}): TariffSnapshot => ({
  id: 1, name: 't', currency: 'EUR', pricePerKwh: 0, sessionFee: 0, pricePerMinute: 0, idleFeePerMinute: 0, taxPercent: 0, ...t,
});
const usage = (energyWh: number, chargingSeconds = 0, idleSeconds = 0) => ({ energyWh, chargingSeconds, idleSeconds });

test('energy: Wh / 1000 × price per kWh', () => {
  assert.equal(sessionCost(tariff({ pricePerKwh: 30 }), usage(11_000)).totalAmount, 330);
  assert.equal(sessionCost(tariff({ pricePerKwh: 35 }), usage(1)).totalAmount, 0, '0.035 rounds down');
  assert.equal(sessionCost(tariff({ pricePerKwh: 500 }), usage(1)).totalAmount, 1, '0.5 rounds up (half up)');
  assert.equal(sessionCost(tariff({ pricePerKwh: 499 }), usage(1)).totalAmount, 0, '0.499 rounds down');
});

test('rounding happens once, at the end: many small parts are not each rounded', () => {
  // 3 × 0.4 would be 0 if each part were rounded; exactly it is 1.2 -> 1.
  const t = tariff({ pricePerKwh: 400, pricePerMinute: 24, idleFeePerMinute: 24 }); // 1 Wh = 0.4; 1 s = 0.4 each
  assert.equal(sessionCost(t, usage(1, 1, 1)).totalAmount, 1);
  // 2 Wh = 0.8, + 0.4 + 0.4 = 1.6 -> 2
  assert.equal(sessionCost(t, usage(2, 1, 1)).totalAmount, 2);
});

test('session fee, per-minute charging time prorated per second, idle fee', () => {
  const t = tariff({ pricePerKwh: 30, sessionFee: 50, pricePerMinute: 2, idleFeePerMinute: 10 });
  // 7.5 kWh × 30 = 225; fee 50; 90 min charging × 2 = 180; 30 s idle × 10/60 = 5 -> 460
  assert.equal(sessionCost(t, usage(7500, 90 * 60, 30)).totalAmount, 460);
  // 45 s at 2/min = 1.5 -> 2 (half up)
  assert.equal(sessionCost(tariff({ pricePerMinute: 2 }), usage(0, 45)).totalAmount, 2);
  assert.equal(sessionCost(tariff({ sessionFee: 99 }), usage(0)).totalAmount, 99, 'a session without energy still pays its fee');
});

test('tax: applied to the exact net, one rounding; net + tax == total', () => {
  // net 330, 19% -> 392.7 -> 393; net printed 330, tax 63
  const c = sessionCost(tariff({ pricePerKwh: 30, taxPercent: 19 }), usage(11_000));
  assert.deepEqual([c.netAmount, c.taxAmount, c.totalAmount], [330, 63, 393]);
  // net 12.345 (12345 Wh at 1/kWh) × 1.077 = 13.295565 -> 13; net rounded 12, tax 1
  const d = sessionCost(tariff({ pricePerKwh: 1, taxPercent: 7.7 }), usage(12_345));
  assert.deepEqual([d.netAmount, d.taxAmount, d.totalAmount], [12, 1, 13]);
  // exactly half after tax: net 10 × 1.25 = 12.5 -> 13
  assert.equal(sessionCost(tariff({ sessionFee: 10, taxPercent: 25 }), usage(0)).totalAmount, 13);
  // a fractional tax percent is exact, not a float product: 500 × 1.001 = 500.5 -> 501
  assert.equal(sessionCost(tariff({ sessionFee: 500, taxPercent: 0.1 }), usage(0)).totalAmount, 501);
  for (const seed of [1, 7, 42, 99, 1234]) {
    const cost = sessionCost(tariff({ pricePerKwh: seed, sessionFee: seed % 13, pricePerMinute: seed % 5, taxPercent: (seed % 30) + 0.5 }), usage(seed * 977, seed * 31, seed));
    assert.equal(cost.netAmount + cost.taxAmount, cost.totalAmount);
  }
});

test('big sessions stay exact (no float drift)', () => {
  // 123,456,789 Wh × 37 / 1000 = 4,567,901.193 -> 4,567,901
  assert.equal(sessionCost(tariff({ pricePerKwh: 37 }), usage(123_456_789)).totalAmount, 4_567_901);
});

test('negative or missing usage counts as zero', () => {
  const t = tariff({ pricePerKwh: 30, pricePerMinute: 10 });
  assert.equal(sessionCost(t, usage(-500, -60, Number.NaN)).totalAmount, 0);
  assert.equal(secondsBetween('2024-01-01T10:00:00Z', '2024-01-01T09:00:00Z'), 0, 'clock went backwards');
  assert.equal(secondsBetween('2024-01-01T10:00:00Z', '2024-01-01T10:01:30.900Z'), 90);
  assert.equal(secondsBetween(null, '2024-01-01T10:00:00Z'), 0);
});

test('roundHalfUp', () => {
  assert.equal(roundHalfUp(5n, 10n), 1);
  assert.equal(roundHalfUp(4n, 10n), 0);
  assert.equal(roundHalfUp(15n, 10n), 2);
  assert.equal(roundHalfUp(-15n, 10n), -2);
  assert.equal(roundHalfUp(0n, 7n), 0);
});
