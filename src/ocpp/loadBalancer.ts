// Site load management, the OCPP part: every control interval (and at once when a session starts or stops,
// a charger reports, or the grid meter reads) the controller (domain/loadControl.ts) turns the site's
// limits, the grid meter's reading and each session's measured current into setpoints, and this sends
// them with SetChargingProfile, lowers before raises. Every charger gets a safe default profile (a
// TxDefaultProfile at its minimum) once its BootNotification is answered, for when this controller is
// away. A charger that is offline or refuses profiles cannot be steered: it is counted at what it draws.
// Every decision is logged with its reason; the view is pushed to the admin page (loadBalancing.updated).
import type { LoadBalancingConfig } from '../config.js';
import type { Domain } from '../domain/index.js';
import { LoadController, type SessionInput, type Setpoint, type StepResult } from '../domain/loadControl.js';
import { chargerSetup, circuitLimits, controlSettings, gridMeterSettings } from '../domain/loadSite.js';
import type { ActiveSession } from '../domain/loadSessions.js';
import type { Triple } from '../domain/siteRoom.js';
import type { Logger } from '../log.js';
import type { ChargerHub } from './hub.js';
import type { SmartCharging } from './smartCharging.js';
import type { ChargingProfile } from '../protocol/ocpp16/index.js';
import { buildLoadView, loadGauges, type LoadView } from './loadView.js';

/** Above what an operator would normally use, so the site limit wins over hand-set TxProfiles. */
export const LOAD_BALANCER_STACK_LEVEL = 90;
/** Profile ids the balancer owns: base + connector id (a new profile with the same id replaces the old). */
const PROFILE_ID_BASE = { TxProfile: 900_000, TxDefaultProfile: 910_000, ChargePointMaxProfile: 920_000 } as const;
const DEFAULT_PROFILE_ID = 899_999;

export class LoadBalancer {
  private readonly controller: LoadController;
  private readonly measured = new Map<number, NonNullable<SessionInput['measured']>>();
  /** Sessions whose charger did not take a profile (status), counted at their draw until it reboots. */
  private readonly refused = new Map<number, string>();
  private readonly statusOf = new Map<number, string>();
  private readonly reasons = new Map<number, string>();
  private readonly unsubscribe: Array<() => void> = [];
  private readonly timer: NodeJS.Timeout | undefined;
  private busy: Promise<void> | undefined;
  private again = false;
  private view: LoadView | null = null;
  private meterState = 'none';
  private pushed = '';
  private pushedAt = 0;

  constructor(
    private readonly domain: Domain, private readonly hub: ChargerHub, private readonly smartCharging: SmartCharging,
    private readonly logger: Logger, readonly settings: LoadBalancingConfig,
  ) {
    this.controller = new LoadController(controlSettings(settings));
    if (!this.enabled) return;
    const { events } = domain;
    this.unsubscribe.push(
      events.on('transaction.started', () => this.schedule()),
      events.on('transaction.stopped', ({ transactionId }) => { this.forgetSession(transactionId); this.schedule(); }),
      // A session in doubt holds no share; one the charger resumed gets one again.
      events.on('transaction.doubt', ({ transactionId }) => { this.forgetSession(transactionId); this.schedule(); }),
      events.on('transaction.updated', (e) => this.onMeasurement(e.transactionId, e.chargePointId, e.powerW, e.currentA)),
      // Back online: a profile that could not be delivered (offline, timeout) may be now.
      events.on('charger.connected', ({ chargePointId }) => { this.retryFailed(chargePointId); this.schedule(); }),
      // After a (re)boot the charger has lost its profiles: once its BootNotification is answered, send them again.
      // (Not from the message log's events: those come in background batches, up to seconds later.)
      events.on('charger.booted', ({ chargePointId }) => setImmediate(() => { // after the BootNotification answer
        this.forget(chargePointId);
        void this.sendDefault(chargePointId).then(() => this.schedule());
      })),
      events.on('charger.disconnected', () => this.schedule()),
      events.on('charger.updated', () => this.schedule()), // e.g. its max current changed
      // An operator's ClearChargingProfile may have removed ours (no criteria clears every profile).
      events.on('chargingProfiles.cleared', ({ chargePointId }) => {
        this.forget(chargePointId);
        void this.sendDefault(chargePointId).then(() => this.schedule());
      }),
      domain.gridMeter.onReading(() => this.schedule()),
    );
    this.timer = setInterval(() => this.schedule(), settings.controlIntervalSec * 1000);
    this.timer.unref();
  }

