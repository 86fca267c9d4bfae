import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LoadController, type SessionInput } from './loadControl.js';

const settings = { raiseIntervalMs: 30_000, minRaiseStepA: 1, complianceGraceMs: 60_000, toleranceA: 1, rotationMs: 15 * 60_000, responseMs: 5000 };
const limits = (a: number) => [{ id: 'site', parent: null, limitA: a }];
const session = (key: string, measured: SessionInput['measured'] = null): SessionInput => ({
  key, circuit: 'site', wiring: [true, true, true], voltage: 230, minA: 6, maxA: 32, priority: 0, measured, steerable: true, defaultA: 6,
});
const at = (a: number, t: number): SessionInput['measured'] => ({ phaseA: [a, a, a], at: t });
const sent = (r: ReturnType<LoadController['step']>) => Object.fromEntries(r.send.map((s) => [s.key, s.amps]));

test('a lower goes out at once; the raise it makes room for waits until the lower shows in a reading', () => {
  const c = new LoadController(settings);
  assert.deepEqual(sent(c.step(0, { limits: limits(32), reading: null, sessions: [session('a')] })), { a: 32 });
  // b arrives: a is lowered at once, b stays at its safe default (6 A) while a still draws 32 A.
  let r = c.step(1000, { limits: limits(32), reading: null, sessions: [session('a', at(32, 900)), session('b')] });
  assert.deepEqual(sent(r), { a: 16, b: 6 });
  // A reading within the response time (5 s) may still show the old current.
  r = c.step(4000, { limits: limits(32), reading: null, sessions: [session('a', at(32, 3000)), session('b', at(6, 3000))] });
  assert.deepEqual(sent(r), {}, 'a has not shown its lower yet');
  assert.match(r.sessions.find((s) => s.key === 'b')!.reason, /raise to 16 A waits/);
  r = c.step(12_000, { limits: limits(32), reading: null, sessions: [session('a', at(16, 11_000)), session('b', at(6, 11_000))] });
  assert.deepEqual(sent(r), { b: 16 }, 'shown: b rises');
  // The sum drops, then rises again: the next raise of the same session waits for the raise interval.
  r = c.step(20_000, { limits: limits(40), reading: null, sessions: [session('a', at(16, 19_000)), session('b', at(16, 19_500))] });
  assert.deepEqual(sent(r), {}, 'both changed less than 30 s ago');
  assert.match(r.sessions[0]!.reason, /raise to 20 A waits \(raise interval\)/);
  r = c.step(32_000, { limits: limits(40), reading: null, sessions: [session('a', at(16, 31_000)), session('b', at(16, 31_000))] });
  assert.deepEqual(sent(r), { a: 20 }, 'a last changed at 1 s, b at 12 s');
});

// A charger that accepts profiles and draws what it likes (https://github.com/evcc-io/evcc/issues/31597).
test('a charger drawing over its setpoint is counted at its draw at once, then non-compliant and tried with the next kinds', () => {
  const c = new LoadController(settings);
  c.step(0, { limits: limits(32), reading: null, sessions: [session('bad'), session('good')] });
  let r = c.step(10_000, { limits: limits(32), reading: null, sessions: [session('bad', at(20, 9000)), session('good', at(16, 9000))] });
  assert.deepEqual(sent(r), { good: 12 }, 'the others get what it leaves');
  r = c.step(70_000, { limits: limits(32), reading: null, sessions: [session('bad', at(20, 69_000)), session('good', at(12, 69_000))] });
  assert.deepEqual(r.decisions.map((d) => d.event), ['non-compliant']);
  assert.deepEqual(r.send.find((s) => s.key === 'bad'), { key: 'bad', amps: 6, previousA: 6, kind: 'TxDefaultProfile', reason: r.send.find((s) => s.key === 'bad')!.reason });
  assert.equal(r.sessions.find((s) => s.key === 'bad')!.compliant, false);
  r = c.step(131_000, { limits: limits(32), reading: null, sessions: [session('bad', at(20, 130_000)), session('good', at(12, 130_000))] });
  assert.equal(r.send.find((s) => s.key === 'bad')?.kind, 'ChargePointMaxProfile');
  r = c.step(200_000, { limits: limits(32), reading: null, sessions: [session('bad', at(20, 199_000)), session('good', at(12, 199_000))] });
  assert.deepEqual(r.decisions, [], 'every kind tried once: no more switching');
});

test('rotation: when the minimum does not fit, the one waiting longest gets in after the rotation period', () => {
  const c = new LoadController({ ...settings, raiseIntervalMs: 0 });
  const three = (t: number, draws: Record<string, number>) => ['a', 'b', 'c'].map((k) => session(k, at(draws[k] ?? 0, t - 100)));
  let r = c.step(0, { limits: limits(12), reading: null, sessions: three(0, {}) });
  assert.deepEqual(r.sessions.map((s) => s.setpointA), [6, 6, 0]);
  r = c.step(10 * 60_000, { limits: limits(12), reading: null, sessions: three(10 * 60_000, { a: 6, b: 6 }) });
  assert.deepEqual(r.sessions.map((s) => s.setpointA), [6, 6, 0], 'within the period nothing moves');
  r = c.step(16 * 60_000, { limits: limits(12), reading: null, sessions: three(16 * 60_000, { a: 6, b: 6 }) });
  const yielded = r.sessions.filter((s) => s.key !== 'c' && s.setpointA === 0).map((s) => s.key);
  assert.equal(yielded.length, 1, 'one of the two that ran a full period yields');
  assert.equal(r.sessions.find((s) => s.key === 'c')!.setpointA, 0, 'c waits until that lower shows');
  const draws = { a: 6, b: 6, [yielded[0]!]: 0 };
  r = c.step(16 * 60_000 + 10_000, { limits: limits(12), reading: null, sessions: three(16 * 60_000 + 10_000, draws) });
  assert.equal(r.sessions.find((s) => s.key === 'c')!.setpointA, 6, 'the waiting one gets in once the room shows');
});

test('a power-only reading that may be a single-phase car on one phase does not cap the car below its offer', () => {
  const c = new LoadController({ ...settings, raiseIntervalMs: 0 });
  c.step(0, { limits: limits(32), reading: null, sessions: [session('one'), session('other')] });
  // 3680 W: 5.3 A on each of three phases, or 16 A on one. It was offered 16 A.
  const reading = { phaseA: [5.3, 5.3, 5.3] as [number, number, number], at: 9000, upToA: 16 };
  let r = c.step(10_000, { limits: limits(32), reading: null, sessions: [{ ...session('one'), measured: reading }, session('other', at(16, 9000))] });
  assert.deepEqual(sent(r), {}, 'not capped: it may be drawing all it was offered');
  r = c.step(20_000, { limits: limits(32), reading: null, sessions: [session('one', at(5.3, 19_000)), session('other', at(16, 19_000))] });
  assert.deepEqual(sent(r), { one: 8 }, 'per-phase currents say 5.3 A: capped a little above it');
});
