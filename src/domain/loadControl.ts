// The site load controller: each step turns what is measured now into a setpoint per session, with the
// behaviour over time that a one-shot allocation lacks. Deterministic (time is passed in), no I/O: the OCPP
// layer sends what it returns, the simulation harness drives it through hours of site time.
// - Lower fast, raise slowly: a lower goes out at once; a raise waits for the raise interval, a reading taken
//   under the session's last setpoint, and for every lower sent before it to show in the readings (until
//   then the amps a lowered session still draws stay reserved), so an arrival never overshoots the limit.
// - Rotation: when not every minimum fits, sessions that have run a full rotation period yield to the ones
//   waiting longest.
// - Compliance: a session drawing clearly above its setpoint for the grace period is non-compliant: it is
//   counted at what it draws and the next profile kind is tried.
import { allocate, nextDemandCap, type Demand, type PhaseSet } from './loadBalancing.js';
import { siteRoom, usedPhases, type CircuitLimit, type GridMeterSettings, type GridReading, type ChargingDraw, type MeterState, type OtherLoad, type Triple } from './siteRoom.js';

export const PROFILE_KINDS = ['TxProfile', 'TxDefaultProfile', 'ChargePointMaxProfile'] as const;
export type ProfileKind = typeof PROFILE_KINDS[number];

export interface ControlSettings {
  raiseIntervalMs: number;
  /** A raise smaller than this waits (no chasing of noise). */
  minRaiseStepA: number;
  complianceGraceMs: number;
  /** Drawing up to this above the setpoint is still obeying. */
  toleranceA: number;
  rotationMs: number;
  /** How long a charger and its car take to follow a new setpoint (a reading sooner may not show it). */
  responseMs: number;
}

export interface SessionInput {
  key: string;
  circuit: string;
  /** The phases the charger is wired to. */
  wiring: PhaseSet;
  voltage: number;
  minA: number;
  maxA: number;
  priority: number;
  /** The latest reading of Current.Import per phase and when it was taken (ms). */
  measured: {
    phaseA: Triple; at: number;
    /** Power without per-phase currents: the most a phase may carry (all of it on one phase). */
    upToA?: number;
  } | null;
  /** Online and accepting profiles. */
  steerable: boolean;
  /** What it holds before we set anything (its safe default profile). */
  defaultA: number;
}

export interface SiteInput {
  limits: CircuitLimit[];
  meter?: GridMeterSettings;
  reading: GridReading | null;
  sessions: SessionInput[];
}

export interface Setpoint { key: string; amps: number; previousA: number; kind: ProfileKind; reason: string }
export interface Decision { key: string; event: string; reason: string }

export interface SessionView {
  key: string; circuit: string; priority: number; minA: number; maxA: number; phases: PhaseSet;
  measuredA: Triple | null; targetA: number; setpointA: number;
  /** What the site counts it at: its setpoint, or its draw when it cannot be steered. */
  countedA: number; reason: string;
  compliant: boolean; profileKind: ProfileKind; waitingSince: number | null;
}

export interface StepResult {
  /** Setpoints to send now, lowers first. */
  send: Setpoint[];
  decisions: Decision[];
  sessions: SessionView[];
  meter: MeterState;
  otherA: Triple | null;
  otherW: number | null;
  rooms: ReturnType<typeof siteRoom>['rooms'];
}

interface State {
  setpointA?: number; sentAt?: number; lastChangeAt: number; lowered: boolean; readingUsedAt?: number;
  demandCapA?: number; overSince?: number; underSince?: number; nonCompliant: boolean; kind: number; tries: number;
  runningSince?: number; waitingSince?: number;
}

export class LoadController {
  private readonly state = new Map<string, State>();
  private other: OtherLoad | null = null;
  private changedAt = -Infinity;

  constructor(readonly settings: ControlSettings) {}

  forget(key: string): void { this.state.delete(key); }

  /** The setpoint was not delivered (charger offline, refused): next step starts from what it holds. */
  undelivered(key: string, holdsA: number | undefined): void {
    const st = this.state.get(key);
    if (st) { st.setpointA = holdsA; st.sentAt = undefined; }
  }