  get enabled(): boolean {
    return this.settings.enabled && (this.settings.siteLimitA !== undefined || this.settings.siteLimitKw !== undefined);
  }

  /** The live view, as last computed (null before the first step). */
  allocation(): LoadView | null { return this.view; }

  /** Gauges for /metrics. */
  gauges(): Record<string, { help: string; value: number }> {
    return this.view ? loadGauges(this.view) : {};
  }

  /** Resolves when no rebalance is running or queued (tests and shutdown). */
  async settled(): Promise<void> {
    while (this.busy) await this.busy;
  }

  schedule(): void {
    if (!this.enabled) return;
    if (this.busy) { this.again = true; return; }
    this.busy = (async () => {
      do {
        this.again = false;
        await new Promise((r) => setImmediate(r)); // coalesce events of the same turn
        try { await this.rebalance(); } catch (err) { this.logger.error({ err }, 'load balancing failed'); }
      } while (this.again);
      this.busy = undefined;
    })();
  }

  private onMeasurement(transactionId: number, chargePointId: string, powerW: number | null, currentA: Triple | null): void {
    if (currentA === null && powerW === null) return;
    const setup = chargerSetup(this.settings, chargePointId, null);
    // Without per-phase currents, the power is spread over the phases the charger is wired to (a lower bound
    // per phase); a single-phase car on a three-phase charger may carry all of it on one phase (the upper bound).
    const wired = setup.wiring.filter(Boolean).length;
    const at = Date.now();
    if (currentA) this.measured.set(transactionId, { phaseA: currentA, at });
    else this.measured.set(transactionId, { phaseA: setup.wiring.map((on) => (on ? powerW! / (setup.voltage * wired) : 0)) as Triple, at, upToA: powerW! / setup.voltage });
    this.schedule();
  }

  private forgetSession(transactionId: number): void {
    for (const m of [this.measured, this.refused, this.statusOf, this.reasons]) m.delete(transactionId);
    this.controller.forget(String(transactionId));
  }

  /** A rebooted charger has lost its profiles: its sessions' setpoints are sent again, and it may take them now. */
  private forget(chargePointId: string): void {
    for (const s of this.domain.loadSessions.activeForAllocation()) {
      if (s.chargePointId !== chargePointId) continue;
      this.refused.delete(s.transactionId);
      this.controller.forget(String(s.transactionId));
    }
  }

  private retryFailed(chargePointId: string): void {
    for (const s of this.domain.loadSessions.activeForAllocation()) {
      if (s.chargePointId === chargePointId && this.refused.get(s.transactionId) === 'Failed') this.refused.delete(s.transactionId);
    }
  }

  private async sendDefault(chargePointId: string): Promise<void> {
    const minA = chargerSetup(this.settings, chargePointId, null).minA;
    const profile = this.profile('TxDefaultProfile', DEFAULT_PROFILE_ID, minA, chargePointId);
    try {
      await this.smartCharging.setProfile(chargePointId, 0, profile, 'load-balancer');
    } catch (err) {
      this.logger.warn({ err, chargePointId }, 'safe default charging profile not set');
    }
  }

