// A deterministic site for the load controller (src/domain/loadControl.ts): simulated chargers and cars,
// a building with its own load, a grid meter, all on a virtual clock stepping 100 ms at a time, so hours
// of site time run in seconds. Seeded: the same seed gives the same run, a failure is reproducible.
// The chargers behave like real ones: a setpoint takes effect after a network latency, the car follows
// after a ramp delay, meter values come every meter interval, some chargers ignore profiles (or honour only
// one kind), cars draw on one or three phases and taper towards the end of a charge.
import { LoadController, type ControlSettings, type ProfileKind, type SessionInput } from '../../src/domain/loadControl.js';
import type { PhaseSet } from '../../src/domain/loadBalancing.js';
import type { CircuitLimit, GridMeterSettings, GridReading, Triple } from '../../src/domain/siteRoom.js';

export const TICK_MS = 100;

export interface SimCar {
  phases: 1 | 3;
  maxA: number;
  /** From this long after arrival the car's own maximum falls linearly to taperToA over taperMs. */
  taperAfterMs?: number; taperMs?: number; taperToA?: number;
}

export interface SimCharger {
  id: string; circuit: string; wiring: PhaseSet; voltage?: number;
  minA: number; maxA: number; priority?: number;
  /** Which profile kinds it applies: 'all', 'none' (ignores every profile) or only one kind. */
  obeys: 'all' | 'none' | ProfileKind;
  meterIntervalMs: number;
}

export interface Visit { charger: string; arriveMs: number; leaveMs: number; car: SimCar }

export interface Scenario {
  durationMs: number; controlIntervalMs: number; latencyMs: number; rampMs: number;
  settings: ControlSettings; limits: CircuitLimit[]; chargers: SimCharger[]; visits: Visit[];
  /** The building's own load per phase at a time. */
  building: (t: number) => Triple;
  gridMeter?: { settings: GridMeterSettings; intervalMs: number; silent?: Array<[number, number]> };
}

export interface Sample { t: number; circuitA: Map<string, Triple>; setpoints: Map<string, number> }
export interface SetpointChange { t: number; key: string; from: number; to: number; kind: ProfileKind; reason: string }

export interface SimResult {
  samples: Sample[]; changes: SetpointChange[]; decisions: Array<{ t: number; key: string; event: string; reason: string }>;
  /** Per control step: the controller's view (for fairness checks). */
  steps: Array<{ t: number; sessions: ReturnType<LoadController['step']>['sessions'] }>;
  /** Per visit key: ms charged with a setpoint above 0. */
  chargedMs: Map<string, number>;
}


interface Live {
  visit: Visit; key: string; charger: SimCharger;
  /** [time it takes effect at the charger, limit] of setpoints in flight. */
  inflight: Array<{ at: number; amps: number; kind: ProfileKind }>;
  appliedA: number; history: Array<{ t: number; targetA: number }>; actualA: number;
  reported: { phaseA: Triple; at: number } | null; nextMeterAt: number;
}

function carMaxA(car: SimCar, sinceArrival: number): number {
  if (car.taperAfterMs === undefined || sinceArrival < car.taperAfterMs) return car.maxA;
  const f = Math.min(1, (sinceArrival - car.taperAfterMs) / (car.taperMs ?? 1));
  return car.maxA + (car.taperToA! - car.maxA) * f;
}

function phaseCurrents(l: Live): Triple {
  const out: Triple = [0, 0, 0];
  const wired = [0, 1, 2].filter((i) => l.charger.wiring[i]);
  for (const i of l.visit.car.phases === 1 ? wired.slice(0, 1) : wired) out[i] = l.actualA;
  return out;
}