  step(now: number, input: SiteInput): StepResult {
    const cfg = this.settings;
    const decisions: Decision[] = [];
    const live = new Set(input.sessions.map((s) => s.key));
    for (const k of this.state.keys()) if (!live.has(k)) this.state.delete(k);

    const demands: Demand[] = [];
    const draws: ChargingDraw[] = [];
    let pendingLower = false;
    for (const s of input.sessions) {
      let st = this.state.get(s.key);
      if (!st) this.state.set(s.key, st = { lastChangeAt: -Infinity, lowered: false, nonCompliant: false, kind: 0, tries: 0, waitingSince: now });
      const holds = st.setpointA ?? s.defaultA;
      const m = s.measured;
      const drawA = m ? Math.max(...m.phaseA) : 0;
      // A reading shows the setpoint only when taken a response time after it was sent.
      const settled = m !== null && (st.sentAt === undefined || m.at >= st.sentAt + cfg.responseMs);
      draws.push(this.drawOf(s, st, holds, settled, input.reading?.at));

      if (settled && m.at !== st.readingUsedAt) {
        st.readingUsedAt = m.at;
        this.checkCompliance(now, s, st, drawA, holds, decisions);
        // A car is capped below its offer only when it surely draws less (not a single-phase car read as power).
        if (!st.nonCompliant) st.demandCapA = nextDemandCap(st.demandCapA, Math.max(drawA, Math.min(m.upToA ?? 0, holds)), holds);
      }
      // A lower is in effect once a reading shows it; a charger that sends no readings cannot show it, so after
      // the grace period its lower counts as done.
      const overdraws = m !== null && drawA > holds + this.tolerance(holds);
      // A settled reading ends the wait either way: it obeys, or it overdraws and is counted at its draw.
      if (st.lowered && (settled || (st.sentAt !== undefined && now - st.sentAt >= cfg.complianceGraceMs))) st.lowered = false;
      if (st.lowered && !st.nonCompliant) pendingLower = true;

      const phases = m ? usedPhases(m.phaseA, s.wiring) : s.wiring;
      const base = { key: s.key, circuit: s.circuit, phases, voltage: s.voltage, minA: s.minA, priority: s.priority, rank: this.rank(now, st) };
      const maxA = Math.min(s.maxA, Math.max(st.demandCapA ?? Infinity, s.minA));
      // Whoever draws more than it may is counted at what it draws, at once; one just lowered is given its new
      // setpoint, and the raises wait until its lower shows (the amps it still draws stay reserved).
      if (!s.steerable || st.nonCompliant) demands.push({ ...base, maxA, fixedA: Math.max(drawA, s.steerable ? 0 : holds) });
      else if (overdraws && !st.lowered) demands.push({ ...base, maxA, fixedA: drawA });
      else demands.push({ ...base, maxA });
    }

    // The meter's reading is set against the chargers' readings only when it was taken after our last change
    // had taken effect; until then the previous estimate of the building's load holds.
    const meterPredatesChange = input.reading !== null && input.reading.at < this.changedAt + cfg.responseMs;
    const room = siteRoom(now, input.limits, input.meter, input.reading, draws, this.other, meterPredatesChange);
    if (room.meter === 'fresh') this.other = { a: room.otherA, w: room.otherW };
    const shares = allocate(room.rooms, demands);

    const send: Setpoint[] = [];
    const sessions: SessionView[] = [];
    // A lower sent in this step has not shown either: no raise goes out with it.
    if (input.sessions.some((s) => s.steerable && !this.state.get(s.key)!.nonCompliant
      && shares.get(s.key)!.amps < (this.state.get(s.key)!.setpointA ?? s.defaultA) - 0.05)) pendingLower = true;
    for (const s of input.sessions) {
      const st = this.state.get(s.key)!;
      const d = demands.find((x) => x.key === s.key)!;
      const share = shares.get(s.key)!;
      const holds = st.setpointA ?? s.defaultA;
      let target = share.amps;
      let reason = share.reason;
      if (st.nonCompliant) { target = s.minA; reason = `non-compliant: draws ${d.fixedA} A; asked for the minimum by ${PROFILE_KINDS[st.kind]}`; }
      else if (d.fixedA !== undefined && s.steerable) { target = holds; reason = `draws ${round(d.fixedA)} A over its setpoint ${holds} A: counted at its draw until it obeys`; }
      let next = holds;
      if (!s.steerable) next = holds;
      else if (target < holds - 0.05) next = target;
      else if (target > holds + 0.05) {
        const waited = now - st.lastChangeAt >= cfg.raiseIntervalMs;
        const seen = st.sentAt === undefined || (s.measured !== null && s.measured.at >= st.sentAt + cfg.responseMs) || now - st.sentAt >= cfg.complianceGraceMs;
        const worth = target - holds >= cfg.minRaiseStepA - 1e-6 || holds === 0 || target >= d.maxA;
        if (waited && seen && worth && !pendingLower) next = target;
        else reason += `; raise to ${target} A waits (${!waited ? 'raise interval' : !seen ? 'no reading under the last setpoint yet' : !worth ? 'step too small' : 'a lower elsewhere has not shown yet'})`;
      }
      if (s.steerable && (next !== holds || st.setpointA === undefined)) {
        send.push({ key: s.key, amps: next, previousA: holds, kind: PROFILE_KINDS[st.kind]!, reason });
        if (next < holds) st.lowered = true;
        if (next !== holds) { st.lastChangeAt = now; this.changedAt = now; }
        st.setpointA = next;
        st.sentAt = now;
      }
      if (next > 0 && st.runningSince === undefined) { st.runningSince = now; st.waitingSince = undefined; }
      if (next === 0 && st.waitingSince === undefined) { st.waitingSince = now; st.runningSince = undefined; }
      sessions.push({
        key: s.key, circuit: s.circuit, priority: s.priority, minA: s.minA, maxA: d.maxA, phases: d.phases,
        measuredA: s.measured?.phaseA ?? null, targetA: target, setpointA: next, countedA: d.fixedA ?? next, reason,
        compliant: !st.nonCompliant, profileKind: PROFILE_KINDS[st.kind]!, waitingSince: st.waitingSince ?? null,
      });
    }
    send.sort((a, b) => (a.amps - a.previousA) - (b.amps - b.previousA));
    return { send, decisions, sessions, meter: room.meter, otherA: room.otherA, otherW: room.otherW, rooms: room.rooms };
  }