  private profile(purpose: ChargingProfile['chargingProfilePurpose'], id: number, limit: number, chargePointId: string, transactionId?: number): ChargingProfile {
    const numberPhases = chargerSetup(this.settings, chargePointId, null).wiring.filter(Boolean).length;
    return {
      chargingProfileId: id, stackLevel: LOAD_BALANCER_STACK_LEVEL, chargingProfilePurpose: purpose, chargingProfileKind: 'Relative',
      ...(transactionId !== undefined ? { transactionId } : {}),
      chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit, numberPhases }] },
    };
  }

  private inputOf(s: ActiveSession): SessionInput {
    const setup = chargerSetup(this.settings, s.chargePointId, s.maxCurrentA);
    return {
      key: String(s.transactionId), circuit: setup.circuit, wiring: setup.wiring, voltage: setup.voltage,
      minA: setup.minA, maxA: setup.maxA, priority: setup.priority, measured: this.measured.get(s.transactionId) ?? null,
      steerable: this.hub.get(s.chargePointId) !== undefined && !this.refused.has(s.transactionId), defaultA: setup.minA,
    };
  }

  private async rebalance(): Promise<void> {
    const sessions = this.domain.loadSessions.activeForAllocation();
    const live = new Set(sessions.map((s) => s.transactionId));
    for (const id of this.measured.keys()) if (!live.has(id)) this.forgetSession(id);
    const now = Date.now();
    const meter = gridMeterSettings(this.settings);
    const reading = this.domain.gridMeter.latest();
    const step = this.controller.step(now, {
      limits: circuitLimits(this.settings), ...(meter ? { meter } : {}), reading, sessions: sessions.map((s) => this.inputOf(s)),
    });
    this.logDecisions(step, sessions);

    let loweringFailed = false;
    for (const sp of step.send) {
      const s = sessions.find((x) => String(x.transactionId) === sp.key)!;
      // The room a raise would use was to come from a charger that did not lower: the next step recomputes.
      if (loweringFailed && sp.amps > sp.previousA) { this.controller.undelivered(sp.key, sp.previousA); continue; }
      const ok = await this.send(s, sp, step, sessions);
      if (!ok) { this.again = true; if (sp.amps < sp.previousA) loweringFailed = true; }
    }
    this.view = buildLoadView(this.settings, step, sessions, this.statusOf, now, reading);
    // Pushed to the page when it changed (the meter's age aside), and every few seconds so the age stays true.
    const signature = JSON.stringify({ ...this.view, updatedAt: null, meter: { ...this.view.meter, ageSec: null } });
    if (signature !== this.pushed || now - this.pushedAt >= 5000) {
      this.pushed = signature;
      this.pushedAt = now;
      this.domain.events.emit('loadBalancing.updated', { ...this.view });
    }
  }

  private logDecisions(step: StepResult, sessions: ActiveSession[]): void {
    const tx = (key: string) => sessions.find((s) => String(s.transactionId) === key);
    for (const d of step.decisions) {
      const s = tx(d.key)!;
      this.logger[d.event === 'compliant' ? 'info' : 'warn']({ chargePointId: s.chargePointId, transactionId: s.transactionId, event: d.event }, `load balancing: ${d.reason}`);
    }
    if (step.meter !== this.meterState) {
      const level = step.meter === 'stale' ? 'warn' : 'info';
      this.logger[level]({ meter: step.meter, fallbackLimitA: this.settings.gridMeter?.fallbackLimitA },
        step.meter === 'stale' ? 'load balancing: grid meter stale, charging held to the fallback limit' : `load balancing: grid meter ${step.meter}`);
      this.meterState = step.meter;
    }
    for (const v of step.sessions) {
      const id = Number(v.key);
      if (this.reasons.get(id) === v.reason) continue;
      this.reasons.set(id, v.reason);
      this.logger.debug({ transactionId: id, targetA: v.targetA, setpointA: v.setpointA }, `load balancing: ${v.reason}`);
    }
  }

  private async send(s: ActiveSession, sp: Setpoint, step: StepResult, sessions: ActiveSession[]): Promise<boolean> {
    const { chargePointId, connectorId, transactionId } = s;
    const log = { chargePointId, transactionId, fromA: sp.previousA, toA: sp.amps, kind: sp.kind };
    let profile: ChargingProfile;
    let onConnector = connectorId;
    if (sp.kind === 'ChargePointMaxProfile') {
      // The whole charger: what all its sessions may draw together.
      const ofCharger = step.sessions.filter((v) => sessions.some((x) => String(x.transactionId) === v.key && x.chargePointId === chargePointId));
      profile = this.profile(sp.kind, PROFILE_ID_BASE[sp.kind], ofCharger.reduce((t, v) => t + v.setpointA, 0), chargePointId);
      onConnector = 0;
    } else {
      profile = this.profile(sp.kind, PROFILE_ID_BASE[sp.kind] + connectorId, sp.amps, chargePointId, sp.kind === 'TxProfile' ? transactionId : undefined);
      if (sp.kind === 'TxDefaultProfile') profile.stackLevel = LOAD_BALANCER_STACK_LEVEL + 1; // over the safe default
    }
    try {
      const stored = await this.smartCharging.setProfile(chargePointId, onConnector, profile, 'load-balancer');
      this.statusOf.set(transactionId, stored.status);
      if (stored.status === 'Accepted') { this.logger.info(log, `load balancing: ${sp.reason}`); return true; }
      this.refused.set(transactionId, stored.status);
      this.logger.warn(log, `load balancing: ${chargePointId} answered ${stored.status} to ${sp.kind}: counted at its draw`);
    } catch (err) {
      this.statusOf.set(transactionId, 'Failed');
      this.refused.set(transactionId, 'Failed');
      this.logger.warn({ ...log, err }, 'load balancing: profile not delivered: counted at its draw');
    }
    this.controller.undelivered(sp.key, sp.previousA);
    return false;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    for (const off of this.unsubscribe) off();
  }
}
