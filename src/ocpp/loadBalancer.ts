// Site load balancing, the OCPP part: whenever a session starts, stops or its measured power moves by
// an amp or more, recompute the allocation (domain/loadBalancing.ts) and send each running session a
// TxProfile with its share. Decreases go out before increases, so the site stays under its limit
// while the chargers change over. Every charger gets a TxDefaultProfile at the minimum current once its
// BootNotification is answered: a session it starts before we reach it (or when we cannot) stays at the minimum.
// A session whose charger is offline or refuses profiles cannot be steered: it is counted at what it
// draws (or was last allowed), and the others share the rest.
import type { Config } from '../config.js';
import type { Domain } from '../domain/index.js';
import { allocate, nextDemandCap, wattsToAmps, type SessionDemand } from '../domain/loadBalancing.js';
import type { Logger } from '../log.js';
import type { ChargerHub } from './hub.js';
import type { SmartCharging } from './smartCharging.js';
import type { ChargingProfile } from '../protocol/ocpp16/index.js';

/** Above what an operator would normally use, so the site limit wins over hand-set TxProfiles. */
export const LOAD_BALANCER_STACK_LEVEL = 90;
/** Profile ids the balancer owns: base + connector id (a new TxProfile with the same id replaces the old). */
const TX_PROFILE_ID_BASE = 900_000;
const DEFAULT_PROFILE_ID = 899_999;
const REMEASURE_STEP_A = 1;

interface SessionState {
  sentA?: number; acceptedA?: number; status: string; demandCapA?: number; lastMeasuredA?: number;
  /** A reading arrived since the last limit change: only such a reading says what the car wants. */
  freshReading?: boolean;
}

export interface AllocationRow {
  transactionId: number; chargePointId: string; connectorId: number; allocatedA: number; measuredA: number | null;
  capA: number | null; demandCapA: number | null; steerable: boolean; profileStatus: string;
}

export class LoadBalancer {
  private readonly state = new Map<number, SessionState>();
  private readonly unsubscribe: Array<() => void> = [];
  private busy: Promise<void> | undefined;
  private again = false;
  private view: AllocationRow[] = [];
  updatedAt: string | null = null;

  constructor(
    private readonly domain: Domain, private readonly hub: ChargerHub, private readonly smartCharging: SmartCharging,
    private readonly logger: Logger, readonly settings: Config['loadBalancing'],
  ) {
    if (!this.enabled) return;
    const { events } = domain;
    this.unsubscribe.push(
      events.on('transaction.started', () => this.schedule()),
      events.on('transaction.stopped', ({ transactionId }) => { this.state.delete(transactionId); this.schedule(); }),
      events.on('transaction.updated', ({ transactionId, powerW }) => this.onMeasurement(transactionId, powerW)),
      events.on('charger.connected', () => this.schedule()),
      // After a (re)boot the charger has lost its profiles: once its BootNotification is answered, send them again.
      events.on('charger.booted', ({ chargePointId }) => {
        this.forget(chargePointId);
        void this.sendDefault(chargePointId).then(() => this.schedule());
      }),
      events.on('charger.disconnected', () => this.schedule()),
      events.on('charger.updated', () => this.schedule()), // e.g. its max current changed
      // An operator's ClearChargingProfile may have removed ours (no criteria clears every profile).
      events.on('chargingProfiles.cleared', ({ chargePointId }) => {
        this.forget(chargePointId);
        void this.sendDefault(chargePointId).then(() => this.schedule());
      }),
    );
  }

  get enabled(): boolean {
    return this.settings.enabled && this.settings.siteLimitA !== undefined;
  }

