// What the admin page and /metrics show of the load balancer: the circuit tree with each limit, the
// building's other load, the headroom, what is allocated and what is measured per phase, and every session
// with its setpoint and the reason for it.
import type { LoadBalancingConfig } from '../config.js';
import type { StepResult } from '../domain/loadControl.js';
import type { ActiveSession } from '../domain/loadSessions.js';
import { pathOf } from '../domain/loadBalancing.js';
import type { GridReading, Triple } from '../domain/siteRoom.js';

export interface CircuitView {
  id: string; parent: string | null; limitA: number | null; limitKw: number | null;
  /** What charging may use per phase here (the limit, less the building's other load at the site). */
  roomA: Triple | null; roomKw: number | null;
  allocatedA: Triple; measuredA: Triple; headroomA: Triple | null;
}

export interface SessionRow {
  transactionId: number; chargePointId: string; connectorId: number; circuit: string; priority: number;
  phases: string; minA: number; maxA: number | null;
  /** What the site counts it at (its setpoint, or its draw when it cannot be steered). */
  allocatedA: number; setpointA: number; targetA: number;
  measuredA: number | null; measuredPhaseA: Triple | null; reason: string; compliant: boolean;
  profileKind: string; profileStatus: string; steerable: boolean; waitingSince: string | null;
}

export interface LoadView {
  enabled: true; siteLimitA: number | null; siteLimitKw: number | null; minCurrentA: number; phases: number; voltage: number;
  meter: { configured: boolean; topic: string | null; state: string; ageSec: number | null; otherA: Triple | null; otherKw: number | null; fallbackLimitA: number | null };
  circuits: CircuitView[]; rows: SessionRow[]; totalAllocatedA: number; updatedAt: string;
}

const r1 = (a: number) => Math.round(a * 10) / 10;
const tri = (t: Triple) => t.map(r1) as Triple;

export function buildLoadView(cfg: LoadBalancingConfig, step: StepResult, sessions: ActiveSession[],
  statusOf: Map<number, string>, now: number, reading: GridReading | null): LoadView {
  const rooms = new Map(step.rooms.map((r) => [r.id, r]));
  const circuits: CircuitView[] = step.rooms.map((r) => {
    const limit = r.id === 'site' ? { a: cfg.siteLimitA, kw: cfg.siteLimitKw } : (() => { const f = cfg.feeders.find((x) => x.id === r.id)!; return { a: f.limitA, kw: f.limitKw }; })();
    return {
      id: r.id, parent: r.parent, limitA: limit.a ?? null, limitKw: limit.kw ?? null,
      roomA: r.phaseA ? tri([...r.phaseA] as Triple) : null, roomKw: r.powerW === undefined ? null : r1(r.powerW / 1000),
      allocatedA: [0, 0, 0], measuredA: [0, 0, 0], headroomA: null,
    };
  });
  const rows: SessionRow[] = [];
  for (const v of step.sessions) {
    const s = sessions.find((x) => String(x.transactionId) === v.key)!;
    for (const id of pathOf(rooms, v.circuit)) {
      const c = circuits.find((x) => x.id === id)!;
      v.phases.forEach((on, i) => { if (on) c.allocatedA[i]! += v.countedA; });
      v.measuredA?.forEach((a, i) => { c.measuredA[i]! += a; });
    }
    const status = statusOf.get(s.transactionId) ?? 'NotSent';
    rows.push({
      transactionId: s.transactionId, chargePointId: s.chargePointId, connectorId: s.connectorId, circuit: v.circuit, priority: v.priority,
      phases: v.phases.map((on, i) => (on ? `L${i + 1}` : '')).filter(Boolean).join('+'), minA: v.minA,
      maxA: Number.isFinite(v.maxA) ? r1(v.maxA) : null, allocatedA: r1(v.countedA), setpointA: v.setpointA, targetA: v.targetA,
      measuredA: v.measuredA ? r1(Math.max(...v.measuredA)) : null, measuredPhaseA: v.measuredA ? tri(v.measuredA) : null,
      reason: v.reason, compliant: v.compliant, profileKind: v.profileKind, profileStatus: status,
      steerable: v.compliant && status !== 'Rejected' && status !== 'Failed' && !v.reason.startsWith('counted at its draw'),
      waitingSince: v.waitingSince === null || v.setpointA > 0 ? null : new Date(v.waitingSince).toISOString(),
    });
  }
  for (const c of circuits) {
    c.allocatedA = tri(c.allocatedA);
    c.measuredA = tri(c.measuredA);
    c.headroomA = c.roomA ? c.roomA.map((a, i) => r1(a - c.allocatedA[i]!)) as Triple : null;
  }
  const g = cfg.gridMeter;
  return {
    enabled: true, siteLimitA: cfg.siteLimitA ?? null, siteLimitKw: cfg.siteLimitKw ?? null, minCurrentA: cfg.minCurrentA, phases: cfg.phases, voltage: cfg.voltage,
    meter: {
      configured: g !== undefined, topic: g?.topic ?? null, state: step.meter, ageSec: reading ? Math.round((now - reading.at) / 100) / 10 : null,
      otherA: step.otherA ? tri(step.otherA) : null, otherKw: step.otherW === null ? null : r1(step.otherW / 1000), fallbackLimitA: g?.fallbackLimitA ?? null,
    },
    circuits, rows, totalAllocatedA: r1(rows.reduce((t, r) => t + r.allocatedA, 0)), updatedAt: new Date(now).toISOString(),
  };
}

