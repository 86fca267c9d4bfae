// How much room each circuit of the site has for charging: its static limits (A per phase, kW), the site's
// dynamic limit from a grid meter (the limit minus the building's other load), and a safe fallback when the
// meter is stale. Pure: the MQTT subscriber in src/sync feeds readings in as GridReading.
import type { CircuitRoom, PhaseSet } from './loadBalancing.js';

export type Triple = [number, number, number];

export interface CircuitLimit {
  id: string;
  parent: string | null;
  /** Per phase, amps. */
  limitA?: number;
  /** Total, watts. */
  limitW?: number;
}

/** The site's total consumption as the grid meter (or an energy manager) last reported it. */
export interface GridReading {
  /** Amps per phase L1..L3 (import positive). */
  currentA?: Triple;
  powerW?: number;
  /** When it was received (ms since epoch). */
  at: number;
}

export interface GridMeterSettings {
  /** Older than this, the reading is stale. */
  maxAgeMs: number;
  /** The charging limit per phase while the meter is stale (replaces the site's limit minus other load). */
  fallbackLimitA: number;
  fallbackLimitW?: number;
  /** Kept free per phase against the building's load moving between two readings. */
  marginA: number;
}

export interface ChargingDraw {
  circuit: string;
  /** What the session is counted at (its reading, capped at the setpoint it obeys). */
  phaseA: Triple;
  /** After a raise not yet seen in a reading: the most it may draw now. */
  atMostA?: Triple;
  voltage: number;
}

export type MeterState = 'none' | 'fresh' | 'stale';

export interface SiteRoom {
  rooms: CircuitRoom[];
  meter: MeterState;
  /** The building's other load at the site, as worked out from the meter (null when not known). */
  otherA: Triple | null;
  otherW: number | null;
}

export const ROOT = 'site';
/** Volts per phase when a charger's voltage is not configured (EU low voltage). */
export const NOMINAL_VOLTAGE = 230;

export function usedPhases(phaseA: Triple, wiring: PhaseSet): PhaseSet {
  const drawing = phaseA.map((a) => a >= 1) as [boolean, boolean, boolean];
  return drawing.some(Boolean) ? drawing : wiring;
}

/**
 * The building's other load: the meter's total minus what the sessions draw. Readings of the chargers lag
 * the meter: after a raise, a car may already draw more than its last reading says, and the plain
 * difference would count its increase as building load (and lower everyone: the oscillation). While a raise
 * is unconfirmed (`atMostA` set), the estimate stays between the lowest it can be (the raised sessions at
 * their new setpoint) and the highest (at their last reading), held at the previous estimate where it can.
 */
export function otherLoad(reading: GridReading, draws: ChargingDraw[], previous: OtherLoad | null): OtherLoad {
  const unsettled = draws.some((d) => d.atMostA !== undefined);
  const sum = (pick: (d: ChargingDraw) => Triple): Triple => {
    const t: Triple = [0, 0, 0];
    for (const d of draws) pick(d).forEach((a, i) => { t[i]! += a; });
    return t;
  };
  const watts = (pick: (d: ChargingDraw) => Triple) => draws.reduce((t, d) => t + pick(d).reduce((s, a) => s + a, 0) * d.voltage, 0);
  const low = (d: ChargingDraw) => d.phaseA;
  const high = (d: ChargingDraw) => d.atMostA ?? d.phaseA;
  const between = (most: number, least: number, prev: number | null | undefined) =>
    unsettled ? Math.min(most, Math.max(least, prev ?? most)) : most;
  let a: Triple | null = null;
  if (reading.currentA) {
    const most = sum(low);
    const least = sum(high);
    a = reading.currentA.map((m, i) => Math.max(0, between(m - most[i]!, m - least[i]!, previous?.a?.[i]))) as Triple;
  }
  const w = reading.powerW === undefined ? null
    : Math.max(0, between(reading.powerW - watts(low), reading.powerW - watts(high), previous?.w));
  return { a, w };
}

export interface OtherLoad { a: Triple | null; w: number | null }

function higher(a: OtherLoad, b: OtherLoad): OtherLoad {
  return {
    a: a.a && b.a ? a.a.map((x, i) => Math.max(x, b.a![i]!)) as Triple : a.a ?? b.a,
    w: a.w !== null && b.w !== null ? Math.max(a.w, b.w) : a.w ?? b.w,
  };
}

/** The room of every circuit: its limits, at the site less the building's other load (or the fallback). */
export function siteRoom(now: number, limits: CircuitLimit[], meter: GridMeterSettings | undefined,
  reading: GridReading | null, draws: ChargingDraw[], previous: OtherLoad | null, holdPrevious = false): SiteRoom {
  const rooms: CircuitRoom[] = limits.map((l) => ({
    id: l.id, parent: l.parent,
    ...(l.limitA !== undefined ? { phaseA: [l.limitA, l.limitA, l.limitA] as const } : {}),
    ...(l.limitW !== undefined ? { powerW: l.limitW } : {}),
  }));
  if (!meter) return { rooms, meter: 'none', otherA: null, otherW: null };
  const root = rooms.find((r) => r.id === ROOT)!;
  const fresh = reading !== null && now - reading.at <= meter.maxAgeMs && now >= reading.at - meter.maxAgeMs;
  if (!fresh) {
    // Not knowing the building's load, charging gets the fallback (never more than the static limit).
    const a = Math.min(meter.fallbackLimitA, root.phaseA?.[0] ?? Infinity);
    root.phaseA = [a, a, a];
    if (meter.fallbackLimitW !== undefined || root.powerW !== undefined) root.powerW = Math.min(meter.fallbackLimitW ?? Infinity, root.powerW ?? Infinity);
    return { rooms, meter: 'stale', otherA: null, otherW: null };
  }
  // A reading taken before our last change cannot be set against readings the chargers took after it: it may
  // only raise the previous estimate (the building's load rising is never missed), not lower it.
  const computed = otherLoad(reading, draws, previous);
  const other = holdPrevious && previous ? higher(previous, computed) : computed;
  if (other.a && root.phaseA) root.phaseA = root.phaseA.map((l, i) => l - other.a![i]! - meter.marginA) as unknown as CircuitRoom['phaseA'];
  if (other.w !== null && root.powerW !== undefined) root.powerW -= other.w;
  // A meter without currents: its other load is taken as spread evenly over the phases (README says so).
  if (!other.a && other.w !== null && root.phaseA) {
    const each = other.w / (NOMINAL_VOLTAGE * 3);
    root.phaseA = root.phaseA.map((l) => l - each - meter.marginA) as unknown as CircuitRoom['phaseA'];
  }
  return { rooms, meter: 'fresh', otherA: other.a, otherW: other.w };
}