  /** The live allocation, as last computed. */
  allocation(): { rows: AllocationRow[]; totalAllocatedA: number; updatedAt: string | null } {
    const totalAllocatedA = Math.round(this.view.reduce((t, r) => t + r.allocatedA, 0) * 10) / 10;
    return { rows: this.view, totalAllocatedA, updatedAt: this.updatedAt };
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

  private onMeasurement(transactionId: number, powerW: number | null): void {
    if (powerW === null) return;
    const st = this.state.get(transactionId);
    const measuredA = wattsToAmps(powerW, this.settings.phases);
    const firstAfterChange = st !== undefined && !st.freshReading;
    if (st) st.freshReading = true;
    if (!firstAfterChange && st?.lastMeasuredA !== undefined && Math.abs(measuredA - st.lastMeasuredA) < REMEASURE_STEP_A) return;
    if (st) st.lastMeasuredA = measuredA;
    this.schedule();
  }

  /** A rebooted charger has lost its profiles: its sessions' shares are sent again. */
  private forget(chargePointId: string): void {
    for (const s of this.domain.transactionQueries.running()) if (s.chargePointId === chargePointId) this.state.delete(s.transactionId);
  }

  private async sendDefault(chargePointId: string): Promise<void> {
    const profile: ChargingProfile = {
      chargingProfileId: DEFAULT_PROFILE_ID, stackLevel: LOAD_BALANCER_STACK_LEVEL, chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Relative', chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [this.period(this.settings.minCurrentA)] },
    };
    try {
      await this.smartCharging.setProfile(chargePointId, 0, profile, 'load-balancer');
    } catch (err) {
      this.logger.warn({ err, chargePointId }, 'safe default charging profile not set');
    }
  }

  private period(limit: number) {
    return { startPeriod: 0, limit, numberPhases: this.settings.phases };
  }

  private async rebalance(): Promise<void> {
    const { siteLimitA, minCurrentA, phases } = this.settings;
    const sessions = this.domain.transactionQueries.running();
    const live = new Set(sessions.map((s) => s.transactionId));
    for (const id of this.state.keys()) if (!live.has(id)) this.state.delete(id);
    const perCharger = new Map<number, number>();
    for (const s of sessions) perCharger.set(s.chargerId, (perCharger.get(s.chargerId) ?? 0) + 1);

    const demands: SessionDemand[] = sessions.map((s) => {
      const st = this.stateOf(s.transactionId);
      const measuredA = s.lastPowerW === null ? null : wattsToAmps(s.lastPowerW, phases);
      st.lastMeasuredA ??= measuredA ?? undefined;
      if (st.acceptedA !== undefined && st.freshReading) st.demandCapA = nextDemandCap(st.demandCapA, measuredA, st.acceptedA);
      const capA = s.maxCurrentA === null ? undefined : s.maxCurrentA / perCharger.get(s.chargerId)!;
      const steerable = this.hub.get(s.chargePointId) !== undefined && st.status !== 'Rejected' && st.status !== 'Failed';
      const fixedA = steerable ? undefined : Math.max(measuredA ?? 0, st.acceptedA ?? minCurrentA);
      return {
        key: String(s.transactionId), startedAt: s.startedAt,
        ...(capA !== undefined ? { capA } : {}), ...(st.demandCapA !== undefined ? { demandCapA: st.demandCapA } : {}),
        ...(fixedA !== undefined ? { fixedA } : {}),
      };
    });
    const shares = allocate({ siteLimitA: siteLimitA!, minCurrentA, sessions: demands });

    const changes = sessions.filter((s, i) => demands[i]!.fixedA === undefined)
      .map((s) => ({ s, allocatedA: shares.get(String(s.transactionId))!, st: this.stateOf(s.transactionId) }))
      .filter(({ allocatedA, st }) => st.sentA === undefined || Math.abs(st.sentA - allocatedA) >= 0.1);
    // Lower first, then raise, so a raise never pushes the sum of what chargers may draw over the limit.
    // A session never steered yet holds the safe default (the minimum), not "nothing": raising it is a raise.
    const holds = (st: SessionState) => st.acceptedA ?? minCurrentA;
    changes.sort((a, b) => (a.allocatedA - holds(a.st)) - (b.allocatedA - holds(b.st)));
    let steeringChanged = false;
    let loweringFailed = false;
    for (const { s, allocatedA, st } of changes) {
      // The room a raise would use was to come from a charger that did not lower: recompute first.
      if (loweringFailed && allocatedA > holds(st)) break;
      const lowering = allocatedA < holds(st);
      const ok = await this.sendShare(s.chargePointId, s.connectorId, s.transactionId, allocatedA, st);
      if (!ok) steeringChanged = true;
      if (!ok && lowering) loweringFailed = true;
    }
    this.view = sessions.map((s, i) => {
      const st = this.stateOf(s.transactionId);
      return {
        transactionId: s.transactionId, chargePointId: s.chargePointId, connectorId: s.connectorId,
        allocatedA: shares.get(String(s.transactionId))!, measuredA: s.lastPowerW === null ? null : Math.round(wattsToAmps(s.lastPowerW, phases) * 10) / 10,
        capA: demands[i]!.capA ?? null, demandCapA: st.demandCapA ?? null, steerable: demands[i]!.fixedA === undefined, profileStatus: st.status,
      };
    });
    this.updatedAt = new Date().toISOString();
    if (steeringChanged) this.again = true; // someone could not be steered: the others share around them
  }

  private stateOf(transactionId: number): SessionState {
    let st = this.state.get(transactionId);
    if (!st) this.state.set(transactionId, st = { status: 'NotSent' });
    return st;
  }

  private async sendShare(chargePointId: string, connectorId: number, transactionId: number, limitA: number, st: SessionState): Promise<boolean> {
    const profile: ChargingProfile = {
      chargingProfileId: TX_PROFILE_ID_BASE + connectorId, transactionId, stackLevel: LOAD_BALANCER_STACK_LEVEL,
      chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Relative',
      chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [this.period(limitA)] },
    };
    st.sentA = limitA;
    try {
      const stored = await this.smartCharging.setProfile(chargePointId, connectorId, profile, 'load-balancer');
      st.status = stored.status;
      if (stored.status === 'Accepted') { st.acceptedA = limitA; st.freshReading = false; }
      return stored.status === 'Accepted';
    } catch (err) {
      st.status = 'Failed';
      this.logger.warn({ err, chargePointId, transactionId }, 'load-balancing profile not delivered');
      return false;
    }
  }

  stop(): void {
    for (const off of this.unsubscribe) off();
  }
}
