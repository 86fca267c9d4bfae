// Site load balancing, the pure part: who gets how many amps (per phase) within a tree of circuits.
// Each circuit (the site's grid connection at the root, feeders below it) may limit the current per phase
// and/or the total power, already net of the building's other load and of any reserve. A session draws its
// amps on the phases it uses (a single-phase car on L1 uses no room on L2 and L3) and its watts at its
// charger's voltage.
// Rules, in order: sessions that cannot be steered are counted at what they draw; the minimum goes to
// sessions by priority, then rank (the controller's rotation order); who does not fit is paused (0 A) and
// holds those of its priority or lower sharing the full circuit at their minimum (their fair share while
// someone waits: the rotation brings the waiting in); what is left is shared by priority, equal amps among
// equal priorities ("water-filling"), a share a session cannot use flowing to the others.

export type PhaseSet = readonly [boolean, boolean, boolean];
export const THREE_PHASES: PhaseSet = [true, true, true];

export interface CircuitRoom {
  id: string;
  /** null for the site (the root). */
  parent: string | null;
  /** Amps left per phase (L1, L2, L3) for the sessions below; undefined = no phase limit here. */
  phaseA?: readonly [number, number, number];
  /** Watts left for the sessions below; undefined = no power limit here. */
  powerW?: number;
}

export interface Demand {
  key: string;
  circuit: string;
  phases: PhaseSet;
  voltage: number;
  minA: number;
  /** The most it may or can use (charger cap, car's demand); below minA: it gets nothing. */
  maxA: number;
  /** Higher first. */
  priority: number;
  /** Lower first among equal priorities when not every minimum fits. */
  rank: number;
  /** Not steerable (offline, refusing or ignoring profiles): counted at this per phase. */
  fixedA?: number;
}

export interface Share { amps: number; reason: string }

const EPS = 1e-9;

interface Constraint { name: string; circuit: string; left: number; phase?: 0 | 1 | 2 }

function coefficient(c: Constraint, d: Demand): number {
  if (c.phase !== undefined) return d.phases[c.phase] ? 1 : 0;
  return d.voltage * d.phases.filter(Boolean).length;
}

/** Every circuit from the session's own up to the site. */
export function pathOf(circuits: Map<string, CircuitRoom>, id: string): string[] {
  const out: string[] = [];
  for (let c = circuits.get(id); c; c = c.parent === null ? undefined : circuits.get(c.parent)) {
    if (out.includes(c.id)) throw new Error(`circuit ${c.id} is its own ancestor`);
    out.push(c.id);
  }
  if (out.length === 0) throw new Error(`unknown circuit ${id}`);
  return out;
}

export function allocate(rooms: CircuitRoom[], demands: Demand[]): Map<string, Share> {
  const circuits = new Map(rooms.map((r) => [r.id, r]));
  const constraints: Constraint[] = [];
  for (const r of rooms) {
    r.phaseA?.forEach((left, i) => constraints.push({ name: `${r.id} L${i + 1}`, circuit: r.id, left, phase: i as 0 | 1 | 2 }));
    if (r.powerW !== undefined) constraints.push({ name: `${r.id} power`, circuit: r.id, left: r.powerW });
  }
  const paths = new Map(demands.map((d) => [d.key, new Set(pathOf(circuits, d.circuit))]));
  const on = (d: Demand) => constraints.filter((c) => paths.get(d.key)!.has(c.circuit) && coefficient(c, d) > 0);
  const take = (d: Demand, amps: number) => { for (const c of on(d)) c.left -= coefficient(c, d) * amps; };
  const out = new Map<string, Share>();

  for (const d of demands) if (d.fixedA !== undefined) { take(d, d.fixedA); out.set(d.key, { amps: d.fixedA, reason: 'counted at its draw (not steerable)' }); }

  const steerable = demands.filter((d) => d.fixedA === undefined)
    .sort((a, b) => b.priority - a.priority || a.rank - b.rank || a.key.localeCompare(b.key));
  const given = new Map<string, number>();
  const waiting: Array<{ d: Demand; circuit: string }> = [];
  for (const d of steerable) {
    if (d.maxA < d.minA || d.maxA <= 0) { out.set(d.key, { amps: 0, reason: 'needs nothing now' }); continue; }
    const full = on(d).find((c) => coefficient(c, d) * d.minA > c.left + EPS);
    if (full) {
      waiting.push({ d, circuit: full.circuit });
      out.set(d.key, { amps: 0, reason: `paused: the minimum ${d.minA} A does not fit on ${full.name}` });
      continue;
    }
    take(d, d.minA);
    given.set(d.key, d.minA);
  }

  // Someone waiting holds the others of its priority or lower under the full circuit at their minimum.
  const held = (d: Demand) => waiting.some((w) => w.d.priority >= d.priority && paths.get(d.key)!.has(w.circuit));
  const reasons = new Map<string, string>();
  const levels = [...new Set(steerable.map((d) => d.priority))];
  for (const level of levels) {
    let active = steerable.filter((d) => d.priority === level && given.has(d.key));
    for (const d of active) if (held(d)) reasons.set(d.key, 'held at its minimum: a session waits for room');
    active = active.filter((d) => !held(d));
    while (active.length > 0) {
      let step = Infinity;
      let binding: Constraint | undefined;
      for (const c of constraints) {
        const weight = active.reduce((t, d) => t + (paths.get(d.key)!.has(c.circuit) ? coefficient(c, d) : 0), 0);
        if (weight > 0 && Math.max(0, c.left) / weight < step) { step = Math.max(0, c.left) / weight; binding = c; }
      }
      for (const d of active) step = Math.min(step, d.maxA - given.get(d.key)!);
      for (const d of active) { given.set(d.key, given.get(d.key)! + step); take(d, step); }
      active = active.filter((d) => {
        if (given.get(d.key)! >= d.maxA - EPS) { reasons.set(d.key, `at its maximum ${d.maxA} A`); return false; }
        const full = on(d).find((c) => c.left <= EPS);
        if (full) { reasons.set(d.key, `shares ${full.name} (full)`); return false; }
        return true;
      });
      if (binding === undefined && !Number.isFinite(step)) break;
    }
  }
  for (const d of steerable) {
    if (!given.has(d.key)) continue;
    out.set(d.key, { amps: floorTenth(given.get(d.key)!), reason: reasons.get(d.key) ?? 'at its minimum' });
  }
  return out;
}

/** Rounding down keeps the sum under the limit. */
export function floorTenth(a: number): number {
  return Math.floor(a * 10 + 1e-6) / 10;
}

/**
 * How much a car needs, remembered between readings with hysteresis so the allocation does not
 * swing: a car drawing clearly less than offered is capped a little above its draw; when it draws
 * close to that cap it may want more, and the cap is lifted.
 */
export function nextDemandCap(previousCapA: number | undefined, measuredA: number | null, allocatedA: number): number | undefined {
  const MARGIN_A = 2;
  if (measuredA === null || allocatedA <= 0) return previousCapA;
  if (previousCapA !== undefined) return measuredA >= previousCapA - MARGIN_A / 2 ? undefined : previousCapA;
  return measuredA < allocatedA - MARGIN_A ? Math.ceil(measuredA + MARGIN_A) : undefined;
}
