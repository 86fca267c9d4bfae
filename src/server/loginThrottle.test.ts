// The throttle's clock is injected, so lockout expiry is tested without waiting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LoginThrottle } from './loginThrottle.js';

test('locks a username+address after maxFailures, for lockoutSec, then starts a fresh count', () => {
  let now = 1_000_000;
  const t = new LoginThrottle({ maxFailures: 3, lockoutSec: 60, now: () => now });
  t.failed('ana', '10.0.0.1');
  t.failed('ana', '10.0.0.1');
  assert.equal(t.lockedFor('ana', '10.0.0.1'), 0, 'two failures: still allowed');
  t.failed('ana', '10.0.0.1');
  assert.equal(t.lockedFor('ana', '10.0.0.1'), 60);
  assert.equal(t.lockedFor('ANA', '10.0.0.1'), 60, 'the username is not case-sensitive here');
  assert.equal(t.lockedFor('ana', '10.0.0.2'), 0, 'another address is not locked');
  assert.equal(t.lockedFor('bob', '10.0.0.1'), 0, 'another username is not locked');
  now += 59_500;
  assert.equal(t.lockedFor('ana', '10.0.0.1'), 1);
  now += 1_000;
  assert.equal(t.lockedFor('ana', '10.0.0.1'), 0, 'lockout over');
  t.failed('ana', '10.0.0.1');
  assert.equal(t.lockedFor('ana', '10.0.0.1'), 0, 'one failure after a lockout does not lock again');
});

test('a success clears the failures so far', () => {
  const t = new LoginThrottle({ maxFailures: 2, lockoutSec: 60 });
  t.failed('ana', 'ip');
  t.succeeded('ana', 'ip');
  t.failed('ana', 'ip');
  assert.equal(t.lockedFor('ana', 'ip'), 0);
  t.failed('ana', 'ip');
  assert.ok(t.lockedFor('ana', 'ip') > 0);
});
