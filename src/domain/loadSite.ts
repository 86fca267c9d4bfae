// The site as the configuration describes it (loadBalancing.* in the config): the circuit tree with its
// limits, and for each charger where it hangs, how it is wired and what it may draw.
import type { LoadBalancingConfig } from '../config.js';
import type { PhaseSet } from './loadBalancing.js';
import type { ControlSettings } from './loadControl.js';
import { ROOT, type CircuitLimit, type GridMeterSettings } from './siteRoom.js';

export interface ChargerLoadSetup {
  circuit: string; wiring: PhaseSet; voltage: number; minA: number; maxA: number; priority: number;
}

const ON: Record<'L1' | 'L2' | 'L3', PhaseSet> = { L1: [true, false, false], L2: [false, true, false], L3: [false, false, true] };

export function circuitLimits(cfg: LoadBalancingConfig): CircuitLimit[] {
  return [
    { id: ROOT, parent: null, ...(cfg.siteLimitA !== undefined ? { limitA: cfg.siteLimitA } : {}), ...(cfg.siteLimitKw !== undefined ? { limitW: cfg.siteLimitKw * 1000 } : {}) },
    ...cfg.feeders.map((f) => ({
      id: f.id, parent: f.parent ?? ROOT,
      ...(f.limitA !== undefined ? { limitA: f.limitA } : {}), ...(f.limitKw !== undefined ? { limitW: f.limitKw * 1000 } : {}),
    })),
  ];
}

/** A charger's setup: its config entry over the site's defaults; the charger's own max current (its settings) caps it. */
export function chargerSetup(cfg: LoadBalancingConfig, chargePointId: string, maxCurrentA: number | null): ChargerLoadSetup {
  const c = cfg.chargers[chargePointId] ?? {};
  const phases = c.phases ?? cfg.phases;
  const wiring: PhaseSet = phases === 3 ? [true, true, true] : ON[c.phase ?? 'L1'];
  const caps = [c.maxCurrentA, maxCurrentA ?? undefined].filter((x): x is number => x !== undefined);
  return {
    circuit: c.feeder ?? ROOT, wiring, voltage: c.voltage ?? cfg.voltage, minA: c.minCurrentA ?? cfg.minCurrentA,
    maxA: caps.length > 0 ? Math.min(...caps) : Infinity, priority: c.priority ?? 0,
  };
}

export function controlSettings(cfg: LoadBalancingConfig): ControlSettings {
  return {
    raiseIntervalMs: cfg.raiseIntervalSec * 1000, minRaiseStepA: cfg.minRaiseStepA, complianceGraceMs: cfg.complianceGraceSec * 1000,
    toleranceA: cfg.toleranceA, rotationMs: cfg.rotationMin * 60_000, responseMs: cfg.responseSec * 1000,
  };
}

export function gridMeterSettings(cfg: LoadBalancingConfig): GridMeterSettings | undefined {
  const g = cfg.gridMeter;
  if (!g) return undefined;
  return {
    maxAgeMs: g.maxAgeSec * 1000, fallbackLimitA: g.fallbackLimitA, marginA: g.marginA,
    ...(g.fallbackLimitKw !== undefined ? { fallbackLimitW: g.fallbackLimitKw * 1000 } : {}),
  };
}
