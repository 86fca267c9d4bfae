// Site load balancing, the pure part: who gets how many amps per phase.
// Rules: every session that can run gets at least the minimum current; what is left is shared
// equally ("water-filling"), and a share a session cannot use (its charger's cap, or a car that
// draws less than offered) goes to the others. When the site limit cannot give every session the
// minimum, the sessions that started last are paused (0 A) until capacity frees up.

/** Volts per phase used to turn measured watts into amps (EU low voltage). */
export const NOMINAL_VOLTAGE = 230;

export interface SessionDemand {
  key: string;
  /** Earlier sessions keep running when not everyone can have the minimum. */
  startedAt: string;
  /** The most this session may get (charger cap); undefined = only the site limit. */
  capA?: number;
  /** The car was seen drawing less than offered: it needs no more than this. */
  demandCapA?: number;
  /** A session we cannot steer right now (its charger did not accept a profile): it is counted at this. */
  fixedA?: number;
}

export interface AllocationInput { siteLimitA: number; minCurrentA: number; sessions: SessionDemand[] }

/** Amps per session key; 0 means paused. Always sums to at most the site limit (fixed sessions aside). */
export function allocate(input: AllocationInput): Map<string, number> {
  const out = new Map<string, number>();
  let remaining = input.siteLimitA;
  for (const s of input.sessions) {
    if (s.fixedA === undefined) continue;
    out.set(s.key, s.fixedA);
    remaining -= s.fixedA;
  }
  remaining = Math.max(0, remaining);
  const steerable = input.sessions.filter((s) => s.fixedA === undefined)
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.key.localeCompare(b.key));

  // 1. The minimum, first come first served; whoever does not fit is paused.
  const running: Array<{ key: string; given: number; ceiling: number }> = [];
  for (const s of steerable) {
    const cap = Math.max(0, Math.min(s.capA ?? Infinity, input.siteLimitA));
    const ceiling = Math.min(cap, Math.max(s.demandCapA ?? Infinity, input.minCurrentA));
    const minimum = Math.min(input.minCurrentA, ceiling);
    if (ceiling <= 0 || minimum > remaining + 1e-9) { out.set(s.key, 0); continue; }
    remaining -= minimum;
    running.push({ key: s.key, given: minimum, ceiling });
  }

  // 2. The rest in equal steps, smallest headroom first so unused shares flow to the others.
  running.sort((a, b) => (a.ceiling - a.given) - (b.ceiling - b.given));
  for (let i = 0; i < running.length; i++) {
    const r = running[i]!;
    const share = remaining / (running.length - i);
    const extra = Math.min(r.ceiling - r.given, share);
    r.given += extra;
    remaining -= extra;
  }
  for (const r of running) out.set(r.key, floorTenth(r.given));
  return out;
}

/** Rounding down keeps the sum under the limit. */
function floorTenth(a: number): number {
  return Math.floor(a * 10 + 1e-9) / 10;
}

export function wattsToAmps(watts: number, phases: number): number {
  return watts / (NOMINAL_VOLTAGE * phases);
}

export function ampsToWatts(amps: number, phases: number): number {
  return amps * NOMINAL_VOLTAGE * phases;
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
