import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allocate, nextDemandCap, type SessionDemand } from './loadBalancing.js';

const s = (key: string, extra: Partial<SessionDemand> = {}): SessionDemand => ({ key, startedAt: `2026-01-01T00:00:0${key.length}Z`, ...extra });
const at = (i: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();

test('equal shares when nobody is capped', () => {
  const a = allocate({ siteLimitA: 32, minCurrentA: 6, sessions: [s('a'), s('b')] });
  assert.deepEqual([...a.values()], [16, 16]);
});

test('a capped charger leaves its unused share to the others', () => {
  const a = allocate({ siteLimitA: 48, minCurrentA: 6, sessions: [s('a', { capA: 10 }), s('b'), s('c')] });
  assert.equal(a.get('a'), 10);
  assert.equal(a.get('b'), 19);
  assert.equal(a.get('c'), 19);
});

test('a car drawing less than offered gives the rest to the others', () => {
  const a = allocate({ siteLimitA: 32, minCurrentA: 6, sessions: [s('a', { demandCapA: 8 }), s('b')] });
  assert.equal(a.get('a'), 8);
  assert.equal(a.get('b'), 24);
});

test('when the minimum does not fit for everyone, the latest sessions are paused', () => {
  const sessions = [0, 1, 2, 3, 4, 5].map((i) => ({ key: `k${i}`, startedAt: at(i) }));
  const a = allocate({ siteLimitA: 20, minCurrentA: 6, sessions });
  assert.deepEqual(sessions.map((x) => a.get(x.key)), [6.6, 6.6, 6.6, 0, 0, 0]);
});

test('a fixed (unsteerable) session is counted before sharing', () => {
  const a = allocate({ siteLimitA: 32, minCurrentA: 6, sessions: [s('a', { fixedA: 16 }), s('b'), s('c')] });
  assert.equal(a.get('a'), 16);
  assert.equal(a.get('b'), 8);
  assert.equal(a.get('c'), 8);
});

test('demand cap: set when the car draws clearly less, lifted when it draws near the cap', () => {
  assert.equal(nextDemandCap(undefined, 15.5, 16), undefined, 'drawing what we offered: no cap');
  assert.equal(nextDemandCap(undefined, 9.2, 16), 12);
  assert.equal(nextDemandCap(12, 9.3, 12), 12, 'steady below the cap: kept');
  assert.equal(nextDemandCap(12, 11.5, 12), undefined, 'near the cap: lifted so it may get more');
  assert.equal(nextDemandCap(12, null, 12), 12, 'no reading: unchanged');
});

// A tiny seeded PRNG so a failure is reproducible.
function rng(seed: number) {
  return () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
}

test('property: through random arrivals and departures the sum never exceeds the site limit', () => {
  for (let run = 0; run < 200; run++) {
    const rand = rng(run + 1);
    const siteLimitA = 6 + Math.floor(rand() * 120);
    const minCurrentA = [0, 6, 8, 10][Math.floor(rand() * 4)]!;
    const live: SessionDemand[] = [];
    let clock = 0;
    for (let step = 0; step < 60; step++) {
      if (live.length > 0 && rand() < 0.4) live.splice(Math.floor(rand() * live.length), 1);
      else {
        live.push({
          key: `s${run}-${step}`, startedAt: at(clock++),
          ...(rand() < 0.5 ? { capA: 4 + Math.floor(rand() * 60) } : {}),
          ...(rand() < 0.3 ? { demandCapA: 1 + Math.floor(rand() * 30) } : {}),
        });
      }
      const a = allocate({ siteLimitA, minCurrentA, sessions: live });
      const sum = [...a.values()].reduce((x, y) => x + y, 0);
      assert.ok(sum <= siteLimitA + 1e-9, `run ${run} step ${step}: ${sum} A > ${siteLimitA} A`);
      assert.equal(a.size, live.length);
      const paused = live.filter((x) => a.get(x.key) === 0);
      for (const x of live) {
        const given = a.get(x.key)!;
        assert.ok(given <= (x.capA ?? Infinity) + 1e-9, 'never above the charger cap');
        if (given > 0) assert.ok(given + 0.1 >= Math.min(minCurrentA, siteLimitA, x.capA ?? Infinity), 'a running session has the minimum');
      }
      // Nobody is paused while the minimums of those running leave room for theirs.
      const minimumOf = (x: SessionDemand) => Math.min(minCurrentA, siteLimitA, x.capA ?? Infinity, Math.max(x.demandCapA ?? Infinity, minCurrentA));
      const runningMinimums = live.filter((x) => a.get(x.key)! > 0).reduce((t, x) => t + minimumOf(x), 0);
      for (const p of paused) assert.ok(runningMinimums + minimumOf(p) > siteLimitA, `run ${run}: paused with room left`);
    }
  }
});