/** Prometheus gauges, one series per circuit and phase. */
export function loadGauges(v: LoadView): Record<string, { help: string; value: number }> {
  const out: Record<string, { help: string; value: number }> = {};
  const put = (name: string, help: string, labels: Record<string, string>, value: number) => {
    // Circuit ids are config ids ([A-Za-z0-9_.-]): nothing to escape.
    const l = Object.entries(labels).map(([k, x]) => `${k}="${x}"`).join(',');
    out[l ? `${name}{${l}}` : name] = { help, value };
  };
  for (const c of v.circuits) {
    if (c.limitA !== null) put('ocpp_edge_load_limit_amps', 'Circuit limit per phase (A)', { circuit: c.id }, c.limitA);
    [0, 1, 2].forEach((i) => {
      const phase = `L${i + 1}`;
      put('ocpp_edge_load_allocated_amps', 'Setpoints of the sessions below a circuit, per phase (A)', { circuit: c.id, phase }, c.allocatedA[i]!);
      put('ocpp_edge_load_measured_amps', 'Measured Current.Import of the sessions below a circuit, per phase (A)', { circuit: c.id, phase }, c.measuredA[i]!);
      if (c.headroomA) put('ocpp_edge_load_headroom_amps', 'Room left for charging per phase (A): limit less other load less allocated', { circuit: c.id, phase }, c.headroomA[i]!);
    });
  }
  const count = (f: (r: SessionRow) => boolean) => v.rows.filter(f).length;
  put('ocpp_edge_load_sessions', 'Sessions under load management by state', { state: 'charging' }, count((r) => r.setpointA > 0 || !r.steerable));
  put('ocpp_edge_load_sessions', 'Sessions under load management by state', { state: 'waiting' }, count((r) => r.setpointA === 0 && r.steerable));
  put('ocpp_edge_load_sessions', 'Sessions under load management by state', { state: 'non_compliant' }, count((r) => !r.compliant));
  if (v.meter.configured) {
    put('ocpp_edge_load_grid_meter_stale', 'The grid meter reading is stale (1) or fresh (0)', {}, v.meter.state === 'fresh' ? 0 : 1);
    if (v.meter.ageSec !== null) put('ocpp_edge_load_grid_meter_age_seconds', 'Age of the last grid meter reading', {}, v.meter.ageSec);
  }
  return out;
}
