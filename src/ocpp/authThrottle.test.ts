import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuthThrottle, DEFAULT_RULES } from './authThrottle.js';

test('a flooding address backs off exponentially up to its cap; other addresses and the real charger elsewhere are not slowed', () => {
  let now = 0;
  const throttle = new AuthThrottle(DEFAULT_RULES, () => now);
  for (let i = 0; i < DEFAULT_RULES.perAddress.free; i++) throttle.failed(`CP-${i}`, '10.0.0.66');
  assert.equal(throttle.waitMs('CP-X', '10.0.0.66'), 0, 'free failures: no wait');
  throttle.failed('CP-X', '10.0.0.66');
  assert.equal(throttle.waitMs('CP-Y', '10.0.0.66'), 2_000, 'then the address waits, for every id');
  throttle.failed('CP-X', '10.0.0.66');
  assert.equal(throttle.waitMs('CP-Y', '10.0.0.66'), 4_000, 'doubling');
  for (let i = 0; i < 30; i++) throttle.failed('CP-X', '10.0.0.66');
  assert.equal(throttle.waitMs('CP-Y', '10.0.0.66'), DEFAULT_RULES.perAddress.maxMs, 'capped');
  assert.equal(throttle.waitMs('CP-X', '10.0.0.7'), 0, 'the real CP-X at its own address is not slowed');
});

test('per charger and address: a short capped delay, ended by the right password; a quiet window forgives', () => {
  let now = 0;
  const throttle = new AuthThrottle(DEFAULT_RULES, () => now);
  for (let i = 0; i < 3; i++) throttle.failed('CP-1', '10.0.0.5');
  assert.equal(throttle.waitMs('CP-1', '10.0.0.5'), 0);
  throttle.failed('CP-1', '10.0.0.5');
  assert.equal(throttle.waitMs('CP-1', '10.0.0.5'), 1_000);
  assert.equal(throttle.waitMs('CP-2', '10.0.0.5'), 0, 'another charger behind the same address is not held');
  for (let i = 0; i < 20; i++) throttle.failed('CP-1', '10.0.0.5');
  assert.ok(throttle.waitMs('CP-1', '10.0.0.5') <= DEFAULT_RULES.perAddress.maxMs);
  now += 400_000; // past every backoff and a quiet window
  assert.equal(throttle.waitMs('CP-1', '10.0.0.5'), 0);
  throttle.failed('CP-1', '10.0.0.5');
  assert.equal(throttle.waitMs('CP-1', '10.0.0.5'), 0, 'counting starts over after a quiet window');
  for (let i = 0; i < 3; i++) throttle.failed('CP-1', '10.0.0.5');
  assert.ok(throttle.waitMs('CP-1', '10.0.0.5') > 0);
  now += 60_000;
  throttle.succeeded('CP-1', '10.0.0.5');
  assert.equal(throttle.waitMs('CP-1', '10.0.0.5'), 0);
});