export function simulate(sc: Scenario): SimResult {
  const ctl = new LoadController(sc.settings);
  const chargers = new Map(sc.chargers.map((c) => [c.id, c]));
  const visits = [...sc.visits].sort((a, b) => a.arriveMs - b.arriveMs);
  const live: Live[] = [];
  const result: SimResult = { samples: [], changes: [], decisions: [], steps: [], chargedMs: new Map() };
  let reading: GridReading | null = null;
  let nextControl = 0;
  let nextGrid = 0;
  let v = 0;
  const circuitsOf = (id: string): string[] => {
    const out: string[] = [];
    for (let c = sc.limits.find((l) => l.id === id); c; c = sc.limits.find((l) => l.id === c!.parent)) out.push(c.id);
    return out;
  };

  for (let t = 0; t <= sc.durationMs; t += TICK_MS) {
    let changed = false;
    while (v < visits.length && visits[v]!.arriveMs <= t) {
      const visit = visits[v++]!;
      const charger = chargers.get(visit.charger)!;
      // Before we say anything, the charger holds its safe default profile (the minimum), if it honours it.
      const defaultA = charger.obeys === 'all' || charger.obeys === 'TxDefaultProfile' ? charger.minA : Infinity;
      live.push({ visit, key: `${visit.charger}@${visit.arriveMs}`, charger, inflight: [], appliedA: defaultA, history: [{ t, targetA: 0 }], actualA: 0, reported: null, nextMeterAt: t + charger.meterIntervalMs });
      changed = true; // a StartTransaction: the server rebalances at once
    }
    for (let i = live.length - 1; i >= 0; i--) if (live[i]!.visit.leaveMs <= t) { live.splice(i, 1); changed = true; }

    for (const l of live) {
      for (const f of l.inflight.filter((x) => x.at <= t)) {
        if (l.charger.obeys === 'all' || l.charger.obeys === f.kind) l.appliedA = f.amps;
      }
      l.inflight = l.inflight.filter((x) => x.at > t);
      const target = Math.min(l.appliedA, l.charger.maxA, carMaxA(l.visit.car, t - l.visit.arriveMs));
      l.history.push({ t, targetA: target });
      // The car follows the pilot signal after its ramp delay.
      const past = l.history.filter((h) => h.t <= t - sc.rampMs);
      if (past.length > 0) l.actualA = past[past.length - 1]!.targetA;
      l.history = l.history.slice(Math.max(0, past.length - 1));
      if (t >= l.nextMeterAt) { l.reported = { phaseA: phaseCurrents(l), at: t }; l.nextMeterAt = t + l.charger.meterIntervalMs; }
    }

    const circuitA = new Map<string, Triple>(sc.limits.map((c) => [c.id, [0, 0, 0]]));
    const b = sc.building(t);
    circuitA.set('site', [...b]);
    for (const l of live) for (const id of circuitsOf(l.charger.circuit)) phaseCurrents(l).forEach((a, i) => { circuitA.get(id)![i]! += a; });

    const gm = sc.gridMeter;
    if (gm && t >= nextGrid) {
      nextGrid = t + gm.intervalMs;
      if (!gm.silent?.some(([from, to]) => t >= from && t < to)) reading = { currentA: [...circuitA.get('site')!], at: t };
    }

    if (t >= nextControl || changed) {
      nextControl = t + sc.controlIntervalMs;
      const sessions: SessionInput[] = live.map((l) => ({
        key: l.key, circuit: l.charger.circuit, wiring: l.charger.wiring, voltage: l.charger.voltage ?? 230,
        minA: l.charger.minA, maxA: l.charger.maxA, priority: l.charger.priority ?? 0, measured: l.reported, steerable: true, defaultA: l.charger.minA,
      }));
      const step = ctl.step(t, { limits: sc.limits, ...(gm ? { meter: gm.settings } : {}), reading, sessions });
      for (const sp of step.send) {
        const l = live.find((x) => x.key === sp.key)!;
        l.inflight.push({ at: t + sc.latencyMs, amps: sp.amps, kind: sp.kind });
        if (sp.amps !== sp.previousA) result.changes.push({ t, key: sp.key, from: sp.previousA, to: sp.amps, kind: sp.kind, reason: sp.reason });
      }
      for (const d of step.decisions) result.decisions.push({ t, ...d });
      result.steps.push({ t, sessions: step.sessions });
    }
    const setpoints = new Map(result.steps[result.steps.length - 1]?.sessions.map((s) => [s.key, s.setpointA]) ?? []);
    for (const l of live) if ((setpoints.get(l.key) ?? 0) > 0) result.chargedMs.set(l.key, (result.chargedMs.get(l.key) ?? 0) + TICK_MS);
    if (t % 1000 === 0) result.samples.push({ t, circuitA, setpoints });
  }
  return result;
}

/** Stretches of time (ms) during which a circuit's current on some phase was above its limit. */
export function overLimitEpisodes(res: SimResult, limits: CircuitLimit[]): Array<{ circuit: string; from: number; ms: number; peakA: number }> {
  const out: Array<{ circuit: string; from: number; ms: number; peakA: number }> = [];
  for (const c of limits) {
    if (c.limitA === undefined) continue;
    let open: { circuit: string; from: number; ms: number; peakA: number } | null = null;
    for (const s of res.samples) {
      const peak = Math.max(...s.circuitA.get(c.id)!);
      if (peak > c.limitA + 1e-6) {
        open ??= { circuit: c.id, from: s.t, ms: 0, peakA: 0 };
        open.ms = s.t - open.from + 1000;
        open.peakA = Math.max(open.peakA, peak);
      } else if (open) { out.push(open); open = null; }
    }
    if (open) out.push(open);
  }
  return out;
}