  /**
   * What a session drew when the grid meter read the site, for its arithmetic (other load = total - charging).
   * A reading taken a response time after the last setpoint says it. Otherwise: a lowered session had followed
   * its new setpoint once a response time had passed (before that, it drew between the two); a raised or new
   * one may draw anything between its last reading and its setpoint until a reading shows it. Held at the
   * previous estimate within that band, the other load does not swing with our own changes (no oscillation).
   */
  private drawOf(s: SessionInput, st: State, holds: number, settled: boolean, meterAt: number | undefined): ChargingDraw {
    const m = s.measured;
    const reading: Triple = m ? m.phaseA : [0, 0, 0];
    const base = { circuit: s.circuit, voltage: s.voltage };
    // Not read yet: whatever it draws counts as the building's (a charger that ignores its default profile
    // shows at the meter before it reports).
    if (settled || !m || !s.steerable || st.nonCompliant) return { ...base, phaseA: reading };
    const phases = m ? usedPhases(m.phaseA, s.wiring) : s.wiring;
    const followed = st.sentAt !== undefined && meterAt !== undefined && meterAt >= st.sentAt + this.settings.responseMs;
    const low: Triple = [0, 0, 0];
    const high: Triple = [0, 0, 0];
    let band = false;
    for (let i = 0; i < 3; i++) {
      const r = reading[i]!;
      const h = phases[i] ? holds : 0;
      if (r > h && followed) { low[i] = h; high[i] = h; continue; }
      low[i] = Math.min(r, h);
      high[i] = Math.max(r, h);
      if (high[i]! > low[i]!) band = true;
    }
    return { ...base, phaseA: low, ...(band ? { atMostA: high } : {}) };
  }

  private tolerance(setpointA: number): number {
    return Math.max(this.settings.toleranceA, setpointA * 0.1);
  }

  /**
   * Rotation order: running within its period first; then, by the time each joined the queue, the waiting
   * (since they were paused) and those running past their period (since the end of their last full period).
   */
  private rank(now: number, st: State): number {
    const TIER = 1e15;
    const period = this.settings.rotationMs;
    if (st.runningSince !== undefined) {
      const periods = Math.floor((now - st.runningSince) / period);
      return periods === 0 ? st.runningSince : TIER + st.runningSince + periods * period;
    }
    return TIER + (st.waitingSince ?? now);
  }

  private checkCompliance(now: number, s: SessionInput, st: State, drawA: number, holdsA: number, decisions: Decision[]): void {
    const { complianceGraceMs } = this.settings;
    const over = drawA > holdsA + this.tolerance(holdsA);
    if (over) {
      st.underSince = undefined;
      st.overSince ??= now;
      if (!st.nonCompliant && now - st.overSince >= complianceGraceMs) {
        st.nonCompliant = true;
        st.tries = 1;
        st.kind = (st.kind + 1) % PROFILE_KINDS.length;
        st.overSince = now;
        decisions.push({ key: s.key, event: 'non-compliant', reason: `draws ${round(drawA)} A over its setpoint ${holdsA} A for ${complianceGraceMs / 1000} s: counted at its draw, trying ${PROFILE_KINDS[st.kind]}` });
        st.sentAt = undefined; // send again, with the next kind
        st.setpointA = undefined;
      } else if (st.nonCompliant && now - st.overSince >= complianceGraceMs && st.tries < PROFILE_KINDS.length - 1) {
        st.tries++;
        st.kind = (st.kind + 1) % PROFILE_KINDS.length;
        st.overSince = now;
        decisions.push({ key: s.key, event: 'still non-compliant', reason: `draws ${round(drawA)} A over ${holdsA} A: trying ${PROFILE_KINDS[st.kind]}` });
        st.setpointA = undefined;
      }
      return;
    }
    st.overSince = undefined;
    if (!st.nonCompliant) return;
    st.underSince ??= now;
    if (now - st.underSince >= complianceGraceMs) {
      st.nonCompliant = false;
      st.underSince = undefined;
      decisions.push({ key: s.key, event: 'compliant', reason: `obeys ${PROFILE_KINDS[st.kind]} (draws ${round(drawA)} A of ${holdsA} A): steered again` });
    }
  }
}

const round = (a: number) => Math.round(a * 10) / 10;
